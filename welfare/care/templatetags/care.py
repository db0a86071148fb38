from django import template
from django.utils.translation import gettext_lazy as _

from welfare.care.models import ServiceRequest

register = template.Library()


@register.filter
def state_label(code: str) -> str:
    """The label of a request state, in the active language (emails are rendered in the recipient's)."""
    return str(ServiceRequest.State(code).label)


NEXT_FOR_CITIZEN = {
    "submitted": _("The provider will answer with a proposal or tell you why not."),
    "proposed": _("Read the proposal and confirm it by the date shown, or withdraw."),
    "confirmed": _("The service will start on the date agreed."),
    "active": _("The service is under way. Write to the provider for anything you need."),
    "completed": _("Nothing: the service is over."),
    "rejected": _("Look at the other services suggested, or ask a Social Point for help."),
    "withdrawn": _("Nothing: you withdrew the request."),
    "cancelled": _("Nothing: the service was cancelled."),
    "expired": _("The proposal was not confirmed in time: you can send a new request."),
}
NEXT_FOR_PROVIDER = {
    "submitted": _("Send a proposal or say why you cannot take it."),
    "proposed": _("Wait for the family to confirm."),
    "confirmed": _("Mark the service as started when it starts."),
    "active": _("Mark the service as completed when it ends."),
}


@register.filter
def next_step(state: str, side: str = "citizen") -> str:
    """What is expected next, and from whom, in a request in `state`."""
    table = NEXT_FOR_PROVIDER if side == "provider" else NEXT_FOR_CITIZEN
    return str(table.get(state, ""))
