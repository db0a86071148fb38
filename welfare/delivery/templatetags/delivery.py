"""A request's history with its sessions in it: logged, withdrawn, disputed, answered (care/_history.html)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from welfare.delivery.models import Session

register = template.Library()


@dataclass(frozen=True)
class SessionStep:
    at: datetime
    label: str
    reason: str = ""
    kind: str = "session"


@register.filter
def with_sessions(events: Any, service_request: Any) -> list[Any]:
    """The request's events and its sessions' steps, in time order (the events alone when no request is given:
    the timeline lists many requests and shows their sessions elsewhere)."""
    steps: list[Any] = list(events)
    if service_request is None:
        return steps
    for session in Session.objects.filter(request=service_request).order_by("created_at"):
        day = date_format(session.day, "DATE_FORMAT")
        label = _("Session of %(day)s, %(times)s, logged") % {
            "day": day, "times": f"{session.starts_at:%H:%M}–{session.ends_at:%H:%M}"}  # fmt: skip
        if session.status != Session.Status.VALID:
            label = f"{label} ({session.get_status_display().lower()})"
        steps.append(SessionStep(session.created_at, label))
        if session.dispute_reason and session.answered_at:
            reason = session.dispute_reason
            if session.resolution_note:
                reason = _("%(reason)s — the provider's answer: %(answer)s") % {
                    "reason": reason, "answer": session.resolution_note}  # fmt: skip
            steps.append(SessionStep(session.answered_at, _("Session of %(day)s disputed by the family") % {"day": day},
                                     reason))  # fmt: skip
    return sorted(steps, key=lambda step: step.at)
