"""Tell the other side of a request that something changed: by email, in their language, after commit.

The resident is told by the channel they chose (`accounts.notices`); provider staff by email. Messages carry the
service's name, the new state and a link: never needs, health or family details.
"""

from django.urls import reverse

from welfare.accounts.models import Role, User
from welfare.accounts.notices import notify_resident
from welfare.care.models import ServiceRequest
from welfare.lib.mail import absolute_url, send_after_commit


def notify_transition(request: ServiceRequest, actor: User | None, *, message: bool = False) -> None:
    citizen_side = actor is not None and actor.pk == request.requester_id
    if citizen_side:
        staff = User.objects.filter(
            memberships__role=Role.PROVIDER_STAFF, memberships__organization_id=request.organization_id, is_active=True
        ).distinct()
        recipients = [(user.email, user.preferred_language) for user in staff]
        link = absolute_url(reverse("care:provider_request", args=[request.pk]))
    else:
        recipients = []
        link = absolute_url(reverse("care:citizen_request", args=[request.pk]))
    context = {
        "service": request.service.name,
        "state": request.state,
        "link": link,
        "message": "yes" if message else "",
    }
    if not citizen_side:  # the resident, by the channel they chose
        notify_resident(request.requester, "care/email/request_update", context)
    for email, language in recipients:
        send_after_commit("care/email/request_update", email, context, language)
