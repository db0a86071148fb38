"""Demo sessions for `make run`: Marco Colombo spends his voucher with a cooperative that has a demo
staff account; two sessions are logged today, one confirmed by him. Safe to repeat."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from welfare.accounts.access import ALL_POWERS, Acting
from welfare.accounts.models import Membership, Role, User
from welfare.care.actions import do_confirm, do_propose, do_start, do_submit_request
from welfare.care.models import ServiceRequest
from welfare.delivery.actions import SessionInput, do_confirm_session, do_log_session
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
