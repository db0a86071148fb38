"""Who may see which programme, application and voucher.

Families (and whoever acts for them with the "vouchers" scope) see their own; the social worker
sees the applications of the municipalities they work for, nothing else; the planning office sees
its district's programmes; providers see calls and their own accreditations.
"""

import contextlib
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from welfare.accounts.access import Acting, AnyUser, Power, require_places, require_role, unrestricted
from welfare.accounts.models import Role, User
from welfare.audit.actions import record
from welfare.catalogue.models import Accreditation, AccreditationCall
from welfare.lib.encryption import decrypt
from welfare.territory.models import District, Municipality
from welfare.vouchers.models import (
    Application,
    ApplicationDocument,
    Programme,
    Ranking,
    Voucher,
)

# Everyone


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(status=Programme.Status.PUBLISHED).prefetch_related("kinds", "bands")


def access_published_programme(slug: str) -> Programme:
    try:
        return published_programmes().get(slug=slug)
    except Programme.DoesNotExist as error:
        raise Http404 from error


def access_published_ranking(programme: Programme, istat_code: str) -> Ranking:
    try:
        return Ranking.objects.select_related("municipality").get(
            programme=programme, municipality__istat_code=istat_code, published_at__isnull=False
        )
    except Ranking.DoesNotExist as error:
        raise Http404 from error


# The family


def _covered(acting: Acting) -> Q:
    """The applications or vouchers of the household members the person acting covers."""
    if acting.members is None:
        return Q() if acting.covers_self else Q(beneficiary_member__isnull=False)
    covered = Q(beneficiary_member__in=acting.members)
    return covered | Q(beneficiary_member__isnull=True) if acting.covers_self else covered


def applications_for_acting(acting: Acting) -> QuerySet[Application]:
    acting.require(Power.VOUCHERS)
    return Application.objects.filter(_covered(acting), applicant=acting.citizen)


def access_application_for_acting(acting: Acting, application_id: uuid.UUID) -> Application:
    try:
        return (
            applications_for_acting(acting)
            .select_related("programme", "beneficiary_member", "municipality")
            .prefetch_related("documents")
            .get(pk=application_id)
        )
    except Application.DoesNotExist as error:
        raise Http404 from error


def vouchers_for_acting(acting: Acting) -> QuerySet[Voucher]:
    acting.require(Power.VOUCHERS)
    return Voucher.objects.filter(_covered(acting), holder=acting.citizen)


def access_voucher_for_acting(acting: Acting, voucher_id: uuid.UUID) -> Voucher:
    try:
        return (
            vouchers_for_acting(acting)
            .select_related("programme", "beneficiary_member", "municipality", "account", "holder")
            .get(pk=voucher_id)
        )
    except Voucher.DoesNotExist as error:
        raise Http404 from error


# The municipal social worker


def social_worker_municipalities(user: AnyUser) -> list[Municipality]:
    """PermissionDenied for anyone who is not a municipal social worker."""
    return require_places(user, Role.SOCIAL_WORKER, Municipality)


def applications_for_social_worker(user: AnyUser) -> QuerySet[Application]:
    """Sent applications of residents of the worker's municipalities; drafts stay private to the family."""
    return Application.objects.filter(
        unrestricted("applicant"), municipality__in=social_worker_municipalities(user)
    ).exclude(status=Application.Status.DRAFT)


def access_application_for_social_worker(user: AnyUser, application_id: uuid.UUID) -> Application:
    try:
        return (
            applications_for_social_worker(user)
            .select_related("programme", "applicant", "beneficiary_member", "municipality", "assessed_by")
            .prefetch_related("documents")
            .get(pk=application_id)
        )
    except Application.DoesNotExist as error:
        raise Http404 from error


def assessment_notes_of(application: Application, *, reader: User) -> str:
    """Decrypt the social worker's assessment notes; every read is recorded, like the other encrypted fields.

    Callers have already checked access (access_application_for_social_worker): the family never reads them.
    """
    if not application.assessment_notes_encrypted:
        return ""
    record(reader, "application.assessment_notes_read", application, on_behalf_of=None)
    return decrypt(application.assessment_notes_encrypted)


# The planning office


def admin_district(user: AnyUser) -> District:
    """The district the user runs; PermissionDenied for anyone who is not in a planning office."""
    memberships = require_role(user, Role.DISTRICT_ADMIN)
    district = memberships[0].district
    assert district is not None
    return district


def programmes_for_admin(user: AnyUser) -> QuerySet[Programme]:
    return Programme.objects.filter(district=admin_district(user))


def access_programme_for_admin(user: AnyUser, programme_id: uuid.UUID) -> Programme:
    try:
        return (
            programmes_for_admin(user)
            .prefetch_related("kinds", "bands", Prefetch("budgets", to_attr="budget_list"))
            .get(pk=programme_id)
        )
    except Programme.DoesNotExist as error:
        raise Http404 from error


def access_municipality_for_admin(user: AnyUser, istat_code: str) -> Municipality:
    try:
        return admin_district(user).municipalities.get(istat_code=istat_code)
    except Municipality.DoesNotExist as error:
        raise Http404 from error


def access_voucher_for_admin(user: AnyUser, voucher_id: uuid.UUID) -> Voucher:
    try:
        return Voucher.objects.select_related("programme").get(programme__district=admin_district(user), pk=voucher_id)
    except Voucher.DoesNotExist as error:
        raise Http404 from error


def calls_for_admin(user: AnyUser) -> QuerySet[AccreditationCall]:
    return AccreditationCall.objects.filter(district=admin_district(user))


def access_call_for_admin(user: AnyUser, call_id: uuid.UUID) -> AccreditationCall:
    try:
        return calls_for_admin(user).prefetch_related("kinds").get(pk=call_id)
    except AccreditationCall.DoesNotExist as error:
        raise Http404 from error


def access_accreditation_for_admin(user: AnyUser, accreditation_id: uuid.UUID) -> Accreditation:
    try:
        return (
            Accreditation.objects.select_related("call", "organization", "kind")
            .prefetch_related("services")
            .get(call__district=admin_district(user), pk=accreditation_id)
        )
    except Accreditation.DoesNotExist as error:
        raise Http404 from error


def access_call_for_provider(user: AnyUser, call_id: uuid.UUID) -> AccreditationCall:
    """An open call of this installation's district, for provider staff (PermissionDenied for others)."""
    from welfare.catalogue.access import organizations_for_staff

    organizations_for_staff(user)
    today = timezone.localdate()
    try:
        return AccreditationCall.objects.prefetch_related("kinds").get(
            pk=call_id, district__slug=settings.WELFARE_DISTRICT, opens_on__lte=today, closes_on__gte=today
        )
    except AccreditationCall.DoesNotExist as error:
        raise Http404 from error


# Documents: the family's side, the social worker of the municipality, the planning office


def access_application_document(acting: Acting, document_id: uuid.UUID) -> ApplicationDocument:
    user = acting.actor
    family = Application.objects.filter(_covered(acting), applicant=acting.citizen).values("pk")
    visible = Q(application__in=family) if acting.may(Power.VOUCHERS) else Q(pk__in=[])
    with contextlib.suppress(PermissionDenied):
        visible |= Q(application__municipality__in=social_worker_municipalities(user)) & ~Q(application__status="draft")
    with contextlib.suppress(PermissionDenied):
        visible |= Q(application__programme__district=admin_district(user)) & ~Q(application__status="draft")
    try:
        return ApplicationDocument.objects.filter(visible).get(pk=document_id)
    except ApplicationDocument.DoesNotExist as error:
        raise Http404 from error
