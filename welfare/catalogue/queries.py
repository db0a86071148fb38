"""The catalogue search as the results page and the API use it: filters, facets, ordering."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from welfare.catalogue.access import published_services
from welfare.catalogue.models import (
    SERVICE_KINDS,
    TARGET_GROUPS,
    Accreditation,
    CostOption,
    Organization,
    Review,
    Service,
    TaxonomyTerm,
)
from welfare.catalogue.search import search
from welfare.lib.page_cache import current_version
from welfare.lib.search_text import WORD, normalised_word
from welfare.territory.models import DistrictPage, Municipality

PAID = Exists(CostOption.objects.filter(service=OuterRef("pk"), amount_cents__gt=0))


@dataclass
class Filters:
    q: str = ""
    comune: str = ""
    tipo: str = ""
    per: str = ""
    costo: str = ""
    ente: str = ""

    def active(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


def _apply(services: QuerySet[Service], filters: Filters, skip: str = "") -> QuerySet[Service]:
    if filters.comune and skip != "comune":
        services = services.filter(areas_served__istat_code=filters.comune)
    if filters.tipo and skip != "tipo":
        services = services.filter(Q(kinds__code=filters.tipo) | Q(kinds__parent__code=filters.tipo))
    if filters.per and skip != "per":
        services = services.filter(target_groups__code=filters.per)
    if filters.ente and skip != "ente":
        services = services.filter(organization_id=filters.ente)
    if filters.costo and skip != "costo":
        if filters.costo == "gratuito":
            services = services.filter(~PAID)
        elif filters.costo == "pagamento":
            services = services.filter(PAID)
        elif filters.costo == "voucher":
            services = services.filter(voucher_eligible=True)
    return services


@dataclass(frozen=True)
class PlaceInText:
    istat_code: str
    rest: str  # the search words without the municipality's name


def place_named_in(text: str, municipalities: list[tuple[str, str]]) -> PlaceInText | None:
    """A district municipality named in the search words ("assistenza anziani Vedano Olona", "aiuto a Tradate"):
    people type where they live, and the catalogue knows which towns each service covers, so the name should
    act like the Municipality filter rather than as words to find in descriptions. `municipalities` are
    (ISTAT code, name), as the search form already holds them. Longest names first ("Venegono Superiore"
    before a shorter name it contains); the preposition before the name goes with it."""
    words = [(match.group(), normalised_word(match.group())) for match in WORD.finditer(text)]
    named = [(code, [normalised_word(word) for word in WORD.findall(name)]) for code, name in municipalities if code]
    for code, name in sorted(named, key=lambda item: -len(item[1])):
        for start in range(len(words) - len(name) + 1):
            if [normal for _, normal in words[start : start + len(name)]] == name:
                before = start - 1 if start and words[start - 1][1] in PLACE_PREPOSITIONS else start
                rest = [word for word, _ in words[:before] + words[start + len(name) :]]
                return PlaceInText(code, " ".join(rest))
    return None


PLACE_PREPOSITIONS = frozenset({"a", "ad", "in", "di", "da", "per", "vicino", "presso", "near", "at"})


def matching_services(filters: Filters) -> QuerySet[Service]:
    """Published services matching the text and every filter, most relevant first."""
    # The filters' joins stay in a subquery (no duplicate rows); the text is matched once, outside it.
    return (
        search(published_services(), filters.q)
        .filter(pk__in=_apply(published_services(), filters).values("pk"))
        .select_related("organization")
        .prefetch_related(
            "kinds",
            "target_groups",
            Prefetch("cost_options", queryset=CostOption.objects.order_by("amount_cents")),
            Prefetch("areas_served", queryset=Municipality.objects.order_by("name")),
        )
        .order_by(F("rank").desc(), "name", "pk")
    )


@dataclass
class Facet:
    name: str
    options: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count


def facets(filters: Filters) -> list[Facet]:
    """For each filter, how many results each choice would give with the other filters kept."""

    def ids(skip: str) -> QuerySet[Any]:
        return _apply(search(published_services(), filters.q), filters, skip).values("pk")

    municipalities = (
        Municipality.objects.filter(services__in=ids("comune"))
        .annotate(n=Count("services", distinct=True))
        .order_by("name")
    )
    kinds = (
        TaxonomyTerm.objects.filter(taxonomy__slug=SERVICE_KINDS, services__in=ids("tipo"))
        .annotate(n=Count("services", distinct=True))
        .order_by("position", "name_it")
    )
    groups = (
        TaxonomyTerm.objects.filter(services_for_group__in=ids("per"))
        .annotate(n=Count("services_for_group", distinct=True))
        .order_by("position")
    )
    providers = (
        Organization.objects.filter(services__in=ids("ente"))
        .annotate(n=Count("services", distinct=True))
        .order_by("-n", "name")
    )
    costs = Service.objects.filter(pk__in=ids("costo")).aggregate(
        gratuito=Count("pk", filter=~PAID),
        pagamento=Count("pk", filter=PAID),
        voucher=Count("pk", filter=Q(voucher_eligible=True)),
    )
    return [
        Facet("comune", [(m.istat_code, m.name, m.n) for m in municipalities]),
        Facet("tipo", [(t.code, t.name, t.n) for t in kinds]),  # type: ignore[attr-defined]  # annotated count
        Facet("per", [(t.code, t.name, t.n) for t in groups]),  # type: ignore[attr-defined]
        Facet(
            "costo",
            [
                ("gratuito", _("Free"), costs["gratuito"]),
                ("pagamento", _("Paid"), costs["pagamento"]),
                ("voucher", _("Payable with a municipal voucher"), costs["voucher"]),
            ],
        ),
        Facet("ente", [(str(o.pk), o.name, o.n) for o in providers]),
    ]


T = TypeVar("T")
CACHE_SECONDS = 600


def catalogue_version() -> str:
    """Changes as soon as anything public about the catalogue changes, in one query.

    A service or provider saved (edits, publishing, moderation), a place taken or freed (free_places
    moves by conditional UPDATE, which leaves `last_modified` alone), an accreditation decided, and
    the date (accreditations start and end on a day), a review written, answered or hidden, a kind of service
    or target group added, renamed or retired, a guide or piece of news written (the search shows those it matches).
    """
    service, organization, accreditation, review, term, page = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (Service, Organization, Accreditation, Review, TaxonomyTerm, DistrictPage)
    )
    values = [
        f"MAX(last_modified) FROM {service}", f"COUNT(*) FROM {service}", f"SUM(free_places) FROM {service}",
        f"MAX(last_modified) FROM {organization}", f"MAX(decided_at) FROM {accreditation}",
        f"COUNT(*) FROM {accreditation}", f"MAX(updated_at) FROM {review}", f"COUNT(*) FROM {review}",
        f"MAX(last_modified) FROM {term}", f"COUNT(*) FROM {term}",
        f"MAX(updated_at) FROM {page}", f"COUNT(*) FROM {page}",
    ]  # fmt: skip
    sql = "SELECT " + ", ".join(f"(SELECT {value})" for value in values)  # table names from the models, quoted
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return "|".join(str(value) for value in (*row, timezone.localdate()))


def cached_for_catalogue[T](name: str, parts: object, build: Callable[[], T]) -> T:
    """`build()`, cached until the catalogue changes (or ten minutes pass), per language.

    The facets and the filters' choices cost tens of milliseconds of query building for data that
    changes a few times a day; the results themselves are always read live.
    """
    raw = f"{name}|{current_version(catalogue_version)}|{get_language()}|{parts!r}"
    key = "catalogue:" + hashlib.sha256(raw.encode()).hexdigest()
    found: T = cache.get_or_set(key, build, CACHE_SECONDS)  # type: ignore[assignment]  # untyped cache API
    return found


def cached_facets(filters: Filters) -> list[Facet]:
    return cached_for_catalogue("facets", sorted(filters.active().items()), lambda: facets(filters))


MIN_REVIEWS = 5  # fewer reviews than this: no average is shown (one family's view is not a service's quality)


@dataclass(frozen=True)
class ReviewSummary:
    count: int
    punctuality: float
    kindness: float
    competence: float
    recommend_percent: int
    comments: list[Review]


def review_summary(service: Service) -> ReviewSummary | None:
    """A service's visible reviews, averaged: None until there are at least MIN_REVIEWS."""
    visible = Review.objects.filter(service=service, hidden_at__isnull=True)
    figures = visible.aggregate(n=Count("pk"), p=Avg("punctuality"), k=Avg("kindness"), c=Avg("competence"),
                                r=Count("pk", filter=Q(would_recommend=True)))  # fmt: skip
    if figures["n"] < MIN_REVIEWS:
        return None
    return ReviewSummary(
        figures["n"], round(figures["p"], 1), round(figures["k"], 1), round(figures["c"], 1),
        round(100 * figures["r"] / figures["n"]), list(visible.exclude(comment="").order_by("-created_at")[:10]),
    )  # fmt: skip


@dataclass(frozen=True)
class Area:
    """An area of the offer (a top-level kind, e.g. "Educazione e minori") with its kinds of service, as the home
    page shows them."""

    code: str
    name: str
    kinds: list[str]


def service_areas() -> list[Area]:
    """The active areas with the active kinds that have a published service, in the planning office's order, in the
    current language: an area nothing is offered in is left out (cached until the catalogue or its taxonomy
    changes)."""

    def build() -> list[Area]:
        terms = list(TaxonomyTerm.objects.active().filter(taxonomy__slug=SERVICE_KINDS).order_by("position", "name_it"))
        offered = set(published_services().values_list("kinds", flat=True))
        areas = [
            Area(area.code, area.name, [k.name for k in terms if k.parent_id == area.pk and k.pk in offered])
            for area in terms if area.parent_id is None
        ]  # fmt: skip
        return [area for area in areas if area.kinds]

    return cached_for_catalogue("service-areas", "", build)


def target_groups() -> list[tuple[str, str]]:
    """The active target groups (code, name), for the home page's "for whom" links."""
    return cached_for_catalogue("target-groups", "", lambda: [
        (term.code, term.name)
        for term in TaxonomyTerm.objects.active().filter(taxonomy__slug=TARGET_GROUPS).order_by("position", "name_it")
    ])  # fmt: skip
