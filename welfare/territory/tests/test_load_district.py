import json
from pathlib import Path

from django.core.management import call_command

from conftest import DISTRICT_DATA
from welfare.audit.models import AuditEntry
from welfare.territory.models import District, Municipality


def test_it_loads_the_eight_real_municipalities(db):
    call_command("load_district")
    district = District.objects.get(slug="ambito-tradate")
    assert district.lead_municipality.name == "Tradate"
    assert sorted(district.municipalities.values_list("istat_code", flat=True)) == [
        "012044", "012046", "012080", "012089", "012127", "012134", "012136", "012137",
    ]  # fmt: skip
    tradate = Municipality.objects.get(istat_code="012127")
    assert (tradate.cadastral_code, tradate.postal_codes, tradate.population) == ("L319", ["21049"], 17729)
    assert sum(Municipality.objects.values_list("population", flat=True)) == 54652


def test_loading_twice_changes_nothing(db):
    call_command("load_district")
    entries = AuditEntry.objects.count()
    call_command("load_district")
    assert Municipality.objects.count() == 8
    assert AuditEntry.objects.count() == entries


def test_corrected_reference_data_updates_in_place(db, tmp_path):
    call_command("load_district")
    data = json.loads(DISTRICT_DATA.read_text())
    data["municipalities"][0]["population_2011"] = 1300
    path = tmp_path / "district.json"
    path.write_text(json.dumps(data))

    call_command("load_district", str(path))

    assert Municipality.objects.get(istat_code="012044").population == 1300
    assert AuditEntry.objects.get(verb="municipality.updated").data == {"fields": ["population"]}


def test_another_district_is_a_matter_of_data(db, tmp_path, settings):
    district = {"slug": "ambito-esempio", "name": "Ambito di Esempio", "lead_municipality_istat": "999001"}
    municipality = {"name": "Esempio", "istat": "999001", "cadastral": "Z999", "cap": ["21000"]}
    data = {"district": district | {"province": "VA", "region": "Lombardia"}, "municipalities": [municipality]}
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data))
    call_command("load_district", str(path))
    assert District.objects.get(slug="ambito-esempio").lead_municipality.name == "Esempio"


def test_the_reference_data_lives_in_the_project():
    assert DISTRICT_DATA.is_file()
    assert "shared" not in Path(DISTRICT_DATA).resolve().parts


def test_every_page_shows_the_district_from_the_cache_and_a_change_at_once(
    district, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from welfare.territory.actions import do_update_district_office

    client.get("/privacy/")
    with django_assert_num_queries(0):  # header and footer: district and municipalities from the cache
        page = client.get("/privacy/").content.decode()
    assert "Tradate" in page
    assert "Venegono Superiore" in page  # the footer lists the municipalities
    with django_capture_on_commit_callbacks(execute=True):  # the cache is forgotten once the change is committed
        do_update_district_office(district, actor=None, address="Piazza Mazzini 1", email="ufficio@example.org",
                                  phone="0331 000111")  # fmt: skip
    assert "0331 000111" in client.get("/privacy/").content.decode()
