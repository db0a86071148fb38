from django.urls import reverse

from conftest import TRADATE
from welfare.audit.models import AuditEntry
from welfare.catalogue.models import Service
from welfare.territory.models import Municipality


def form_data(taxonomy, **changes):
    return {
        "name": "Doposcuola Melograno",
        "description": "Compiti e giochi dopo la scuola, con educatori.",
        "kinds": [taxonomy["adm"].pk],
        "target_groups": [taxonomy["minori"].pk],
        "areas_served": [Municipality.objects.get(istat_code=TRADATE).pk],
        "price": "12.50",
        "price_unit": "hour",
        "minimum_age": "6",
        "maximum_age": "14",
        "required_documents": "Modulo di iscrizione\n\n  Documento del genitore  ",
        "languages": ["it", "en"],
    } | changes


def test_staff_create_a_draft_that_nobody_else_sees(client, catalogue, taxonomy, pietro):
    client.force_login(pietro)
    response = client.post(reverse("catalogue:staff_service_new"), form_data(taxonomy))
    service = Service.objects.get(name="Doposcuola Melograno")
    assert response.status_code == 302
    assert service.status == Service.Status.DRAFT
    assert service.organization == catalogue.educativa.organization
    assert service.cost_options.get().amount_cents == 1250
    assert service.required_documents == ["Modulo di iscrizione", "Documento del genitore"]
    assert AuditEntry.objects.filter(verb="service.created", actor=pietro).exists()
    client.logout()
    assert client.get(reverse("catalogue:service_detail", args=[service.pk])).status_code == 404


def test_bad_input_is_explained_on_the_field_and_nothing_is_saved(client, catalogue, taxonomy, pietro):
    client.force_login(pietro)
    response = client.post(
        reverse("catalogue:staff_service_new"),
        form_data(taxonomy, price="-1", minimum_age="15", maximum_age="6", kinds=[]),
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"price", "maximum_age", "kinds"}
    assert "non può essere inferiore" in response.text
    assert not Service.objects.filter(name="Doposcuola Melograno").exists()


def test_submit_publish_and_it_appears_in_search(client, catalogue, pietro, diana):
    draft = catalogue.draft
    client.force_login(pietro)
    client.post(reverse("catalogue:staff_service_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Service.Status.SUBMITTED

    client.force_login(diana)
    queue = client.get(reverse("catalogue:moderation_queue"))
    assert draft.name in queue.text
    client.post(reverse("catalogue:moderation_review", args=[draft.pk]), {"decision": "publish"})
    draft.refresh_from_db()
    assert draft.status == Service.Status.PUBLISHED
    assert AuditEntry.objects.filter(verb="service.published", actor=diana).exists()
    client.logout()
    assert draft.name in client.get(reverse("catalogue:search") + "?q=segreto").text


def test_return_needs_a_reason_and_the_provider_sees_it(client, catalogue, pietro, rita, diana):
    service = catalogue.submitted
    client.force_login(diana)
    url = reverse("catalogue:moderation_review", args=[service.pk])
    response = client.post(url, {"decision": "return", "reason": "  "}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert "Indica che cosa" in response.text
    service.refresh_from_db()
    assert service.status == Service.Status.SUBMITTED

    client.post(url, {"decision": "return", "reason": "Indicate gli orari del servizio."})
    service.refresh_from_db()
    assert (service.status, service.returned_reason) == (Service.Status.RETURNED, "Indicate gli orari del servizio.")
    client.force_login(rita)
    assert "Indicate gli orari" in client.get(reverse("catalogue:staff_services")).text


def test_another_providers_staff_cannot_see_or_touch_a_draft(client, catalogue, taxonomy, rita):
    client.force_login(rita)
    draft = catalogue.draft  # belongs to pietro's cooperative
    assert client.get(reverse("catalogue:staff_service_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("catalogue:staff_service_edit", args=[draft.pk]), form_data(taxonomy)).status_code == 404
    assert client.post(reverse("catalogue:staff_service_submit", args=[draft.pk])).status_code == 404
    assert draft.name not in client.get(reverse("catalogue:staff_services")).text
    draft.refresh_from_db()
    assert draft.status == Service.Status.DRAFT


def test_the_planning_office_does_not_see_drafts(client, catalogue, diana):
    client.force_login(diana)
    assert client.get(reverse("catalogue:moderation_review", args=[catalogue.draft.pk])).status_code == 404


def test_a_published_service_cannot_be_published_again(client, catalogue, diana):
    client.force_login(diana)
    url = reverse("catalogue:moderation_review", args=[catalogue.educativa.pk])
    response = client.post(url, {"decision": "publish"}, HTTP_ACCEPT_LANGUAGE="it", follow=True)
    assert "non può essere modificato" in response.text
    assert AuditEntry.objects.filter(verb="service.published", actor=diana).count() == 0


def test_editing_a_published_service_keeps_it_published_and_reindexes_it(client, catalogue, taxonomy, pietro):
    client.force_login(pietro)
    service = catalogue.educativa
    data = form_data(taxonomy, name="Educativa Melograno a domicilio", description="Aiuto nei compiti.")
    client.post(reverse("catalogue:staff_service_edit", args=[service.pk]), data)
    service.refresh_from_db()
    assert service.status == Service.Status.PUBLISHED
    client.logout()
    assert "Educativa Melograno a domicilio" in client.get(reverse("catalogue:search") + "?q=compiti").text
