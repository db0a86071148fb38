"""Demo sessions for `make run`: Marco Colombo spends his voucher with a cooperative that has a demo
staff account; two sessions are logged today, one confirmed by him. Safe to repeat."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from welfare.accounts.access import ALL_POWERS, Acting
from welfare.accounts.models import Membership, Role, User
from welfare.care.actions import do_confirm, do_propose, do_start, do_submit_request
from welfare.care.models import ServiceRequest
from welfare.delivery.actions import SessionInput, do_confirm_session, do_log_session, price_of
from welfare.employers.actions import ClaimInput, do_decide_claim, do_submit_claim
from welfare.employers.credits import open_wallets, refusal
from welfare.employers.models import Wallet
from welfare.ledger.models import Account
from welfare.lib.money import percent_of
from welfare.vouchers.models import Voucher
from welfare.vouchers.queries import offers_for_voucher, voucher_choices


@transaction.atomic
def load_demo_delivery() -> None:
    marco = User.objects.filter(email="marco.colombo@example.org").first()
    voucher = Voucher.objects.filter(holder=marco, status=Voucher.Status.ACTIVE).first()
    if marco is None or voucher is None or ServiceRequest.objects.filter(voucher=voucher).exists():
        return
    staff_of = {
        membership.organization_id: membership.user
        for membership in Membership.objects.filter(role=Role.PROVIDER_STAFF).select_related("user")
    }
    marco_himself = Acting(actor=marco, citizen=marco, powers=ALL_POWERS)
    for offer in offers_for_voucher(voucher):
        staff = staff_of.get(offer.service.organization_id)
        choices = [c for c in voucher_choices(marco_himself, offer.service) if c.voucher == voucher]
        if staff is None or not choices:
            continue
        needs = "Aiuto per l'igiene personale e la spesa, due mattine a settimana."
        request = do_submit_request(actor=marco, service=offer.service, beneficiary=None, voucher=choices[0],
                                    needs=needs)  # fmt: skip
        do_propose(request, actor=staff, start=timezone.localdate(), schedule="Martedì e venerdì 9-11",
                   operator="Chiara Fontana", price_cents=choices[0].accreditation.hourly_tariff_cents,
                   funding=ServiceRequest.Funding.VOUCHER)  # fmt: skip
        do_confirm(request, actor=marco)
        do_start(request, actor=staff)
        first = do_log_session(request, actor=staff, data=SessionInput(
            day=timezone.localdate(), starts_at=dt.time(9), ends_at=dt.time(11), operator="Chiara Fontana",
            activity="Igiene personale e riordino", place="A domicilio"))  # fmt: skip
        do_log_session(request, actor=staff, data=SessionInput(
            day=timezone.localdate(), starts_at=dt.time(11), ends_at=dt.time(12), operator="Chiara Fontana",
            activity="Accompagnamento per la spesa", place="Supermercato di Vedano"))  # fmt: skip
        do_confirm_session(first, actor=marco)
        return


@transaction.atomic
def load_demo_three_payers() -> None:
    """Giulia Bianchi's mother Rosa gets home care paid by three: Rosa's municipal voucher, Giulia's employer
    credit (f-ter) for the family's share, and the family for what is left; two sessions delivered."""
    giulia = User.objects.filter(email="giulia.bianchi@example.org").first()
    voucher = Voucher.objects.filter(holder=giulia, status=Voucher.Status.ACTIVE).first()
    if giulia is None or voucher is None or ServiceRequest.objects.filter(voucher=voucher).exists():
        return
    wallet = open_wallets(giulia).filter(category="f_ter").first()
    staff_of = {
        membership.organization_id: membership.user
        for membership in Membership.objects.filter(role=Role.PROVIDER_STAFF).select_related("user")
    }
    herself = Acting(actor=giulia, citizen=giulia, powers=ALL_POWERS)
    for offer in offers_for_voucher(voucher):
        staff = staff_of.get(offer.service.organization_id)
        choices = [c for c in voucher_choices(herself, offer.service) if c.voucher == voucher]
        if staff is None or not choices or wallet is None:
            continue
        if refusal(wallet, offer.service, voucher.beneficiary_member, giulia) is not None:
            continue
        needs = "Aiuto a mia madre per alzarsi e lavarsi, il lunedì e il giovedì."
        request = do_submit_request(actor=giulia, service=offer.service, beneficiary=voucher.beneficiary_member,
                                    voucher=choices[0], wallet=wallet, needs=needs)  # fmt: skip
        do_propose(request, actor=staff, start=timezone.localdate(), schedule="Lunedì e giovedì 8-10",
                   operator="Chiara Fontana", price_cents=choices[0].accreditation.hourly_tariff_cents,
                   funding=ServiceRequest.Funding.VOUCHER)  # fmt: skip
        do_confirm(request, actor=giulia)
        do_start(request, actor=staff)
        _spend_most_of(wallet, request, giulia)
        for start, end in ((8, 10), (14, 15)):
            do_log_session(request, actor=staff, data=SessionInput(
                day=timezone.localdate(), starts_at=dt.time(start), ends_at=dt.time(end), operator="Chiara Fontana",
                activity="Igiene personale e mobilizzazione", place="A domicilio"))  # fmt: skip
        return


def _spend_most_of(wallet: Wallet, request: ServiceRequest, giulia: User) -> None:
    """Earlier this year Giulia claimed the home help she paid privately for her mother: what is left of her f-ter
    credit then covers only part of the family's share of the first session, so the demo shows the credit running
    out mid-session (voucher, credit and family on one session; voucher and family on the next)."""
    assert request.tariff_cents is not None
    assert request.voucher is not None
    family_share = percent_of(price_of(request.tariff_cents, 120), request.voucher.copay_percent)
    left = max(100, family_share - 150)
    balance = Account.objects.get(pk=wallet.account_id).balance_cents
    officer = Membership.objects.filter(role=Role.EMPLOYER_HR, employer=wallet.plan.employer).first()
    if officer is None or balance <= left:
        return
    receipt = SimpleUploadedFile("ricevuta-assistenza.pdf", b"%PDF-1.4 demo assistenza privata\n%%EOF",
                                 content_type="application/pdf")  # fmt: skip
    claim = do_submit_claim(wallet, actor=giulia, receipt=receipt, data=ClaimInput(
        relation="parent", beneficiary_name="Rosa Bianchi", beneficiary_birth_date=dt.date(1945, 2, 2),
        amount_cents=balance - left, receipt_date=timezone.localdate().replace(day=1),
    ))  # fmt: skip
    do_decide_claim(claim, actor=officer.user, approve=True)
