"""Reviews: after a service completes (or after three months of one under way) the family is asked, by its channel,
to rate it; the provider may answer once, in public; the planning office may hide a review, saying why. The
service's page shows averages once there are five (`catalogue.queries.review_summary`)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import Role, User
from welfare.accounts.notices import notify_resident
from welfare.audit.actions import record
from welfare.care.models import RequestEvent, ServiceRequest
from welfare.catalogue.models import Review
from welfare.lib.mail import absolute_url

ACTIVE_DAYS = 90  # a service under way this long may be reviewed before it ends
State = ServiceRequest.State


def reviewable() -> "Q":
    """The requests a family may review: completed, or under way for ACTIVE_DAYS; not reviewed yet."""
    since = timezone.now() - dt.timedelta(days=ACTIVE_DAYS)
    long_active = Exists(RequestEvent.objects.filter(request=OuterRef("pk"), to_state=State.ACTIVE, at__lte=since))
    return (Q(state=State.COMPLETED) | (Q(state=State.ACTIVE) & long_active)) & Q(review__isnull=True)


def may_review(request: ServiceRequest) -> bool:
    return ServiceRequest.objects.filter(reviewable(), pk=request.pk).exists()


@transaction.atomic
def do_review(
    request: ServiceRequest, *, actor: User, punctuality: int, kindness: int, competence: int, would_recommend: bool,
    comment: str = "", on_behalf_of: User | None = None,
) -> Review:  # fmt: skip
    if not may_review(request):
        raise ValidationError(_("This service can be rated once it is completed, or after three months under way, "
                                "and only once."), code="not_reviewable")  # fmt: skip
    if any(score not in range(1, 6) for score in (punctuality, kindness, competence)):
        raise ValidationError(_("Give each a score from 1 to 5."), code="invalid_score")
    try:
        with transaction.atomic():
            review = Review.objects.create(
                request=request, service_id=request.service_id, organization_id=request.organization_id,
                punctuality=punctuality, kindness=kindness, competence=competence, would_recommend=would_recommend,
                comment=comment.strip(),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(_("This service has already been rated."), code="not_reviewable") from None
    record(actor, "review.written", review, on_behalf_of=on_behalf_of, request=str(request.pk))
    return review


@transaction.atomic
def do_reply_review(review: Review, *, actor: User, text: str) -> Review:
    """The provider's one public answer."""
    if not actor.memberships.filter(role=Role.PROVIDER_STAFF, organization_id=review.organization_id).exists():
        raise PermissionDenied
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.replied_at is not None:
        raise ValidationError(_("The review has already been answered."), code="already_answered")
    if not text.strip():
        raise ValidationError(_("Write your answer."), code="reply_required")
    locked.reply, locked.replied_at = text.strip(), timezone.now()
    locked.save(update_fields=["reply", "replied_at", "updated_at"])
    record(actor, "review.answered", locked)
    return locked


@transaction.atomic
def do_hide_review(review: Review, *, actor: User, reason: str) -> Review:
    """The planning office hides a review that breaks the rules (insults, personal or health details), saying why."""
    if not reason.strip():
        raise ValidationError(_("Say why the review is hidden."), code="reason_required")
    locked = Review.objects.select_for_update().get(pk=review.pk)
    locked.hidden_at, locked.hidden_reason = timezone.now(), reason.strip()
    locked.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    record(actor, "review.hidden", locked)
    return locked


def do_ask_for_reviews() -> int:
    """Ask each family whose service may now be rated, once, by its channel. Returns how many were asked."""
    asked = 0
    for request in ServiceRequest.objects.filter(reviewable(), review_asked_at__isnull=True).select_related(
            "service", "requester")[:2000]:  # fmt: skip
        with transaction.atomic():
            if not ServiceRequest.objects.filter(pk=request.pk, review_asked_at__isnull=True).update(
                    review_asked_at=timezone.now()):  # fmt: skip
                continue
            link = absolute_url(reverse("care:review", args=[request.pk]))
            notify_resident(request.requester, "care/email/review_invite", {"service": request.service.name,
                                                                             "link": link})  # fmt: skip
        asked += 1
    return asked
