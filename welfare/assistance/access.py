"""Who may see what at a Social Point.

Operators see the interviews and appointments of their own Social Points. Of a resident they see
only name and municipality after an exact codice fiscale search, until the resident gives them more
(a delegation, the consent recorded in an interview, or an assisted registration not taken over):
accounts.access.authority_over decides that.
"""

import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from welfare.accounts.access import (
    Acting,
    AnyUser,
    authority_over,
    districts_for_planning,
    require_places,
    scopes_for,
    unrestricted,
)
from welfare.accounts.models import CitizenProfile, Role, User
from welfare.assistance.models import Appointment, Interview, Rectification
from welfare.audit.actions import record
from welfare.lib.codice_fiscale import normalise_codice_fiscale, validate_codice_fiscale
from welfare.lib.encryption import decrypt
from welfare.territory.models import SocialPoint


def social_points_for_operator(user: AnyUser) -> list[SocialPoint]:
    """The Social Points where the user is an operator; PermissionDenied when none."""
    return require_places(user, Role.OPERATOR, SocialPoint)


def access_social_point_for_operator(user: AnyUser, slug: str) -> SocialPoint:
    for point in social_points_for_operator(user):
        if point.slug == slug:
            return point
    raise Http404


def social_points_for_district_admin(user: AnyUser) -> QuerySet[SocialPoint]:
    """Every Social Point of the districts the user plans for (open or closed); PermissionDenied when none."""
    districts = districts_for_planning(user)
    return (SocialPoint.objects.filter(municipality__district__in=districts).select_related("municipality")
            .prefetch_related("opening_hours"))  # fmt: skip


def access_social_point_to_manage(user: AnyUser, slug: str) -> SocialPoint:
    """A Social Point the planning office may edit, open or close: one of its districts' (404 for another's)."""
    point = social_points_for_district_admin(user).filter(slug=slug).first()
    if point is None:
        raise Http404
    return point


def access_social_point_hours(user: AnyUser, slug: str) -> SocialPoint:
    """A Social Point whose closures, other hours and notice the user may change: the planning office's of its
    districts, an operator's own. PermissionDenied for anyone who is neither; 404 for a point not theirs."""
    districts = scopes_for(user, Role.DISTRICT_ADMIN)
    points = scopes_for(user, Role.OPERATOR)
    if not districts and not points:
        raise PermissionDenied
    point = (SocialPoint.objects.filter(Q(municipality__district__in=districts) | Q(pk__in=[p.pk for p in points]))
             .filter(slug=slug).select_related("municipality").first())  # fmt: skip
    if point is None:
        raise Http404
    return point


def manages_point(user: AnyUser, point: SocialPoint) -> bool:
    """Whether the user is the planning office of the point's district (edits, opens and closes it)."""
    return any(district.pk == point.municipality.district_id for district in scopes_for(user, Role.DISTRICT_ADMIN))


def sees_visitors_of(user: AnyUser, point: SocialPoint) -> bool:
    """Whether the user may see who booked at the point (its operators), not only how many (the planning office)."""
    return any(place.pk == point.pk for place in scopes_for(user, Role.OPERATOR))


@dataclass(frozen=True)
class ResidentMatch:
    """What an operator may know of a resident found by codice fiscale, and what more they may do."""

    profile: CitizenProfile
    authority: Acting | None

    @property
    def name(self) -> str:
        return self.profile.user.get_full_name()

    @property
    def municipality(self) -> str:
        return self.profile.municipality.name


def find_resident(user: AnyUser, codice_fiscale: str) -> ResidentMatch | None:
    """Exact codice fiscale search, for operators only: no partial matches, no lists of names."""
    social_points_for_operator(user)
    assert isinstance(user, User)
    code = normalise_codice_fiscale(codice_fiscale)
    try:
        validate_codice_fiscale(code)
    except ValidationError:
        return None  # not a codice fiscale: nobody has it (and it never reaches the database)
    profile = (
        CitizenProfile.objects.select_related("user", "municipality")
        .filter(codice_fiscale=code, user__is_active=True)
        .first()
    )
    if profile is None:
        return None
    record(user, "resident.found_by_codice_fiscale", profile, on_behalf_of=None)
    return ResidentMatch(profile=profile, authority=authority_over(user, profile.user))


def interviews_for_operator(user: AnyUser) -> QuerySet[Interview]:
    return Interview.objects.filter(unrestricted("resident__user"), social_point__in=social_points_for_operator(user))


def access_interview_for_operator(user: AnyUser, interview_id: uuid.UUID) -> Interview:
    try:
        return (
            interviews_for_operator(user)
            .select_related("social_point", "resident__user", "resident__municipality", "operator")
            .get(pk=interview_id)
        )
    except Interview.DoesNotExist as error:
        raise Http404 from error


def access_interview_for_resident(user: AnyUser, interview_id: uuid.UUID) -> Interview:
    """Only the resident themself: interview notes are not shared with delegates."""
    if not user.is_authenticated:
        raise Http404
    try:
        return (
            Interview.objects.filter(resident__user=user)
            .select_related("social_point", "operator")
            .get(pk=interview_id)
        )
    except Interview.DoesNotExist as error:
        raise Http404 from error


def interview_notes_of(interview: Interview, *, reader: User) -> str:
    """Decrypt an interview's notes; every read is recorded, the resident's own included.

    Callers have already checked access (access_interview_for_operator / _for_resident).
    """
    if not interview.notes_encrypted:
        return ""
    record(reader, "interview.notes_read", interview, on_behalf_of=None)
    notes: str = json.loads(decrypt(interview.notes_encrypted))["notes"]
    return notes


def appointments_for_operator(user: AnyUser) -> QuerySet[Appointment]:
    return Appointment.objects.filter(social_point__in=social_points_for_operator(user))


def access_appointment_for_operator(user: AnyUser, appointment_id: uuid.UUID) -> Appointment:
    try:
        return appointments_for_operator(user).select_related("social_point").get(pk=appointment_id)
    except Appointment.DoesNotExist as error:
        raise Http404 from error


def access_resident_for_operator(user: AnyUser, profile_id: int) -> ResidentMatch:
    """A resident the operator's Social Point may follow (delegation, consent, or assisted account); 404 otherwise."""
    social_points_for_operator(user)
    profile = CitizenProfile.objects.select_related("user", "municipality").filter(pk=profile_id).first()
    authority = authority_over(user, profile.user) if profile is not None else None
    if profile is None or authority is None:
        raise Http404
    return ResidentMatch(profile=profile, authority=authority)


def consents_of(profile: CitizenProfile) -> list[Interview]:
    """The Social Points following the resident on the consent given in an interview, today: the latest interview
    of each (withdrawing it ends the consent at that Social Point)."""
    interviews = (
        Interview.objects.filter(resident=profile, consent_until__gte=timezone.localdate(),
                                 delegation__revoked_at__isnull=True)
        .select_related("social_point")
        .order_by("social_point_id", "-held_on", "-created_at")
    )  # fmt: skip
    latest: dict[int, Interview] = {}
    for interview in interviews:
        latest.setdefault(interview.social_point_id, interview)
    return list(latest.values())


def rectifications_for_operator(user: AnyUser) -> QuerySet[Rectification]:
    """Requests for rectification sent to the operator's Social Points."""
    return Rectification.objects.filter(social_point__in=social_points_for_operator(user))


def access_rectification_for_operator(user: AnyUser, rectification_id: uuid.UUID) -> Rectification:
    try:
        return rectifications_for_operator(user).select_related("resident__user", "social_point").get(
            pk=rectification_id)  # fmt: skip
    except Rectification.DoesNotExist as error:
        raise Http404 from error
