"""Joining the network: a cooperative applies (tax numbers and register checked, no duplicates), the planning
office asks for a change, the applicant corrects it from the private link, the office approves: the organisation
exists and the applicant is invited as its first staff member, who manages its staff."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import TRADATE, VEDANO
from welfare.accounts.models import Membership, Role
from welfare.audit.models import AuditEntry
from welfare.catalogue.models import Organization
from welfare.network.models import ProviderApplication
from welfare.territory.models import Municipality

APPLY = "/rete/candidatura/"
VAT = "03456780125"  # a valid partita IVA (its check digit), used by no one in the tests


def application_data(**changes):
    tradate, vedano = (Municipality.objects.get(istat_code=code).pk for code in (TRADATE, VEDANO))
    return {
        "legal_name": "Cooperativa Sociale La Quercia", "legal_form": "coop_a", "vat_number": VAT, "tax_code": VAT,
        "register": "cooperatives", "register_number": "a123456", "address": "Via Roma 3", "postal_code": "21049",
        "city": "Tradate", "email": "info@laquercia.example.org", "pec": "", "phone": "0331 111222", "website": "",
        "description": "Assistenza educativa e domiciliare.", "municipalities": [tradate, vedano],
        "applicant_first_name": "Lucia", "applicant_last_name": "Verdi",
        "applicant_email": "lucia@laquercia.example.org",
    } | changes  # fmt: skip


def private_link(mailoutbox) -> str:
    body = mailoutbox[-1].body
    return re.search(r"(/rete/candidatura/[0-9a-f-]+/[^\s/]+/)", body).group(1)


def test_apply_ask_for_a_change_correct_and_approve(client, diana, mailoutbox, django_capture_on_commit_callbacks):
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(APPLY, application_data())
    assert response.status_code == 302
    application = ProviderApplication.objects.get()
    assert application.register_number == "A123456"
    assert application.state == ProviderApplication.State.SUBMITTED
    assert mailoutbox[-1].to == ["lucia@laquercia.example.org"]
    link = private_link(mailoutbox)
    assert response["Location"].split("/")[3] == str(application.pk)
    assert "In attesa dell&#x27;Ufficio di Piano" in anonymous.get(link).content.decode()

    client.force_login(diana)
    review = reverse("network:application_review", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(review, {"decision": "changes", "message": "Manca la PEC."}).status_code == 302
    application.refresh_from_db()
    assert application.state == ProviderApplication.State.CHANGES_REQUESTED
    assert "Manca la PEC." in mailoutbox[-1].body

    page = anonymous.get(link).content.decode()
    assert "Manca la PEC." in page
    assert anonymous.post(link, application_data(pec="laquercia@pec.example.org")).status_code == 302
    application.refresh_from_db()
    assert application.state == ProviderApplication.State.SUBMITTED
    assert application.pec == "laquercia@pec.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(review, {"decision": "approve", "message": ""}).status_code == 302
    application.refresh_from_db()
    organization = Organization.objects.get(tax_code=VAT)
    assert application.organization == organization
    assert organization.kind == Organization.Kind.COOPERATIVE
    membership = Membership.objects.get(organization=organization)
    assert membership.role == Role.PROVIDER_STAFF
    assert membership.manages_staff
    assert membership.user.email == "lucia@laquercia.example.org"
    assert "/account/password/reset/key/" in mailoutbox[-1].body  # invited: she sets a password
    assert [e.verb for e in AuditEntry.objects.filter(verb__startswith="provider_application").order_by("pk")] == [
        "provider_application.submitted", "provider_application.changes_requested", "provider_application.corrected",
        "provider_application.approved"]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"vat_number": "12345678903"}, "vat_number", "partita IVA"),
        ({"tax_code": "RSSMRA80A01H501U"}, "tax_code", "codice fiscale valido di un ente"),
        ({"register_number": "123456"}, "register_number", "A seguita da 6 cifre"),
        ({"register": "runts", "register_number": "A12"}, "register_number", "solo cifre"),
        ({"municipalities": []}, "municipalities", ""),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_saved(client, district, changes, field, message):
    response = client.post(APPLY, application_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not ProviderApplication.objects.exists()


def test_an_organisation_already_in_the_network_or_already_applying_is_refused(client, district, provider_a):
    assert client.post(APPLY, application_data(vat_number="", tax_code=provider_a.tax_code)).status_code == 400
    assert client.post(APPLY, application_data()).status_code == 302
    again = client.post(APPLY, application_data(legal_name="La Quercia bis"))
    assert again.status_code == 400
    assert "già in esame" in " ".join(again.context["form"].errors["tax_code"])
    assert ProviderApplication.objects.count() == 1


def test_a_municipality_of_another_district_is_not_offered(client, district):
    from welfare.territory.models import District

    other = District.objects.create(slug="saronno", name="Ambito di Saronno", province="VA", region="Lombardia")
    saronno = Municipality.objects.create(district=other, name="Saronno", istat_code="012119", cadastral_code="I441",
                                          postal_codes=["21047"])  # fmt: skip
    assert client.post(APPLY, application_data(municipalities=[saronno.pk])).status_code == 400
    assert not ProviderApplication.objects.exists()


def test_the_private_link_is_needed_and_a_decided_application_is_not_changed(client, diana, district):
    client.post(APPLY, application_data())
    application = ProviderApplication.objects.get()
    assert client.get(reverse("network:application", args=[application.pk, "forged"])).status_code == 404
    client.force_login(diana)
    review = reverse("network:application_review", args=[application.pk])
    assert client.post(review, {"decision": "refuse", "message": ""}).status_code == 400  # a reason is needed
    assert client.post(review, {"decision": "refuse", "message": "Non opera nell'ambito."}).status_code == 302
    assert client.post(review, {"decision": "approve", "message": ""}).status_code == 400
    application.refresh_from_db()
    assert application.state == ProviderApplication.State.REFUSED
    assert not Organization.objects.filter(tax_code=VAT).exists()


def test_another_districts_planning_office_cannot_see_or_decide(client, district):
    from conftest import make_staff
    from welfare.territory.models import District

    client.post(APPLY, application_data())
    application = ProviderApplication.objects.get()
    other = District.objects.create(slug="saronno", name="Ambito di Saronno", province="VA", region="Lombardia")
    sara = make_staff("sara@example.org", "Sara", "Bianchi", Role.DISTRICT_ADMIN, other)
    client.force_login(sara)
    assert "La Quercia" not in client.get(reverse("network:applications")).content.decode()
    review = reverse("network:application_review", args=[application.pk])
    assert client.post(review, {"decision": "approve", "message": ""}).status_code == 404
    application.refresh_from_db()
    assert application.state == ProviderApplication.State.SUBMITTED


def test_a_municipality_registers_its_own_services_and_its_staff_gets_the_role(client, diana, district):
    from welfare.network.access import manager_of
    from welfare.network.actions import do_give_role

    castiglione = Municipality.objects.get(name="Castiglione Olona")
    client.force_login(diana)
    url = reverse("network:municipal_services")
    data = {"municipality": castiglione.pk, "name": "Comune di Castiglione Olona – Servizi sociali",
            "tax_code": "08765430031", "email": "", "phone": ""}  # fmt: skip
    bad = client.post(url, data | {"tax_code": "123"})
    assert bad.status_code == 400
    assert "tax_code" in bad.context["municipal_form"].errors
    assert client.post(url, data).status_code == 302
    office = Organization.objects.get(tax_code="08765430031")
    assert office.kind == Organization.Kind.MUNICIPAL
    assert office.municipality == castiglione
    again = client.post(url, data | {"tax_code": "07654320121"})
    assert again.status_code == 400
    assert "municipality" in again.context["municipal_form"].errors
    membership, invited = do_give_role(manager_of(diana), email="ufficio@castiglione.example.org", first_name="Ada",
                                       last_name="Neri", role=Role.PROVIDER_STAFF, place=office)  # fmt: skip
    assert invited
    assert membership.organization == office


def test_another_districts_municipality_is_not_offered(client, diana, district):
    from welfare.territory.models import District

    other = District.objects.create(slug="saronno", name="Ambito di Saronno", province="VA", region="Lombardia")
    saronno = Municipality.objects.create(district=other, name="Saronno", istat_code="012119", cadastral_code="I441",
                                          postal_codes=["21047"])  # fmt: skip
    client.force_login(diana)
    response = client.post(reverse("network:municipal_services"), {
        "municipality": saronno.pk, "name": "Comune di Saronno", "tax_code": "08765430031"})  # fmt: skip
    assert response.status_code == 400
    assert not Organization.objects.filter(tax_code="08765430031").exists()
