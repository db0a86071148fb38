import datetime as dt

import pytest
from django.utils import timezone

from conftest import TRADATE, make_codice_fiscale, make_staff

YEAR = timezone.localdate().year
COLLEAGUES = [("Marco", "Verdi"), ("Paola", "Neri"), ("Sara", "Galli"), ("Ugo", "Ferri"), ("Elena", "Conti")]


def roster_csv(alice, extra: str = "") -> str:
    lines = ["codice_fiscale;nome;cognome;email;categoria;figli_a_carico"]
    lines.append(f"{alice.citizen_profile.codice_fiscale};Alice;Rossi;alice@example.org;impiegati;sì")
    for number, (first, last) in enumerate(COLLEAGUES):
        code = make_codice_fiscale(first, last, dt.date(1980 + number, 1, 10), "Tradate")
        lines.append(f"{code};{first};{last};{first.lower()}@example.org;impiegati;no")
    return "\n".join(lines) + "\n" + extra


def register(employer, enzo, alice):
    from welfare.employers.actions import do_import_employees

    do_import_employees(employer, roster_csv(alice), actor=enzo)
    return employer


@pytest.fixture
def registered(employer, enzo, alice):
    return register(employer, enzo, alice)


@pytest.fixture
def plan(registered, enzo):
    return plan_for(registered, enzo)


def plan_for(registered, enzo):
    """The year's plan: 300 € f-bis, 200 € f-ter, 100 € f for everyone, 1.500 € fringe (capped), published."""
    from welfare.employers.actions import AllowanceInput, do_create_plan, do_publish_plan

    amounts = [AllowanceInput("f_bis", "", 30000), AllowanceInput("f_ter", "", 20000), AllowanceInput("f", "", 10000),
               AllowanceInput("fringe", "", 150000)]  # fmt: skip
    plan = do_create_plan(registered, actor=enzo, year=YEAR, name=f"Piano welfare {YEAR}",
                          agreement_reference="Accordo aziendale 12/03", residual="expire", productivity_bonus=False,
                          allowances=amounts)  # fmt: skip
    do_publish_plan(plan, actor=enzo)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def other_employer(db):
    from welfare.employers.actions import do_register_employer

    return do_register_employer(actor=None, name="Tessiture Varesine S.r.l.", vat_number="02456780127")


@pytest.fixture
def ettore(other_employer):
    """The neighbour: the welfare officer of another company."""
    from welfare.accounts.models import Role

    return make_staff("ettore@example.org", "Ettore", "Sala", Role.EMPLOYER_HR, other_employer)


def wallet_of(user, category):
    from welfare.employers.access import wallets_of

    return wallets_of(user).get(category=category)


__all__ = ["TRADATE"]
