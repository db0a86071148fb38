import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from welfare.territory.models import District, Municipality, OpeningException, OpeningHours, SocialPoint


def current_district() -> District | None:
    """The district this installation serves (settings.WELFARE_DISTRICT), with its municipalities."""
    return (
        District.objects.filter(slug=settings.WELFARE_DISTRICT)
        .defer("logo")  # every page has the district, only the logo's own address reads its bytes
        .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name")))
        .first()
    )


DISTRICT_CACHE_SECONDS = 300


def district_for_pages() -> District | None:
    """`current_district()` for every page's header and footer, kept in the cache for five minutes.

    It saves two queries on every page. The district changes only through `load_district` and the
    territory actions, which forget it here; other server processes see a change within five minutes.
    """
    found: District | None = cache.get_or_set(_district_key(), current_district, DISTRICT_CACHE_SECONDS)
    return found


def forget_district() -> None:
    cache.delete(_district_key())


def _district_key() -> str:
    return f"territory:district:{settings.WELFARE_DISTRICT}"


def public_social_points() -> QuerySet[SocialPoint]:
    """Social Points open to the public, with municipality, hours and the closures and other hours not yet over
    (`upcoming_exceptions`), in three queries."""
    return (
        SocialPoint.objects.filter(is_active=True, municipality__district__slug=settings.WELFARE_DISTRICT)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
            Prefetch(
                "exceptions",
                queryset=OpeningException.objects.filter(last_day__gte=timezone.localdate()),
                to_attr="upcoming_exceptions",
            ),
        )
    )


def territory_version() -> str:
    """Changes as soon as anything about the district, its municipalities, its Social Points or their hours
    changes, and each day (the closures shown are those not yet over): a digest of today's date and of every
    field of those five small tables.

    The home page and the contacts page are cached for anonymous visitors under it (the public page
    cache asks for it at most once a second per process). A district has a few dozen rows in all, a
    region a few hundred."""
    rows = [
        list(
            model.objects.order_by("pk").values_list(
                *(field.attname for field in model._meta.concrete_fields if field.attname != "logo")
            )
        )  # the digest says
        for model in (District, Municipality, SocialPoint, OpeningHours, OpeningException)
    ]
    return hashlib.sha256(repr([timezone.localdate(), rows]).encode()).hexdigest()
