import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from welfare.lib.search_text import search_document, search_terms
from welfare.territory.models import District, DistrictPage, Municipality, OpeningException, OpeningHours, SocialPoint


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


def published_pages() -> QuerySet[DistrictPage]:
    """The guides and news of the district this installation serves, newest first."""
    return DistrictPage.objects.filter(district__slug=settings.WELFARE_DISTRICT, published_at__isnull=False)


def pages_matching(text: str, limit: int = 3) -> list[DistrictPage]:
    """Published pages whose title and text (in either language) hold every word of a search: a district writes
    tens of pages, so they are compared in Python with the catalogue search's own normalisation."""
    terms = search_terms(text)
    if not terms:
        return []
    found = []
    for page in published_pages():
        document = set(search_document(page.title_it, page.title_en, page.body_it, page.body_en).split())
        if all(term in document for term in terms):
            found.append(page)
    return found[:limit]


def pages_version() -> str:
    """Changes when a page is written, published or withdrawn (for the cached home and search pages)."""
    latest = DistrictPage.objects.aggregate(latest=Max("updated_at"), count=Count("pk"))
    return f"{latest['latest']}|{latest['count']}"
