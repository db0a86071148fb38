"""Full-text search over published services, on PostgreSQL and on SQLite alike.

The text of a service is normalised in Python (welfare/lib/search_text.py) and stored in
`Service.search_document`. PostgreSQL searches its tsvector (`Service.search_vector`, GIN-indexed);
SQLite an FTS5 table; `index_service` keeps both in step. Queries are normalised the same way and
every term must match, so both databases return the same services; only the order of equally
relevant results may differ.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from welfare.catalogue.models import Service
from welfare.lib.search_text import search_document, search_terms


def build_document(service: Service) -> str:
    """Name twice (it weighs more), then what the service is, for whom, by whom."""
    kinds = [name for term in service.kinds.all() for name in (term.name_it, term.name_en)]
    groups = [name for term in service.target_groups.all() for name in (term.name_it, term.name_en)]
    return search_document(
        service.name,
        service.name,
        service.description,
        " ".join(kinds),
        " ".join(groups),
        service.organization.name,
        service.eligibility_description,
    )


def index_service(service: Service) -> None:
    """Store the normalised text; call inside the action that changed the service."""
    document = build_document(service)
    values: dict[str, object] = {"search_document": document}
    if connection.vendor == "postgresql":
        values["search_vector"] = SearchVector(Value(document), config="simple")
    Service.objects.filter(pk=service.pk).update(**values)
    service.search_document = document
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_service_fts WHERE service_id = %s", [service.pk.hex])
            cursor.execute(
                "INSERT INTO catalogue_service_fts (service_id, document) VALUES (%s, %s)",
                [service.pk.hex, document],
            )


def search(services: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Services matching every term of `text`, annotated with `rank` (higher is more relevant)."""
    terms = search_terms(text)
    if not terms:
        return services.annotate(rank=RawSQL("0", [], output_field=FloatField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(" & ".join(terms), search_type="raw", config="simple")
        return services.annotate(rank=SearchRank(F("search_vector"), query)).filter(search_vector=query)
    # FTS5: quoted terms joined by spaces must all match; bm25 is lower for better matches.
    match = " ".join(f'"{term}"' for term in terms)
    matching = "SELECT service_id FROM catalogue_service_fts WHERE catalogue_service_fts MATCH %s"
    rank = (
        "SELECT -bm25(catalogue_service_fts) FROM catalogue_service_fts "
        "WHERE catalogue_service_fts MATCH %s AND service_id = catalogue_service.id"
    )
    # Both statements are constant; the user's terms travel only as bound parameters.
    return services.filter(id__in=RawSQL(matching, [match])).annotate(  # noqa: S611
        rank=RawSQL(rank, [match], output_field=FloatField())  # noqa: S611
    )
