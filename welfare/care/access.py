"""Who may see which request: the citizen who asked, and the staff of the provider asked. Nobody else."""

import datetime as dt
import uuid

from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from welfare.accounts.access import Acting, AnyUser, unrestricted
from welfare.accounts.models import Membership, Role, User
from welfare.care.models import Attachment, Message, ReadMark, ServiceRequest
from welfare.catalogue.access import organizations_for_staff


def requests_for_acting(acting: Acting) -> QuerySet[ServiceRequest]:
    """The citizen's requests that the person acting may see: all for the citizen, the covered ones for a delegate."""
    requests = ServiceRequest.objects.filter(requester=acting.citizen)
    if acting.members is not None:
        covered = Q(beneficiary_member__in=acting.members)
        requests = requests.filter(covered | Q(beneficiary_member__isnull=True) if acting.covers_self else covered)
    elif not acting.covers_self:
        requests = requests.filter(beneficiary_member__isnull=False)
    return requests


def access_request_for_acting(acting: Acting, request_id: uuid.UUID) -> ServiceRequest:
    try:
        return (
            requests_for_acting(acting)
            .select_related("service", "organization", "beneficiary_member", "voucher__programme")
            .get(pk=request_id)
        )
    except ServiceRequest.DoesNotExist as error:
        raise Http404 from error


def requests_for_provider(user: AnyUser) -> QuerySet[ServiceRequest]:
    """Requests to the organisations the user works for; PermissionDenied for anyone who works for none."""
    return ServiceRequest.objects.filter(unrestricted("requester"), organization__in=organizations_for_staff(user))


def access_request_for_provider(user: AnyUser, request_id: uuid.UUID) -> ServiceRequest:
    try:
        return (
            requests_for_provider(user)
            .select_related(
                "service", "organization", "beneficiary_member", "requester", "municipality", "voucher__programme"
            )
            .get(pk=request_id)
        )
    except ServiceRequest.DoesNotExist as error:
        raise Http404 from error


def access_attachment(acting: Acting, attachment_id: uuid.UUID) -> Attachment:
    """An attachment of a request the person acting may see, or of a request to an organisation the actor works for."""
    staff_of = Membership.objects.filter(user=acting.actor, role=Role.PROVIDER_STAFF).values("organization")
    try:
        return Attachment.objects.filter(
            Q(request__in=requests_for_acting(acting).values("pk")) | Q(request__organization__in=staff_of)
        ).get(pk=attachment_id)
    except Attachment.DoesNotExist as error:
        raise Http404 from error


EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def with_unread(requests: QuerySet[ServiceRequest], user: User) -> QuerySet[ServiceRequest]:
    """Annotate `unread`: messages from others after the user's read mark (all of them without one)."""
    read_at = ReadMark.objects.filter(request=OuterRef("pk"), user=user).values("read_at")[:1]
    unread = (
        Message.objects.filter(request=OuterRef("pk"), created_at__gt=Coalesce(OuterRef("read_at"), Value(EPOCH)))
        .exclude(author=user)
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return requests.annotate(read_at=Subquery(read_at)).annotate(
        unread=Coalesce(Subquery(unread), 0),
        # Changed since the user last opened it (for the portal's own notifications; email tells too).
        updated_since_read=Case(
            When(updated_at__gt=F("read_at"), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )
