"""Demo welfare aziendale for `make run`: Manifattura Olona S.p.A. with twenty employees (Giulia Bianchi among
them), this year's plan of 500 € each (f-ter, f-bis, fringe) published, and one receipt of Giulia's waiting for the
officer (the nursery of her daughter). Safe to repeat."""

import datetime as dt
from typing import Literal

from codicefiscale import codicefiscale
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from welfare.accounts.models import Membership, Role, User
from welfare.employers.access import wallets_of
from welfare.employers.actions import (
    AllowanceInput,
    ClaimInput,
    do_create_plan,
    do_import_employees,
    do_publish_plan,
    do_submit_claim,
)
from welfare.employers.models import Employer

COLLEAGUES: list[tuple[str, str, Literal["M", "F"]]] = [
    ("Luca", "Ferrari", "M"), ("Chiara", "Esposito", "F"), ("Matteo", "Romano", "M"), ("Sara", "Colombo", "F"),
    ("Andrea", "Ricci", "M"), ("Francesca", "Marino", "F"), ("Davide", "Greco", "M"), ("Elena", "Bruno", "F"),
    ("Simone", "Gallo", "M"), ("Martina", "Conti", "F"), ("Federico", "De Luca", "M"), ("Alessia", "Mancini", "F"),
    ("Stefano", "Costa", "M"), ("Valentina", "Giordano", "F"), ("Paolo", "Rizzo", "M"), ("Silvia", "Lombardi", "F"),
    ("Giorgio", "Moretti", "M"), ("Anna", "Barbieri", "F"), ("Roberto", "Fontana", "M"),
]  # fmt: skip


@transaction.atomic
def load_demo_welfare() -> None:
    giulia = User.objects.filter(email="giulia.bianchi@example.org").first()
    membership = Membership.objects.filter(role=Role.EMPLOYER_HR).select_related("employer", "user").first()
    if giulia is None or membership is None or membership.employer is None:
        return
    employer: Employer = membership.employer
    officer = membership.user
    if employer.plans.exists():
        return
    lines = ["codice_fiscale;nome;cognome;email;categoria;figli_a_carico",
             f"{giulia.citizen_profile.codice_fiscale};Giulia;Bianchi;{giulia.email};impiegati;sì"]  # fmt: skip
    for number, (first, last, gender) in enumerate(COLLEAGUES):
        born = f"{1 + number % 27:02d}/{1 + number % 12:02d}/{1965 + number}"
        code = codicefiscale.encode(lastname=last, firstname=first, gender=gender, birthdate=born, birthplace="Tradate")
        category = "impiegati" if number % 2 else "operai"
        lines.append(f"{code};{first};{last};{first.lower()}.{last.lower().replace(' ', '')}@example.org;{category};no")
    do_import_employees(employer, "\n".join(lines) + "\n", actor=officer)
    year = timezone.localdate().year
    plan = do_create_plan(employer, actor=officer, year=year, name=f"Piano welfare {year}",
                          agreement_reference=f"Accordo aziendale del 12/03/{year}", residual="expire",
                          productivity_bonus=False, allowances=[
                              AllowanceInput("f_ter", "", 20000), AllowanceInput("f_bis", "", 15000),
                              AllowanceInput("fringe", "", 15000)])  # fmt: skip
    do_publish_plan(plan, actor=officer)
    wallet = wallets_of(giulia).get(category="f_bis")
    receipt = SimpleUploadedFile("ricevuta-nido.pdf", b"%PDF-1.4 demo ricevuta asilo nido\n%%EOF",
                                 content_type="application/pdf")  # fmt: skip
    do_submit_claim(wallet, actor=giulia, receipt=receipt, data=ClaimInput(
        relation="child", beneficiary_name="Sofia Bianchi", beneficiary_birth_date=dt.date(timezone.localdate().year
                                                                                           - 3, 4, 9),
        amount_cents=4500, receipt_date=timezone.localdate() - dt.timedelta(days=3),
    ))  # fmt: skip
