from django.conf import settings
from django.db.models import Prefetch, QuerySet

from welfare.territory.models import District, Municipality, OpeningHours, SocialPoint


def current_district() -> District | None:
    """The district this installation serves (settings.WELFARE_DISTRICT), with its municipalities."""
    return (
        District.objects.filter(slug=settings.WELFARE_DISTRICT)
        .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name")))
        .first()
    )


def public_social_points() -> QuerySet[SocialPoint]:
    """Social Points open to the public, with municipality and hours, in two queries."""
    return (
        SocialPoint.objects.filter(is_active=True, municipality__district__slug=settings.WELFARE_DISTRICT)
        .select_related("municipality")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")))
    )
