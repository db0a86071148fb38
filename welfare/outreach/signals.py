"""The situations the signal rules look for, each a query over an allow-list of the portal's own fields (states,
dates, balances, channels, a needs finder's urgency); none reads health or support notes. `evaluate` runs every
active rule and makes a task for each new case, once: a task's key names the case."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q
from django.utils import timezone

from welfare.accounts.models import CitizenProfile
from welfare.assistance.models import Interview
from welfare.care.models import ServiceRequest
from welfare.delivery.models import Session
from welfare.lib.mail import NO_EMAIL_DOMAIN
from welfare.outreach.models import SignalRule, Situation
from welfare.vouchers.models import Application, Voucher

# The fields the situations read, by model: the allow-list a reviewer checks against (test_signals asserts that
# no situation's query names anything else, and that none of them is a health or support note).
ALLOWED_FIELDS = {
    "ServiceRequest": {"state", "proposal_deadline", "created_at", "service__free_places", "requester", "municipality"},
    "CitizenProfile": {"contact_channel", "user__email", "municipality"},
    "Application": {"dsu_expires_on", "status", "applicant", "municipality"},
    "Voucher": {"status", "valid_until", "value_cents", "account__balance_cents", "holder", "municipality"},
    "Session": {"day", "status", "confirmation", "answered_at"},
    "Interview": {"finder_answers__urgency", "outcome", "held_on", "resident", "social_point"},
}


@dataclass(frozen=True)
class Case:
    key: str
    resident: CitizenProfile | None
    municipality_id: int
    due_before: dt.datetime | None = None  # the task is due no later than this (a proposal's deadline)
    social_point_id: int | None = None  # when the situation names the Social Point (an interview's)


def proposals_unreached(rule: SignalRule, now: dt.datetime) -> Iterator[Case]:
    """A proposal waiting for a resident who has no email or prefers phone, SMS or letter."""
    unreachable = ~Q(requester__citizen_profile__contact_channel=CitizenProfile.ContactChannel.EMAIL) | Q(
        requester__email__iendswith="@" + NO_EMAIL_DOMAIN
    )
    found = ServiceRequest.objects.filter(
        unreachable, state=ServiceRequest.State.PROPOSED, proposal_deadline__gt=now
    ).select_related("requester__citizen_profile")
    for request in found:
        yield Case(f"proposal:{request.pk}", request.requester.citizen_profile, request.municipality_id,
                   due_before=request.proposal_deadline)  # fmt: skip


def isee_expiring(rule: SignalRule, now: dt.datetime) -> Iterator[Case]:
    """An ISEE (DSU) on an application still under way, or on an active voucher's application, lapsing soon."""
    today = timezone.localdate(now)
    found = Application.objects.filter(
        Q(voucher__status=Voucher.Status.ACTIVE) | Q(status__in=["submitted", "approved"]),
        dsu_expires_on__gte=today, dsu_expires_on__lte=today + dt.timedelta(days=rule.days),
    ).select_related("applicant__citizen_profile")  # fmt: skip
    for application in found:
        yield Case(f"isee:{application.pk}:{application.dsu_expires_on}", application.applicant.citizen_profile,
                   application.municipality_id)  # fmt: skip


def vouchers_running_out(rule: SignalRule, now: dt.datetime) -> Iterator[Case]:
    """A voucher with less than `percent`% of its value left, or ending within `days` with money left."""
    today = timezone.localdate(now)
    ending = today + dt.timedelta(days=rule.days)
    found = (
        Voucher.objects.filter(status=Voucher.Status.ACTIVE, account__balance_cents__gt=0)
        .annotate(left100=F("account__balance_cents") * 100, low_mark=F("value_cents") * rule.percent)
        .filter(Q(left100__lt=F("low_mark")) | Q(valid_until__lte=ending))
        .select_related("holder__citizen_profile")
    )
    for voucher in found:
        why = "ending" if voucher.valid_until <= ending else "low"
        yield Case(f"voucher:{voucher.pk}:{why}", voucher.holder.citizen_profile, voucher.municipality_id)


def services_silent(rule: SignalRule, now: dt.datetime) -> Iterator[Case]:
    """A service under way with no session for `days` days, or with two sessions disputed in a month."""
    today = timezone.localdate(now)
    since = today - dt.timedelta(days=rule.days)
    month_ago = today - dt.timedelta(days=30)
    found = (
        ServiceRequest.objects.filter(state=ServiceRequest.State.ACTIVE, created_at__date__lte=since)
        .annotate(
            last=Max("sessions__day", filter=Q(sessions__status=Session.Status.VALID)),
            disputes=Count(
                "sessions", filter=Q(sessions__confirmation=Session.Confirmation.DISPUTED, sessions__day__gte=month_ago)
            ),
        )
        .filter(Q(last__isnull=True) | Q(last__lt=since) | Q(disputes__gte=2))
        .select_related("requester__citizen_profile")
    )
    for request in found:
        why = "disputes" if request.disputes >= 2 else f"silent-since-{request.last or 'start'}"
        yield Case(f"service:{request.pk}:{why}", request.requester.citizen_profile, request.municipality_id)


def urgent_answers(rule: SignalRule, now: dt.datetime) -> Iterator[Case]:
    """An interview whose needs finder answer says "now": a follow-up due today, for its Social Point."""
    since = timezone.localdate(now) - dt.timedelta(days=rule.days)
    found = Interview.objects.filter(
        finder_answers__urgency="now", outcome=Interview.Outcome.OPEN, held_on__gte=since
    ).select_related("resident", "social_point")
    for interview in found:
        end_of_day = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time(23, 59)))
        yield Case(f"urgent:{interview.pk}", interview.resident, interview.social_point.municipality_id,
                   due_before=end_of_day, social_point_id=interview.social_point_id)  # fmt: skip


def long_waits(rule: SignalRule, now: dt.datetime) -> Iterator[Case]:
    """A request waiting more than `days` days in a service with no free places: for the waiting-list view."""
    found = ServiceRequest.objects.filter(
        state=ServiceRequest.State.SUBMITTED, service__free_places=0, created_at__lt=now - dt.timedelta(days=rule.days)
    ).select_related("requester__citizen_profile")
    for request in found:
        yield Case(f"wait:{request.pk}", request.requester.citizen_profile, request.municipality_id)


SITUATIONS: dict[str, Callable[[SignalRule, dt.datetime], Iterator[Case]]] = {
    Situation.PROPOSAL_UNREACHED: proposals_unreached,
    Situation.ISEE_EXPIRING: isee_expiring,
    Situation.VOUCHER_RUNNING_OUT: vouchers_running_out,
    Situation.SERVICE_SILENT: services_silent,
    Situation.URGENT_ANSWER: urgent_answers,
    Situation.LONG_WAIT: long_waits,
}
