"""Who sees which session and statement: the provider that logged it, the family of the request (and
whoever acts for them), the planning office for statements. Nobody else."""

import uuid

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from welfare.accounts.access import Acting, AnyUser, unrestricted
from welfare.care.access import requests_for_acting
from welfare.catalogue.access import organizations_for_staff
from welfare.delivery.models import Session, Statement
from welfare.vouchers.access import admin_district


def sessions_for_provider(user: AnyUser) -> QuerySet[Session]:
    """PermissionDenied for anyone who works for no provider."""
    return Session.objects.filter(unrestricted("request__requester"), organization__in=organizations_for_staff(user))


def access_session_for_provider(user: AnyUser, session_id: uuid.UUID) -> Session:
    try:
        return sessions_for_provider(user).select_related("request", "voucher", "statement").get(pk=session_id)
    except Session.DoesNotExist as error:
        raise Http404 from error


def sessions_for_acting(acting: Acting) -> QuerySet[Session]:
    return Session.objects.filter(request__in=requests_for_acting(acting).values("pk"))


def access_session_for_acting(acting: Acting, session_id: uuid.UUID) -> Session:
    try:
        return sessions_for_acting(acting).select_related("request").get(pk=session_id)
    except Session.DoesNotExist as error:
        raise Http404 from error


def statements_for_provider(user: AnyUser) -> QuerySet[Statement]:
    return Statement.objects.filter(organization__in=organizations_for_staff(user))


def access_statement_for_provider(user: AnyUser, statement_id: uuid.UUID) -> Statement:
    try:
        return statements_for_provider(user).select_related("organization", "programme").get(pk=statement_id)
    except Statement.DoesNotExist as error:
        raise Http404 from error


def statements_for_admin(user: AnyUser) -> QuerySet[Statement]:
    return Statement.objects.filter(programme__district=admin_district(user))


def access_statement_for_admin(user: AnyUser, statement_id: uuid.UUID) -> Statement:
    try:
        return statements_for_admin(user).select_related("organization", "programme").get(pk=statement_id)
    except Statement.DoesNotExist as error:
        raise Http404 from error


def access_statement(user: AnyUser, statement_id: uuid.UUID) -> Statement:
    """A statement for its provider's staff or the planning office of its district; 404 to anyone else."""
    from django.core.exceptions import PermissionDenied

    for finder in (access_statement_for_provider, access_statement_for_admin):
        try:
            return finder(user, statement_id)
        except (PermissionDenied, Http404):
            continue
    raise Http404


def sessions_to_check() -> Coalesce:
    """For a queryset of requests: how many of their sessions wait for the family's answer."""
    from django.db.models import Count, OuterRef, Subquery

    pending = (
        Session.objects.filter(
            request=OuterRef("pk"), status=Session.Status.VALID, confirmation=Session.Confirmation.PENDING
        )
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(pending), 0)
