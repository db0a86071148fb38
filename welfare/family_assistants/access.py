"""Who may see what of the register of family assistants.

The register holds workers' personal data: only the desks (operators of the district's Social Points) and the
planning office see it, never the families and never the public. A listing's own person sees, corrects and
withdraws it. A family's need belongs to the Social Point where it was described, and to the family.
"""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from welfare.accounts.access import AnyUser, citizen_profile_of, roles_of, scopes_for, unrestricted
from welfare.accounts.models import Role
from welfare.family_assistants.models import Listing, Need, Proposal, Training
from welfare.territory.models import District, SocialPoint

# States a desk sees: a draft is still the person's own, a withdrawn listing is gone.
DESK_STATES = (Listing.State.SUBMITTED, Listing.State.LISTED, Listing.State.EXPIRED)


def register_districts(user: AnyUser) -> list[int]:
    """The districts whose register the user may read: their Social Points' and the planning office's."""
    districts = {place.municipality.district_id for place in scopes_for(user, Role.OPERATOR)
                 if isinstance(place, SocialPoint)}  # fmt: skip
    districts |= {place.pk for place in scopes_for(user, Role.DISTRICT_ADMIN) if isinstance(place, District)}
    return sorted(districts)


def may_read_register(user: AnyUser) -> bool:
    return bool(roles_of(user) & {Role.OPERATOR, Role.DISTRICT_ADMIN}) and bool(register_districts(user))


def listed_for(district_id: int, today: dt.date | None = None) -> QuerySet[Listing]:
    """The register's live part: listed and not past its end. The desk's matching and the proposal check read it."""
    today = today or timezone.localdate()
    return Listing.objects.filter(district_id=district_id, state=Listing.State.LISTED, expires_on__gte=today)


def listings_for_desk(user: AnyUser) -> QuerySet[Listing]:
    """The register as a desk or the planning office sees it; PermissionDenied for anyone else."""
    districts = register_districts(user)
    if not districts:
        raise PermissionDenied
    return Listing.objects.filter(district__in=districts, state__in=DESK_STATES)


def access_listing_for_desk(user: AnyUser, listing_id: uuid.UUID) -> Listing:
    try:
        return listings_for_desk(user).select_related("user", "validated_by", "social_point").get(pk=listing_id)
    except Listing.DoesNotExist as error:
        raise Http404 from error


def own_listing(user: AnyUser) -> Listing | None:
    """The person's own listing, whatever its state (withdrawn included: they may apply again)."""
    if not user.is_authenticated:
        return None
    return Listing.objects.filter(user=user).select_related("social_point").first()


def operator_points(user: AnyUser) -> list[SocialPoint]:
    return [place for place in scopes_for(user, Role.OPERATOR) if isinstance(place, SocialPoint)]


def needs_for_operator(user: AnyUser) -> QuerySet[Need]:
    """Families' needs described at the user's Social Points; PermissionDenied for anyone else."""
    points = operator_points(user)
    if not points:
        raise PermissionDenied
    return Need.objects.filter(unrestricted("resident__user"), social_point__in=points)


def access_need_for_operator(user: AnyUser, need_id: uuid.UUID) -> Need:
    try:
        return (
            needs_for_operator(user)
            .select_related("social_point", "resident__user", "municipality", "hired__user", "recorded_by")
            .get(pk=need_id)
        )
    except Need.DoesNotExist as error:
        raise Http404 from error


def needs_of_family(user: AnyUser) -> QuerySet[Need]:
    """The needs a resident described at a desk (their own account only: what is shared is theirs)."""
    profile = citizen_profile_of(user)
    if profile is None:
        return Need.objects.none()
    return Need.objects.filter(resident=profile)


def access_need_for_family(user: AnyUser, need_id: uuid.UUID) -> Need:
    try:
        return needs_of_family(user).select_related("social_point", "municipality", "hired__user").get(pk=need_id)
    except Need.DoesNotExist as error:
        raise Http404 from error


def proposals_for_assistant(user: AnyUser) -> QuerySet[Proposal]:
    if not user.is_authenticated:
        return Proposal.objects.none()
    return Proposal.objects.filter(listing__user=user)


def access_proposal_for_assistant(user: AnyUser, proposal_id: uuid.UUID) -> Proposal:
    try:
        return (
            proposals_for_assistant(user)
            .select_related("need__municipality", "need__social_point", "need__resident__user", "listing")
            .get(pk=proposal_id)
        )
    except Proposal.DoesNotExist as error:
        raise Http404 from error


def access_certificate(user: AnyUser, training_id: int) -> Training:
    """A training certificate: the listing's own person, a desk, or the planning office of its district."""
    found = Training.objects.select_related("listing").filter(pk=training_id).first()
    if found is None or not found.file:
        raise Http404
    if found.listing.user_id == user.pk:
        return found
    if found.listing.district_id in register_districts(user) and found.listing.state in DESK_STATES:
        return found
    raise Http404
