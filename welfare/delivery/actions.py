"""Every change to delivered sessions and monthly statements.

A session is priced when it is logged, at the request's accredited tariff, and split between the
voucher (its share, as long as its balance lasts: exact to the cent when it runs out mid-session),
an employer welfare credit (the family's share, as long as its balance lasts) and the family. The split
moves money through the ledger at once; a correction or withdrawal reverses that movement (storno) and never edits it.
"""

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import Role, User
from welfare.audit.actions import record
from welfare.care.models import ServiceRequest
from welfare.catalogue.models import Organization
from welfare.delivery.models import Session, Statement
from welfare.employers.credits import open_wallets
from welfare.employers.models import Wallet
from welfare.ledger.actions import Leg, do_post
from welfare.ledger.chart import copayment_account, employer_funding_account, family_share_account, provider_account
from welfare.ledger.models import Account, Transaction
from welfare.lib.dates import written_date
from welfare.lib.mail import absolute_url, send_after_commit
from welfare.lib.money import split_copayment, split_three
from welfare.vouchers.actions import do_reverse_payment
from welfare.vouchers.models import Programme

CONFIRM_DAYS = 7  # days the family has to confirm or dispute a session; silence then counts as confirmation
LONGEST_SESSION_MINUTES = 12 * 60
# The shortest session a provider may bill: the district's tariffs are hourly and accredited providers
# bill in quarters of an hour, so anything shorter is a typing mistake or a fragment of another session.
SHORTEST_SESSION_MINUTES = 15
LOGGABLE = (ServiceRequest.State.ACTIVE, ServiceRequest.State.COMPLETED)


@dataclass(frozen=True)
class SessionInput:
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    operator: str
    activity: str
    place: str = ""
    external_id: str = ""


def is_local_whole_minutes(value: dt.time) -> bool:
    """A time of day as sessions take it: the district's own clock (no UTC offset), in whole minutes."""
    return value.tzinfo is None and not value.second and not value.microsecond


def minutes_between(starts_at: dt.time, ends_at: dt.time) -> int:
    return (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)


def price_of(tariff_cents: int, minutes: int) -> int:
    """An hourly tariff for some minutes, rounded half up to the cent."""
    return (tariff_cents * minutes * 2 + 60) // 120


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _check(request: ServiceRequest, data: SessionInput) -> None:
    """Every rule a session must meet before it is priced. The caller holds the request's row lock, so two
    sessions of one request are checked one after the other (no overlap can slip in between)."""
    if request.state not in LOGGABLE:
        raise ValidationError(_("Sessions can be logged only for a service under way or just completed."),
                              code="request_not_active")  # fmt: skip
    if not (is_local_whole_minutes(data.starts_at) and is_local_whole_minutes(data.ends_at)):
        raise ValidationError(_("Give start and end as local times in whole minutes, e.g. 10:30."),
                              code="invalid_time")  # fmt: skip
    if data.ends_at <= data.starts_at:
        raise ValidationError(_("The end time must come after the start time."), code="times_order")
    if minutes_between(data.starts_at, data.ends_at) < SHORTEST_SESSION_MINUTES:
        raise ValidationError(
            _("A session lasts at least %(minutes)d minutes, the shortest time that can be billed.")
            % {"minutes": SHORTEST_SESSION_MINUTES},
            code="too_short",
        )
    if minutes_between(data.starts_at, data.ends_at) > LONGEST_SESSION_MINUTES:
        raise ValidationError(_("A session lasts at most 12 hours: log longer work as several sessions."),
                              code="too_long")  # fmt: skip
    if data.day > timezone.localdate():
        raise ValidationError(_("A session cannot be logged before it happens."), code="future")
    if not data.operator.strip() or not data.activity.strip():
        raise ValidationError(_("Say who delivered the session and what was done."), code="details_required")
    overlapping = Session.objects.filter(
        request=request, status=Session.Status.VALID, day=data.day, starts_at__lt=data.ends_at,
        ends_at__gt=data.starts_at,
    ).first()  # fmt: skip
    if overlapping is not None:
        raise ValidationError(
            _("This service already has a session on that day from %(start)s to %(end)s: the times overlap.")
            % {"start": f"{overlapping.starts_at:%H:%M}", "end": f"{overlapping.ends_at:%H:%M}"},
            code="overlaps_session",
        )
    voucher = request.voucher
    if voucher is not None and Statement.objects.filter(
        organization_id=request.organization_id, programme_id=voucher.programme_id,
        month=month_of(data.day), status__in=[Statement.Status.SUBMITTED, Statement.Status.APPROVED],
    ).exists():  # fmt: skip
        raise ValidationError(_("The statement of that month is already submitted: ask the planning office."),
                              code="month_locked")  # fmt: skip


def _tariff(request: ServiceRequest) -> int:
    tariff = request.tariff_cents if request.tariff_cents is not None else request.proposed_price_cents
    if tariff is None:
        raise ValidationError(_("The request has no price: it cannot be logged."), code="no_price")
    return tariff


def _price_and_post(session: Session, request: ServiceRequest, actor: User | None) -> None:
    """Fill the session's price and its split among three payers, and move the money through the ledger: the
    voucher its share as far as its balance goes, then the employer credit the family's share as far as its balance
    goes, then the family the rest (`lib.money.split_three`, exact to the cent when either runs out mid-session).
    A service with neither voucher nor credit is paid by the family to the provider directly, outside the books."""
    session.tariff_cents = _tariff(request)
    session.amount_cents = price_of(session.tariff_cents, session.minutes)
    session.flags = []
    if request.proposed_start and session.day < request.proposed_start:
        session.flags.append(Session.Flag.BEFORE_START)
    voucher, wallet = request.voucher, request.wallet
    if voucher is None and wallet is None:
        session.voucher_cents, session.employer_cents, session.copayment_cents = 0, 0, session.amount_cents
        return
    voucher_account = credit_account = None
    if voucher is not None:
        session.voucher = voucher
        voucher_account = Account.objects.select_for_update().get(voucher=voucher)  # the balance cannot change
        if not voucher.is_usable_on(session.day):
            session.flags.append(Session.Flag.BEYOND_VALIDITY)
            voucher_account = None
    if wallet is not None:
        session.wallet = wallet
        if open_wallets(request.requester, session.day).filter(pk=wallet.pk).exists():
            credit_account = Account.objects.select_for_update().get(pk=wallet.account_id)
        else:
            session.flags.append(Session.Flag.CREDIT_CLOSED)
    shares = split_three(
        session.amount_cents,
        copay_percent=voucher.copay_percent if voucher_account is not None and voucher is not None else None,
        voucher_left=voucher_account.balance_cents if voucher_account is not None else None,
        credit_left=credit_account.balance_cents if credit_account is not None else None,
    )
    if voucher_account is not None and voucher is not None:
        wanted = split_copayment(session.amount_cents, voucher.copay_percent).voucher_cents
        if shares.voucher_cents < wanted:
            session.flags.append(Session.Flag.NO_VOUCHER_LEFT)
    if credit_account is not None and shares.family_cents and shares.employer_cents == credit_account.balance_cents:
        session.flags.append(Session.Flag.NO_CREDIT_LEFT)  # the credit ran out: the family pays the rest
    session.voucher_cents, session.employer_cents = shares.voucher_cents, shares.employer_cents
    session.copayment_cents = shares.family_cents
    if session.amount_cents == 0:
        return
    legs = [Leg(provider_account(request.organization), session.amount_cents)]
    if session.voucher_cents and voucher_account is not None:
        legs.append(Leg(voucher_account, -session.voucher_cents))
    if session.employer_cents and credit_account is not None:
        legs.append(Leg(credit_account, -session.employer_cents))
    if session.copayment_cents:
        family = copayment_account(voucher, voucher.programme) if voucher is not None else family_share_account(request)
        legs.append(Leg(family, -session.copayment_cents))
    session.transaction = do_post(Transaction.Kind.SPEND, legs, actor=actor, memo=f"session {session.pk}")


def _new_session(
    request: ServiceRequest, data: SessionInput, *, actor: User | None, corrects: Session | None = None,
    reason: str = "",
) -> Session:  # fmt: skip
    _check(request, data)
    session = Session(
        request=request, organization_id=request.organization_id, day=data.day, starts_at=data.starts_at,
        ends_at=data.ends_at, minutes=minutes_between(data.starts_at, data.ends_at), operator=data.operator.strip(),
        activity=data.activity.strip(), place=data.place.strip(), external_id=data.external_id.strip(),
        corrects=corrects, correction_reason=reason, logged_by=actor,
        confirm_by=timezone.localdate() + dt.timedelta(days=CONFIRM_DAYS),
    )  # fmt: skip
    _price_and_post(session, request, actor)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # The same reference, logged at the same moment for another of the provider's requests: the
        # other one committed first. Anything else is a real fault and is raised as it is.
        if session.external_id and _reference_taken(request.organization_id, session.external_id):
            raise ValidationError(_("A session with this reference is already logged."),
                                  code="duplicate_external_id") from None  # fmt: skip
        raise
    return session


def _reference_taken(organization_id: uuid.UUID, external_id: str) -> bool:
    return Session.objects.filter(
        organization_id=organization_id, external_id=external_id, status=Session.Status.VALID
    ).exists()


@transaction.atomic
def do_log_session(request: ServiceRequest, *, actor: User | None, data: SessionInput) -> Session:
    """Provider staff (or their software, through the API) log a delivered session."""
    locked = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("voucher", "organization", "wallet")
        .get(pk=request.pk)
    )
    if data.external_id.strip() and _reference_taken(locked.organization_id, data.external_id.strip()):
        raise ValidationError(_("A session with this reference is already logged."), code="duplicate_external_id")
    session = _new_session(locked, data, actor=actor)
    record(actor, "session.logged", session, request=str(locked.pk), minutes=session.minutes,
           amount_cents=session.amount_cents, flags=session.flags)  # fmt: skip
    return session


def _lock_for_change(session: Session) -> Session:
    locked = Session.objects.select_for_update(of=("self",)).select_related("statement", "request").get(pk=session.pk)
    if not locked.is_valid:
        raise ValidationError(_("This session has already been corrected or withdrawn."), code="invalid_transition")
    if locked.statement is not None and locked.statement.is_locked:
        raise ValidationError(_("This session is in a submitted or approved statement: it cannot change."),
                              code="statement_locked")  # fmt: skip
    return locked


def _undo_money(session: Session, actor: User | None, reason: str) -> None:
    """Reverse the session's payment. What goes back to an employer credit that has closed since goes back to the
    employer, where the credit's remainder went."""
    if session.transaction_id is not None:
        assert session.transaction is not None
        redirect = {}
        wallet = session.wallet
        if wallet is not None and Wallet.objects.filter(pk=wallet.pk, closed_at__isnull=False).exists():
            redirect[wallet.account_id] = employer_funding_account(wallet.plan.employer)
        do_reverse_payment(session.transaction, session.voucher, actor=actor, reason=reason, redirect=redirect)


@transaction.atomic
def do_correct_session(session: Session, *, actor: User | None, data: SessionInput, reason: str) -> Session:
    """A correction is a new session that replaces this one; the old one's money is reversed, not edited."""
    if not reason.strip():
        raise ValidationError(_("Say why the session is corrected."), code="reason_required")
    old = _lock_for_change(session)
    request = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("voucher", "organization", "wallet")
        .get(pk=old.request_id)
    )
    _undo_money(old, actor, reason.strip())
    Session.objects.filter(pk=old.pk).update(status=Session.Status.CORRECTED, statement=None)
    data = SessionInput(**{**data.__dict__, "external_id": data.external_id or old.external_id})
    new = _new_session(request, data, actor=actor, corrects=old, reason=reason.strip())
    record(actor, "session.corrected", new, replaces=str(old.pk), amount_cents=new.amount_cents)
    return new


@transaction.atomic
def do_withdraw_session(session: Session, *, actor: User, reason: str) -> Session:
    if not reason.strip():
        raise ValidationError(_("Say why the session is withdrawn."), code="reason_required")
    locked = _lock_for_change(session)
    _undo_money(locked, actor, reason.strip())
    Session.objects.filter(pk=locked.pk).update(
        status=Session.Status.WITHDRAWN, statement=None, correction_reason=reason.strip()
    )
    record(actor, "session.withdrawn", locked)
    locked.refresh_from_db()
    return locked


def _answer(session: Session, confirmation: str, *, actor: User, on_behalf_of: User | None, reason: str) -> Session:
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not locked.is_valid or locked.confirmation != Session.Confirmation.PENDING:
        raise ValidationError(_("This session has already been answered."), code="invalid_transition")
    if timezone.localdate() > locked.confirm_by:
        raise ValidationError(_("The time to answer is over: the session counts as confirmed."), code="too_late")
    locked.confirmation, locked.answered_at, locked.dispute_reason = confirmation, timezone.now(), reason
    locked.save(update_fields=["confirmation", "answered_at", "dispute_reason"])
    record(actor, f"session.{confirmation}", locked, on_behalf_of=on_behalf_of)
    return locked


@transaction.atomic
def do_confirm_session(session: Session, *, actor: User, on_behalf_of: User | None = None) -> Session:
    return _answer(session, Session.Confirmation.CONFIRMED, actor=actor, on_behalf_of=on_behalf_of, reason="")


@transaction.atomic
def do_dispute_session(session: Session, *, actor: User, reason: str, on_behalf_of: User | None = None) -> Session:
    """The family says the session did not happen as logged: it stays out of statements until resolved."""
    if not reason.strip():
        raise ValidationError(_("Say what is wrong with this session."), code="reason_required")
    disputed = _answer(session, Session.Confirmation.DISPUTED, actor=actor, on_behalf_of=on_behalf_of,
                       reason=reason.strip())  # fmt: skip
    staff = User.objects.filter(
        memberships__role=Role.PROVIDER_STAFF, memberships__organization_id=disputed.organization_id, is_active=True
    ).distinct()
    link = reverse("delivery:provider_sessions", args=[disputed.request_id])
    for user in staff:
        context = {"day": written_date(disputed.day, user.preferred_language), "link": absolute_url(link)}
        send_after_commit("delivery/email/session_disputed", user.email, context, user.preferred_language)
    return disputed


@transaction.atomic
def do_resolve_dispute(session: Session, *, actor: User, note: str) -> Session:
    """The provider keeps the session as logged and explains why (or corrects or withdraws it instead)."""
    if not note.strip():
        raise ValidationError(_("Write your answer to the family."), code="reason_required")
    locked = _lock_for_change(session)
    if locked.confirmation != Session.Confirmation.DISPUTED:
        raise ValidationError(_("This session is not disputed."), code="invalid_transition")
    locked.confirmation, locked.resolution_note = Session.Confirmation.RESOLVED, note.strip()
    locked.save(update_fields=["confirmation", "resolution_note"])
    record(actor, "session.resolved", locked)
    return locked


@transaction.atomic
def do_confirm_silent_sessions(today: dt.date | None = None) -> int:
    """Sessions nobody answered by their deadline count as confirmed, each with its audit entry. Returns how many.

    The rows are locked first, so a family's answer arriving at the same moment is either before (and kept)
    or after (and refused as too late), never lost.
    """
    today = today or timezone.localdate()
    due = list(
        Session.objects.select_for_update()
        .filter(status=Session.Status.VALID, confirmation=Session.Confirmation.PENDING, confirm_by__lt=today)
        .order_by("pk")
    )
    Session.objects.filter(pk__in=[session.pk for session in due]).update(confirmation=Session.Confirmation.SILENT)
    for session in due:
        record(None, "session.silent", session, confirm_by=session.confirm_by.isoformat())
    return len(due)


# Monthly statements


def statement_sessions(organization: Organization, programme: Programme, month: dt.date) -> QuerySet[Session]:
    """Every valid session of a provider in a programme and month (whatever the family answered)."""
    return Session.objects.filter(
        organization=organization, voucher__programme=programme, day__gte=month, day__lte=month_end(month),
        status=Session.Status.VALID,
    )  # fmt: skip


COUNTED = [Session.Confirmation.CONFIRMED, Session.Confirmation.SILENT, Session.Confirmation.RESOLVED]


@transaction.atomic
def do_generate_statement(
    organization: Organization, programme: Programme, month: dt.date, *, actor: User | None
) -> Statement:
    """(Re)build a provider's statement for a month: confirmed sessions in, disputed and unanswered ones out."""
    if month.day != 1:
        raise ValueError("A statement's month is given by its first day.")
    statement, _created = Statement.objects.get_or_create(
        organization=organization, programme=programme, month=month, defaults={"generated_at": timezone.now()}
    )
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.is_locked:
        raise ValidationError(_("This statement is submitted or approved: it cannot be rebuilt."),
                              code="statement_locked")  # fmt: skip
    do_confirm_silent_sessions()
    sessions = statement_sessions(organization, programme, month)
    Session.objects.filter(statement=statement).exclude(
        pk__in=sessions.filter(confirmation__in=COUNTED).values("pk")
    ).update(statement=None)
    sessions.filter(confirmation__in=COUNTED).update(statement=statement)
    totals = Session.objects.filter(statement=statement).aggregate(
        n=Count("pk"), minutes=Sum("minutes"), amount=Sum("amount_cents"), voucher=Sum("voucher_cents"),
        copayment=Sum("copayment_cents"), employer=Sum("employer_cents"),
    )  # fmt: skip
    statement.sessions_count, statement.minutes = totals["n"], totals["minutes"] or 0
    statement.amount_cents, statement.voucher_cents = totals["amount"] or 0, totals["voucher"] or 0
    statement.copayment_cents, statement.employer_cents = totals["copayment"] or 0, totals["employer"] or 0
    statement.status, statement.generated_at = Statement.Status.DRAFT, timezone.now()
    statement.save()
    record(actor, "statement.generated", statement, sessions=statement.sessions_count,
           amount_cents=statement.amount_cents)  # fmt: skip
    return statement


def do_generate_month(month: dt.date, *, actor: User | None = None) -> list[Statement]:
    """Statements for every provider and programme with voucher sessions in the month (locked ones are kept)."""
    pairs = (
        Session.objects.filter(
            day__gte=month, day__lte=month_end(month), status=Session.Status.VALID, voucher__isnull=False
        )
        .values_list("organization_id", "voucher__programme_id")
        .distinct()
        .order_by()
    )
    statements = []
    for organization_id, programme_id in pairs:
        existing = Statement.objects.filter(
            organization_id=organization_id, programme_id=programme_id, month=month
        ).first()
        if existing is not None and existing.is_locked:
            statements.append(existing)
            continue
        statements.append(do_generate_statement(
            Organization.objects.get(pk=organization_id), Programme.objects.get(pk=programme_id), month, actor=actor,
        ))  # fmt: skip
    return statements


@transaction.atomic
def do_submit_statement(statement: Statement, *, actor: User) -> Statement:
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.status not in (Statement.Status.DRAFT, Statement.Status.RETURNED):
        raise ValidationError(_("This statement has already been submitted."), code="invalid_transition")
    rebuilt = do_generate_statement(locked.organization, locked.programme, locked.month, actor=actor)
    if rebuilt.sessions_count == 0:
        raise ValidationError(_("There is nothing to submit for this month yet."), code="empty")
    rebuilt.status, rebuilt.submitted_at, rebuilt.submitted_by = Statement.Status.SUBMITTED, timezone.now(), actor
    rebuilt.save(update_fields=["status", "submitted_at", "submitted_by"])
    record(actor, "statement.submitted", rebuilt, amount_cents=rebuilt.amount_cents)
    return rebuilt


@transaction.atomic
def do_approve_statement(statement: Statement, *, actor: User) -> Statement:
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.status != Statement.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted statement can be approved."), code="invalid_transition")
    locked.status, locked.decided_at, locked.decided_by = Statement.Status.APPROVED, timezone.now(), actor
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    record(actor, "statement.approved", locked, amount_cents=locked.amount_cents)
    return locked


@transaction.atomic
def do_return_statement(statement: Statement, *, actor: User, reason: str) -> Statement:
    if not reason.strip():
        raise ValidationError(_("Tell the provider what to change."), code="reason_required")
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.status != Statement.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted statement can be returned."), code="invalid_transition")
    locked.status, locked.returned_reason = Statement.Status.RETURNED, reason.strip()
    locked.decided_at, locked.decided_by = timezone.now(), actor
    locked.save(update_fields=["status", "returned_reason", "decided_at", "decided_by"])
    record(actor, "statement.returned", locked)
    return locked
