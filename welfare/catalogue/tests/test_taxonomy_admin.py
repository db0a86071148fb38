"""The growing offer: the planning office adds, renames and retires kinds of service and target groups; the home
page's areas, the search and the providers' form follow."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import TRADATE, make_service
from welfare.audit.models import AuditEntry
from welfare.catalogue.actions import do_retire_term, do_save_term
from welfare.catalogue.forms import ServiceForm, search_choices
from welfare.catalogue.models import Service, Taxonomy, TaxonomyTerm
from welfare.catalogue.queries import service_areas

URL = "/area-riservata/ufficio-di-piano/tipologie/"


def add(client, **data):
    return client.post(URL, {"description_it": "", "description_en": ""} | data)


def test_a_new_kind_is_offered_to_providers_and_shows_on_the_home_page_once_published(
    client, diana, catalogue, taxonomy, provider_a
):
    area = taxonomy["educazione-minori"]
    client.force_login(diana)
    response = add(client, where=f"kind:{area.pk}", name_it="Assistenza educativa scolastica estiva",
                   name_en="Summer educational support at school")  # fmt: skip
    assert response.status_code == 302
    kind = TaxonomyTerm.objects.get(name_it="Assistenza educativa scolastica estiva")
    assert kind.code == "assistenza-educativa-scolastica-estiva"
    assert kind.parent == area
    assert AuditEntry.objects.filter(verb="taxonomy_term.added", actor=diana).count() == 1
    assert kind in ServiceForm.base_fields["kinds"].queryset  # type: ignore[attr-defined]
    assert "Assistenza educativa scolastica estiva" not in client.get("/").content.decode()  # nothing offered yet
    make_service(provider_a, {"k": kind}, "Estate a scuola Melograno", kinds=["k"], areas=[TRADATE])
    (education,) = [a for a in service_areas() if a.code == "educazione-minori"]
    assert "Assistenza educativa scolastica estiva" in education.kinds
    assert "Assistenza educativa scolastica estiva" in client.get("/").content.decode()
    results = client.get(reverse("catalogue:search"), {"tipo": kind.code}).content.decode()
    assert "Estate a scuola Melograno" in results


def test_a_rename_shows_at_once_and_the_search_finds_the_new_name(client, diana, catalogue, taxonomy):
    client.force_login(diana)
    adm = taxonomy["adm"]
    response = client.post(reverse("catalogue:admin_term", args=[adm.pk]), {
        "where": f"kind:{adm.parent_id}", "name_it": "Educativa a domicilio per minori",
        "name_en": "Home educators for children", "description_it": "", "description_en": ""})  # fmt: skip
    assert response.status_code == 302
    adm.refresh_from_db()
    assert adm.code == "adm"  # links and open data keep working
    found = client.get(reverse("catalogue:search"), {"q": "educativa a domicilio"}).content.decode()
    assert catalogue.educativa.name in found


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"name_it": "assistenza domiciliare per anziani (SAD)", "name_en": "X"},
            "name_it",
        ),  # the name of another kind
        ({"name_it": "Nuova", "name_en": ""}, "name_en"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_saved(client, diana, taxonomy, data, field):
    client.force_login(diana)
    before = TaxonomyTerm.objects.count()
    response = add(client, where=f"kind:{taxonomy['domiciliarita'].pk}", **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert TaxonomyTerm.objects.count() == before


def test_retiring_a_kind_in_use_asks_where_its_services_go_then_moves_them(client, diana, catalogue, taxonomy):
    client.force_login(diana)
    centri = taxonomy["centri-estivi"]
    url = reverse("catalogue:admin_term_retire", args=[centri.pk])
    refused = client.post(url, {"replacement": ""})
    assert refused.status_code == 400
    assert "scegli dove spostarli" in refused.content.decode()
    centri.refresh_from_db()
    assert centri.retired_at is None
    assert client.post(url, {"replacement": taxonomy["babysitting"].pk}).status_code == 302
    centri.refresh_from_db()
    assert centri.retired_at is not None
    assert list(catalogue.draft.kinds.all()) == [taxonomy["babysitting"]]
    assert "centri-estivi" not in [code for code, _ in search_choices()["tipo"]]
    assert centri not in ServiceForm.base_fields["kinds"].queryset  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(verb="taxonomy_term.retired", actor=diana).count() == 1


def test_what_cannot_be_retired(diana, catalogue, taxonomy, programme):
    """An area with kinds; a kind a voucher programme pays for; a replacement of another sort."""
    with pytest.raises(ValidationError) as area:
        do_retire_term(taxonomy["educazione-minori"], actor=diana, replacement=taxonomy["domiciliarita"])
    assert area.value.code == "children"
    paid = programme.kinds.first()
    with pytest.raises(ValidationError) as in_use:
        do_retire_term(paid, actor=diana, replacement=taxonomy["babysitting"])
    assert in_use.value.code == "in_use"
    with pytest.raises(ValidationError):
        do_retire_term(taxonomy["sad"], actor=diana, replacement=taxonomy["anziani"])  # a target group
    assert not TaxonomyTerm.objects.filter(retired_at__isnull=False).exists()


def test_a_target_group_is_added_and_retired_and_the_home_page_follows(client, diana, catalogue, taxonomy):
    client.force_login(diana)
    assert add(client, where="group:", name_it="Giovani adulti", name_en="Young adults").status_code == 302
    group = TaxonomyTerm.objects.get(name_it="Giovani adulti")
    assert group.taxonomy.slug == "destinatari"
    assert "Giovani adulti" in client.get("/").content.decode()
    do_retire_term(group, actor=diana, replacement=None)  # nobody uses it: nothing to move
    assert "Giovani adulti" not in client.get("/").content.decode()


def test_the_seed_taxonomy_loads_again_without_undoing_the_offices_changes(taxonomy):
    import json

    from conftest import TAXONOMY_DATA
    from welfare.catalogue.actions import do_load_taxonomies

    kinds = Taxonomy.objects.get(slug="servizi-welfare")
    kind = do_save_term(actor=None, taxonomy=kinds, parent=taxonomy["sostegno-famiglia"],
                        name_it="Mediazione familiare", name_en="Family mediation")  # fmt: skip
    do_save_term(actor=None, taxonomy=kinds, term=taxonomy["sad"], parent=taxonomy["domiciliarita"],
                 name_it="Assistenza domiciliare (SAD)", name_en="Home care (SAD)")  # fmt: skip
    do_retire_term(taxonomy["babysitting"], actor=None, replacement=None)
    do_load_taxonomies(json.loads(TAXONOMY_DATA.read_text()), actor=None)
    assert TaxonomyTerm.objects.filter(pk=kind.pk, retired_at__isnull=True).exists()
    assert TaxonomyTerm.objects.get(code="sad").name_it == "Assistenza domiciliare (SAD)"
    assert TaxonomyTerm.objects.get(code="babysitting").retired_at is not None
    assert Service.objects.count() == 0
