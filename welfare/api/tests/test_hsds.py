"""The open HSDS 3.0 API: responses validate against the HSDS schemas; errors are 4xx JSON."""

import json
import re
import uuid
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

SCHEMAS = Path(__file__).parent / "hsds_schemas"
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def validate(instance, schema_name):
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text())
    errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(instance), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_about(client, db):
    data = client.get("/api/hsds/").json()
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/api/hsds/openapi.json")


def test_services_list_only_published_in_the_page_envelope(client, catalogue):
    data = client.get("/api/hsds/services").json()
    assert set(data) == ENVELOPE
    assert (data["total_items"], data["total_pages"], data["page_number"], data["empty"]) == (3, 1, 1, False)
    assert sorted(s["name"] for s in data["contents"]) == [
        "Aiuto a casa Arcobaleno",
        "Educativa domiciliare Melograno",
        "Sportello famiglie Tradate",
    ]
    for service in data["contents"]:
        validate(service, "service_list")
        assert service["status"] == "active"


def test_a_full_service_validates_against_the_hsds_schema(client, catalogue):
    data = client.get(f"/api/hsds/services/{catalogue.educativa.pk}").json()
    validate(data, "service")
    assert data["cost_options"][0]["amount"] == 22.0
    assert data["cost_options"][0]["currency"] == "EUR"
    assert {area["name"] for area in data["service_areas"]} == {"Tradate", "Vedano Olona"}
    assert {a["taxonomy_term"]["code"] for a in data["attributes"]} == {"adm", "minori", "famiglie"}


def test_full_lists_validate_too(client, catalogue):
    for service in client.get("/api/hsds/services?full=true").json()["contents"]:
        validate(service, "service")


def test_search_filters_and_pages(client, catalogue, taxonomy):
    assert client.get("/api/hsds/services?search=domiciliari").json()["total_items"] == 2
    by_term = client.get(f"/api/hsds/services?taxonomy_term_id={taxonomy['anziani'].pk}").json()
    assert [s["name"] for s in by_term["contents"]] == ["Aiuto a casa Arcobaleno"]
    by_org = client.get(f"/api/hsds/services?organization_id={catalogue.municipal.pk}").json()
    assert [s["name"] for s in by_org["contents"]] == ["Sportello famiglie Tradate"]
    page = client.get("/api/hsds/services?per_page=2&page=2").json()
    assert (page["size"], page["total_pages"], page["last_page"], page["first_page"]) == (1, 2, True, False)
    assert client.get("/api/hsds/services?modified_after=2999-01-01T00:00:00Z").json()["empty"] is True


def test_organizations_taxonomies_and_locations_validate(client, catalogue):
    organizations = client.get("/api/hsds/organizations").json()
    assert organizations["total_items"] == 3  # only those with published services
    for organization in organizations["contents"]:
        validate(organization, "organization_list")
    catalogue.municipal.logo = "https://www.comune.tradate.va.it/logo.png"
    catalogue.municipal.save(update_fields=["logo"])
    one = client.get(f"/api/hsds/organizations/{catalogue.municipal.pk}").json()
    validate(one, "organization")
    assert one["logo"].endswith("/logo.png")
    for taxonomy in client.get("/api/hsds/taxonomies").json()["contents"]:
        validate(taxonomy, "taxonomy")
    terms = client.get("/api/hsds/taxonomy_terms?per_page=200").json()
    assert terms["total_items"] == 20
    for term in terms["contents"]:
        validate(term, "taxonomy_term")


def test_service_at_locations_validate(client, catalogue):
    data = client.get("/api/hsds/service_at_locations").json()
    assert data["total_items"] == 1  # the educativa at the cooperative's office
    validate(data["contents"][0], "service_at_location_list")
    one = client.get(f"/api/hsds/service_at_locations/{data['contents'][0]['id']}").json()
    validate(one, "service_at_location")
    assert [s["byday"] for s in one["schedules"]] == ["MO", "TU", "WE", "TH", "FR"]
    assert one["location"]["addresses"][0]["city"] == "Tradate"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/hsds/services?format=xml", 400),
        ("/api/hsds/services/not-a-uuid", 422),
        ("/api/hsds/services?page=0", 422),
        ("/api/hsds/services?page=2", 404),
        ("/api/hsds/services?per_page=5000", 422),
        ("/api/hsds/services?taxonomy_term_id=xyz", 422),
        ("/api/hsds/services?modified_after=yesterday", 422),
        (f"/api/hsds/services/{uuid.uuid4()}", 404),
        (f"/api/hsds/organizations/{uuid.uuid4()}", 404),
        (f"/api/hsds/taxonomies/{uuid.uuid4()}", 404),
        ("/api/hsds/taxonomy_terms?page=abc", 422),
        ("/api/hsds/service_at_locations/123", 422),
    ],
)
def test_bad_requests_get_json_errors_not_500(client, catalogue, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert {"code", "message", "field"} <= set(response.json())  # the one error shape of both APIs


def test_drafts_and_submitted_services_are_not_in_the_open_data(client, catalogue):
    assert client.get(f"/api/hsds/services/{catalogue.draft.pk}").status_code == 404
    assert client.get(f"/api/hsds/services/{catalogue.submitted.pk}").status_code == 404
    assert "segreto" not in client.get("/api/hsds/services?full=true").text


def test_the_openapi_description_is_served(client, db):
    spec = client.get("/api/hsds/openapi.json").json()
    assert spec["info"]["version"] == "3.0"
    assert {"/api/hsds/services", "/api/hsds/services/{service_id}", "/api/hsds/organizations"} <= set(spec["paths"])


def test_the_standard_parameters_are_accepted_and_unknown_ones_ignored(client, catalogue):
    """Open Referral's API reference: format, minimal, full, search and the rest answer; unknown ones are ignored."""
    assert client.get("/api/hsds/services?colour=blue").status_code == 200
    assert client.get("/api/hsds/services?format=json").status_code == 200
    minimal = client.get("/api/hsds/services?minimal=true").json()["contents"]
    assert set(minimal[0]) == {"id", "modified_date"}
    full = client.get("/api/hsds/organizations?full_service=true").json()["contents"]
    assert any("service_at_locations" in service for org in full for service in org.get("services", []))
    assert client.get("/api/hsds/taxonomy_terms?top_only=true&search=educazione").json()["total_items"] == 1
    places = client.get("/api/hsds/service_at_locations?postcode=21049&proximity=500").json()
    assert places["total_items"] >= 1
    assert client.get(f"/api/hsds/organizations/{catalogue.educativa.organization_id}?format=json").status_code == 200


def test_every_answer_allows_any_origin_and_can_be_revalidated(client, catalogue):
    first = client.get("/api/hsds/services")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/hsds/services/not-a-uuid").headers["Access-Control-Allow-Origin"] == "*"


def test_the_whole_catalogue_downloads_as_an_hsds_zip(client, catalogue):
    import io
    import json
    import zipfile

    response = client.get("/dati-aperti/catalogo-hsds.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "README.txt",
        "services.json",
        "organizations.json",
        "service_at_locations.json",
        "taxonomies.json",
        "taxonomy_terms.json",
    }
    services = json.loads(archive.read("services.json"))
    assert {service["name"] for service in services} == {
        "Educativa domiciliare Melograno",
        "Aiuto a casa Arcobaleno",
        "Sportello famiglie Tradate",
    }  # no drafts
    assert "CC BY 4.0" in archive.read("README.txt").decode()


def test_both_apis_document_themselves_on_the_portal(client, db):
    for url in ("/api/hsds/docs/", "/api/v1/docs/"):
        page = client.get(url)
        assert page.status_code == 200
        # no asset from another host (a CDN); the CSRF token is random and may spell "cdn" itself
        assert not re.search(r"(src|href)=[\"']https?://", page.text)
        assert not re.search(r"//cdn\.|cdn\.jsdelivr|unpkg\.com", page.text.lower())
    assert "GET /api/hsds/services" in client.get("/api/hsds/docs/").text
