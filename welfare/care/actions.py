"""Every change to a service request. States move only along TRANSITIONS; anything else is refused."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import HouseholdMember, User
from welfare.audit.actions import record
from welfare.care.models import Attachment, Message, ReadMark, RequestEvent, ServiceRequest
from welfare.care.notifications import notify_transition
from welfare.catalogue.models import Service
from welfare.employers.credits import refusal
from welfare.employers.models import Wallet
from welfare.lib.money import format_euros
from welfare.lib.uploads import store_upload

if TYPE_CHECKING:
    from welfare.vouchers.queries import VoucherChoice

State = ServiceRequest.State
PROPOSAL_DAYS = 7  # days a family has to confirm a proposal

# (from state, action) -> to state
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.SUBMITTED, "propose"): State.PROPOSED,
    (State.SUBMITTED, "reject"): State.REJECTED,
    (State.SUBMITTED, "withdraw"): State.WITHDRAWN,
    (State.PROPOSED, "confirm"): State.CONFIRMED,
    (State.PROPOSED, "withdraw"): State.WITHDRAWN,
    (State.PROPOSED, "expire"): State.EXPIRED,
    (State.PROPOSED, "cancel"): State.CANCELLED,
    (State.CONFIRMED, "start"): State.ACTIVE,
    (State.CONFIRMED, "cancel"): State.CANCELLED,
    (State.ACTIVE, "complete"): State.COMPLETED,
    (State.ACTIVE, "cancel"): State.CANCELLED,
}
FREES_PLACE = {State.WITHDRAWN, State.EXPIRED, State.CANCELLED, State.COMPLETED}


def _move(
    request: ServiceRequest, action: str, *, actor: User | None, on_behalf_of: User | None = None, reason: str = ""
) -> ServiceRequest:
    """Lock the request, check the transition, record it, and notify the other side after commit."""
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    target = _target(locked, action)
    previous = locked.state
    locked.state = target
    if target in FREES_PLACE and locked.holds_place:
        _release_place(locked)
    locked.save()
    RequestEvent.objects.create(
        request=locked, actor=actor, on_behalf_of=on_behalf_of, from_state=previous, to_state=target, reason=reason
    )
    record(actor, f"service_request.{target}", locked, on_behalf_of=on_behalf_of, previous=previous)
    notify_transition(locked, actor)
    request.__dict__.update(locked.__dict__)
    return locked


def _target(request: ServiceRequest, action: str) -> str:
    """The state `action` leads to from the request's current state; refused when there is none."""
    target = TRANSITIONS.get((request.state, action))
    if target is None:
        raise ValidationError(
            _("This request is “%(state)s”: it cannot be changed this way."),
            code="invalid_transition",
            params={"state": request.get_state_display()},
        )
    return target


def _take_place(request: ServiceRequest) -> None:
    """One of the service's free places, taken with a conditional update so two proposals cannot share it."""
    service = request.service
    if service.free_places is None:
        return
    taken = Service.objects.filter(pk=service.pk, free_places__gt=0).update(free_places=F("free_places") - 1)
    if not taken:
        raise ValidationError(
            _("The service has no free places: update its capacity, or answer that there is no place now."),
            code="no_capacity",
        )
    request.holds_place = True


def _release_place(request: ServiceRequest) -> None:
    Service.objects.filter(pk=request.service_id, free_places__isnull=False).update(free_places=F("free_places") + 1)
    request.holds_place = False


@transaction.atomic
def do_submit_request(
    *,
    actor: User,
    service: Service,
    beneficiary: HouseholdMember | None,
    needs: str,
    preferred_times: str = "",
    desired_start: dt.date | None = None,
    on_behalf_of: User | None = None,
    voucher: "VoucherChoice | None" = None,
    wallet: Wallet | None = None,
    document: UploadedFile[bytes] | None = None,
) -> ServiceRequest:
    """A citizen (or someone acting for them: `on_behalf_of` is the citizen) asks a provider for a service.

    With a voucher (a choice from `welfare.vouchers.queries.voucher_choices`, already checked against
    the family, the beneficiary and the provider's accreditation) the request records the voucher and
    the accredited tariff the family saw before confirming."""
    citizen = on_behalf_of or actor
    profile = citizen.citizen_profile
    if not service.is_published:
        raise ValidationError(_("This service is not available in the catalogue."), code="not_published")
    if beneficiary is not None and beneficiary.owner_id != profile.pk:
        raise ValidationError(_("This person is not in your household."), code="not_household")
    if not needs.strip():
        raise ValidationError(_("Describe what is needed."), code="needs_required")
    if voucher is not None and (
        voucher.voucher.holder_id != citizen.pk
        or voucher.voucher.beneficiary_member_id != (beneficiary.pk if beneficiary else None)
        or not voucher.accreditation.services.filter(pk=service.pk).exists()
    ):
        raise ValidationError(_("This voucher cannot pay for this service for this person."), code="voucher_mismatch")
    if wallet is not None:
        refused = refusal(wallet, service, beneficiary, citizen)
        if refused is not None:
            raise ValidationError(refused, code="no_employer_credit")
    request = ServiceRequest.objects.create(
        service=service,
        organization_id=service.organization_id,
        requester=citizen,
        beneficiary_member=beneficiary,
        municipality_id=profile.municipality_id,
        needs=needs.strip(),
        preferred_times=preferred_times.strip(),
        desired_start=desired_start,
        voucher=voucher.voucher if voucher else None,
        tariff_cents=voucher.accreditation.hourly_tariff_cents if voucher else None,
        wallet=wallet,
    )
    RequestEvent.objects.create(
        request=request,
        actor=actor,
        on_behalf_of=on_behalf_of if on_behalf_of != actor else None,
        to_state=State.SUBMITTED,
    )
    record(actor, "service_request.submitted", request, on_behalf_of=on_behalf_of, with_voucher=voucher is not None,
           with_credit=wallet is not None)  # fmt: skip
    if document is not None:
        do_attach(request, uploaded_by=actor, upload=document)
    notify_transition(request, actor)
    return request


def employer_credit_for(request: ServiceRequest) -> Wallet | None:
    """The employer welfare credit that pays for this request: the one the family chose when asking, while it is
    open and its category pays this service for this person (`employers.credits.refusal`); None otherwise."""
    if request.wallet_id is None:
        return None
    wallet = Wallet.objects.select_related("account", "plan").get(pk=request.wallet_id)
    member = request.beneficiary_member
    return wallet if refusal(wallet, request.service, member, request.requester) is None else None


@transaction.atomic
def do_propose(
    request: ServiceRequest,
    *,
    actor: User,
    start: dt.date,
    schedule: str,
    operator: str,
    price_cents: int,
    funding: str,
    days_to_confirm: int = PROPOSAL_DAYS,
) -> ServiceRequest:
    """The provider accepts with a proposal; it holds one place until the family answers."""
    if start < timezone.localdate():
        raise ValidationError(_("The start date cannot be in the past."), code="start_in_past")
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    _target(locked, "propose")  # refuse before taking a place
    if locked.tariff_cents is not None and (price_cents, funding) != (
        locked.tariff_cents,
        ServiceRequest.Funding.VOUCHER,
    ):
        raise ValidationError(
            _("The family pays with a voucher: the price is the accredited tariff, %(tariff)s per hour."),
            code="voucher_tariff",
            params={"tariff": format_euros(locked.tariff_cents)},
        )
    if funding == ServiceRequest.Funding.EMPLOYER and not employer_credit_for(locked):
        raise ValidationError(
            _("The family has no employer welfare credit that can pay for this service: choose how else it is paid."),
            code="no_employer_credit",
        )
    if locked.voucher_id is None and locked.wallet_id is not None and funding != ServiceRequest.Funding.EMPLOYER:
        raise ValidationError(
            _("The family pays with an employer welfare credit: choose “%(funding)s”.")
            % {"funding": ServiceRequest.Funding.EMPLOYER.label},
            code="employer_credit_chosen",
        )
    _take_place(locked)
    ServiceRequest.objects.filter(pk=locked.pk).update(
        proposed_start=start,
        proposed_schedule=schedule.strip(),
        proposed_operator=operator.strip(),
        proposed_price_cents=price_cents,
        proposed_funding=funding,
        proposal_deadline=timezone.now() + dt.timedelta(days=days_to_confirm),
        holds_place=locked.holds_place,
    )
    return _move(request, "propose", actor=actor)


@transaction.atomic
def do_reject(request: ServiceRequest, *, actor: User, reason: str) -> ServiceRequest:
    if not reason.strip():
        raise ValidationError(_("Tell the family why: they will be shown other services."), code="reason_required")
    return _move(request, "reject", actor=actor, reason=reason.strip())


@transaction.atomic
def do_confirm(request: ServiceRequest, *, actor: User, on_behalf_of: User | None = None) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state == State.PROPOSED and locked.proposal_deadline and locked.proposal_deadline < timezone.now():
        _move(request, "expire", actor=None)
        raise ValidationError(_("The time to confirm this proposal is over."), code="expired")
    if locked.proposed_funding == ServiceRequest.Funding.EMPLOYER and not employer_credit_for(locked):
        raise ValidationError(
            _("This proposal is to be paid with an employer welfare credit you do not have: ask the provider for a "
              "new proposal."),
            code="no_employer_credit",
        )  # fmt: skip
    return _move(request, "confirm", actor=actor, on_behalf_of=on_behalf_of)


@transaction.atomic
def do_withdraw(
    request: ServiceRequest, *, actor: User, reason: str = "", on_behalf_of: User | None = None
) -> ServiceRequest:
    return _move(request, "withdraw", actor=actor, on_behalf_of=on_behalf_of, reason=reason.strip())


@transaction.atomic
def do_start(request: ServiceRequest, *, actor: User) -> ServiceRequest:
    return _move(request, "start", actor=actor)


@transaction.atomic
def do_complete(request: ServiceRequest, *, actor: User) -> ServiceRequest:
    return _move(request, "complete", actor=actor)


@transaction.atomic
def do_cancel(request: ServiceRequest, *, actor: User, reason: str, on_behalf_of: User | None = None) -> ServiceRequest:
    if not reason.strip():
        raise ValidationError(_("Say why the service is cancelled."), code="reason_required")
    return _move(request, "cancel", actor=actor, on_behalf_of=on_behalf_of, reason=reason.strip())


def do_expire_proposals(now: dt.datetime | None = None) -> int:
    """Proposals not confirmed by their deadline expire and give their place back. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for request in ServiceRequest.objects.filter(state=State.PROPOSED, proposal_deadline__lt=now):
        with transaction.atomic():
            try:
                _move(request, "expire", actor=None)
            except ValidationError:
                continue  # confirmed in the meantime
            expired += 1
    return expired


@transaction.atomic
def do_post_message(
    request: ServiceRequest, *, author: User, body: str, on_behalf_of: User | None = None,
    document: UploadedFile[bytes] | None = None,
) -> Message:  # fmt: skip
    if not body.strip():
        raise ValidationError(_("Write a message."), code="empty")
    message = Message.objects.create(request=request, author=author, body=body.strip())
    _mark_read(request, author, message.created_at)
    record(author, "message.posted", message, on_behalf_of=on_behalf_of, request=str(request.pk))
    if document is not None:
        do_attach(request, uploaded_by=author, upload=document, message=message)
    notify_transition(request, author, message=True)
    return message


def do_mark_read(request: ServiceRequest, user: User) -> None:
    """Not an audited change: only the reader's own position in the conversation."""
    _mark_read(request, user, timezone.now())


def _mark_read(request: ServiceRequest, user: User, when: dt.datetime) -> None:
    ReadMark.objects.update_or_create(request=request, user=user, defaults={"read_at": when})


@transaction.atomic
def do_attach(
    request: ServiceRequest, *, uploaded_by: User, upload: UploadedFile[bytes], message: Message | None = None
) -> Attachment:
    """Attach a document to a request, after checking its real type and size."""
    attachment = Attachment(request=request, message=message, uploaded_by=uploaded_by)
    store_upload(attachment, upload, Path(upload.name or "documento").name[:150])
    record(uploaded_by, "attachment.added", attachment, request=str(request.pk), content_type=attachment.content_type)
    return attachment
