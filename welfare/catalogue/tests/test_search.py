"""Search behaves the same on SQLite and PostgreSQL: CI runs these on both."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import TRADATE, VEDANO, make_service
from welfare.catalogue.models import Service
from welfare.catalogue.queries import Filters, facets, matching_services
from welfare.catalogue.search import search


def names(**filters):
    return sorted(service.name for service in matching_services(Filters(**filters)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domiciliare", ["Aiuto a casa Arcobaleno", "Educativa domiciliare Melograno"]),  # finds "domiciliari" too
        ("domiciliari", ["Aiuto a casa Arcobaleno", "Educativa domiciliare Melograno"]),
        ("educativo", ["Educativa domiciliare Melograno"]),  # masculine finds feminine
        ("disabilita", ["Sportello famiglie Tradate"]),  # without the accent
        ("DISABILITÀ", ["Sportello famiglie Tradate"]),
        ("anziano", ["Aiuto a casa Arcobaleno"]),  # singular finds plural
        ("educativa anziani", []),  # every word must match
        ("home care", ["Aiuto a casa Arcobaleno"]),  # English names of the service kinds are indexed too
        (
            "di e per",
            sorted(["Aiuto a casa Arcobaleno", "Educativa domiciliare Melograno", "Sportello famiglie Tradate"]),
        ),
        ("segreto", []),  # drafts never appear
        ("trasporto", []),  # nor services waiting for review
    ],
)
def test_search_finds_inflections_and_accents_and_only_published(catalogue, query, expected):
    assert names(q=query) == expected


def test_filters(catalogue):
    assert names(comune=VEDANO) == ["Aiuto a casa Arcobaleno", "Educativa domiciliare Melograno"]
    assert names(comune=TRADATE, per="famiglie") == ["Educativa domiciliare Melograno", "Sportello famiglie Tradate"]
    assert names(tipo="adm") == ["Educativa domiciliare Melograno"]
    assert names(tipo="domiciliarita") == ["Aiuto a casa Arcobaleno"]  # a parent kind finds its children
    assert names(costo="gratuito") == ["Sportello famiglie Tradate"]
    assert names(costo="pagamento") == ["Aiuto a casa Arcobaleno", "Educativa domiciliare Melograno"]
    assert names(costo="voucher") == ["Aiuto a casa Arcobaleno", "Educativa domiciliare Melograno"]
    assert names(ente=str(catalogue.municipal.pk)) == ["Sportello famiglie Tradate"]
    assert names(q="domiciliare", comune=TRADATE) == ["Educativa domiciliare Melograno"]


def test_the_best_match_comes_first(catalogue):
    assert next(iter(matching_services(Filters(q="educativa domiciliare")))).name == "Educativa domiciliare Melograno"


def test_facets_count_each_choice_with_the_other_filters_kept(catalogue):
    by_name = {
        facet.name: {value: count for value, _label, count in facet.options} for facet in facets(Filters(comune=VEDANO))
    }
    assert by_name["comune"] == {TRADATE: 2, VEDANO: 2}  # its own filter is left out
    assert by_name["tipo"] == {"adm": 1, "sad": 1}
    assert by_name["costo"] == {"gratuito": 0, "pagamento": 2, "voucher": 2}
    assert by_name["per"] == {"minori": 1, "famiglie": 1, "anziani": 1}


def test_the_results_page_uses_the_same_number_of_queries_for_3_or_20_results(client, catalogue, taxonomy, provider_a):
    client.get(reverse("portal:privacy"))  # fills what every page keeps in the cache (the district)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("catalogue:search")).status_code == 200
    for number in range(17):
        make_service(
            provider_a,
            taxonomy,
            f"Babysitting {number}",
            kinds=["babysitting"],
            groups=["minori"],
            areas=[TRADATE, VEDANO],
            price=1200,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("catalogue:search"))
    assert response.context["page"].paginator.count == 20
    assert len(many) == len(few)


def test_results_are_shareable_by_url_and_paginated(client, catalogue, taxonomy, provider_a):
    for number in range(12):
        make_service(
            provider_a, taxonomy, f"Babysitting {number:02d}", kinds=["babysitting"], areas=[TRADATE], price=1200
        )
    url = reverse("catalogue:search") + "?q=babysitting&comune=" + TRADATE
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
    assert "12 servizi trovati" in first.text
    assert "pagina=2" in first.text
    second = client.get(url + "&pagina=2")
    assert len(second.context["page"].object_list) == 2
    beyond = client.get(url + "&pagina=3")  # past the end: the last page
    assert beyond.status_code == 200
    assert beyond.context["page"].number == 2


@pytest.mark.parametrize("number", ["abc", "", "1e9", "NaN", "-1", "0", "99999999999999999999999"])
def test_a_page_number_that_is_not_one_shows_a_page_of_results(client, catalogue, number):
    response = client.get(reverse("catalogue:search"), {"pagina": number})
    assert response.status_code == 200
    assert response.context["page"].number in (1, response.context["page"].paginator.num_pages)


def test_no_results_page_points_to_the_social_points(client, catalogue):
    response = client.get(reverse("catalogue:search") + "?q=astronauta", HTTP_ACCEPT_LANGUAGE="it")
    assert "Non abbiamo trovato servizi" in response.text
    assert reverse("portal:social_points") in response.text


def test_an_unknown_filter_value_is_ignored_and_explained(client, catalogue):
    response = client.get(reverse("catalogue:search") + "?comune=999999", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert "comune" in response.context["form"].errors
    assert response.context["page"].paginator.count == 3


def test_service_page_shows_what_a_family_needs(client, catalogue):
    response = client.get(reverse("catalogue:service_detail", args=[catalogue.educativa.pk]), HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    for text in [
        "Educativa domiciliare Melograno",
        "22,00 €",
        "all&#x27;ora",
        "Età: da 3 a 17 anni.",
        "Vedano Olona",
        "voucher",
    ]:
        assert text in response.text


def test_unpublished_services_do_not_exist_for_the_public(client, catalogue):
    assert client.get(reverse("catalogue:service_detail", args=[catalogue.draft.pk])).status_code == 404
    assert client.get(reverse("catalogue:service_detail", args=[catalogue.submitted.pk])).status_code == 404


def test_provider_page_lists_only_published_services(client, catalogue, provider_a):
    response = client.get(reverse("catalogue:organization_detail", args=[provider_a.pk]))
    assert "Educativa domiciliare Melograno" in response.text
    assert "segreto" not in response.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's; SQLite uses FTS5")
def test_postgresql_answers_searches_from_the_gin_index(catalogue):
    """The stored vector is indexed, so the planner can use the index (and need not recompute it)."""
    query = search(Service.objects.all(), "domiciliare").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would otherwise be scanned
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "service_search_vector_gin" in plan
    assert "to_tsvector" not in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_sqlite_keeps_its_fts_table_in_step_with_the_services(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM catalogue_service_fts")
        assert cursor.fetchone()[0] == 5  # every service, published or not; search filters by status


@pytest.mark.parametrize(
    ("typed", "rest"),
    [("babysitting Vedano Olona", "babysitting"), ("babysitting a vedano olona", "babysitting"),
     ("VEDANO OLONA babysitting", "babysitting"), ("Vedano Olona", "")],
)  # fmt: skip
def test_a_town_named_in_the_search_acts_like_the_municipality_filter(client, catalogue, typed, rest):
    """Issue 17, defect 5: the town's name was searched as words in the descriptions."""
    from welfare.territory.models import Municipality

    vedano = Municipality.objects.get(name="Vedano Olona")
    response = client.get(reverse("catalogue:search"), {"q": typed}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.url).query) == {"comune": [vedano.istat_code], "dal_testo": ["1"]} | (
        {"q": [rest]} if rest else {}
    )
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="it")
    by_filter = client.get(reverse("catalogue:search"), {"q": rest, "comune": vedano.istat_code})
    assert page.context["page"].paginator.count == by_filter.context["page"].paginator.count
    assert "trovat" in page.text
    assert f"a {vedano.name}<" in page.text
    assert "Cerca in tutti i comuni" in page.text


def test_a_word_that_only_looks_like_a_town_is_searched_as_a_word(client, catalogue):
    assert client.get(reverse("catalogue:search"), {"q": "olona"}).status_code == 200
    chosen = client.get(reverse("catalogue:search"), {"q": "Tradate", "comune": "012127"})
    assert chosen.status_code == 200  # a municipality already chosen is not overridden


def test_italian_content_is_marked_as_italian_in_the_english_interface(client, catalogue):
    """WCAG 3.1.2: the descriptions are written in Italian; a screen reader in English must read them as such."""
    url = reverse("catalogue:service_detail", args=[catalogue.educativa.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert f'<h1 lang="it">{catalogue.educativa.name}</h1>' in english
    assert '<p class="wi-lead" lang="it">Un educatore' in english
    italian = client.get(url, HTTP_ACCEPT_LANGUAGE="it").text
    assert 'lang="it">Un educatore' not in italian
