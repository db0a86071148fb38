"""The planning office names the data controller, the data protection officer and the published accessibility
statement; the privacy notice and the accessibility statement show them."""

import datetime as dt

from django.urls import reverse

from welfare.audit.models import AuditEntry
from welfare.territory.models import District

URL = "/area-riservata/ufficio-di-piano/ambito/"


def details(**changes):
    return {"office_name": "Ufficio di Piano", "office_address": "Piazza Mazzini 6", "office_email": "udp@example.org",
            "office_phone": "0331 1", "controller_name": "Comune di Tradate", "controller_contact": "PEC x@pec.it",
            "dpo_name": "Avv. Laura Bassi", "dpo_email": "rpd@example.org",
            "accessibility_statement_url": "https://form.agid.gov.it/view/abc",
            "accessibility_statement_date": "2026-09-20"} | changes  # fmt: skip


def test_the_planning_office_names_controller_dpo_and_statement(client, diana):
    client.force_login(diana)
    assert client.post(URL, details()).status_code == 302
    district = District.objects.get()
    assert district.dpo_email == "rpd@example.org"
    assert district.accessibility_statement_date == dt.date(2026, 9, 20)
    assert AuditEntry.objects.filter(verb="district.updated", actor_id=diana.pk).exists()
    privacy = client.get(reverse("portal:privacy"), HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "Comune di Tradate" in privacy
    assert "Avv. Laura Bassi" in privacy
    assert "rpd@example.org" in privacy
    assert "calcolate automaticamente" in privacy
    assert "welfare_language" in privacy
    statement = client.get(reverse("portal:accessibility")).content.decode()
    assert "https://form.agid.gov.it/view/abc" in statement
    assert "20 settembre 2026" in statement


def test_a_statement_not_on_https_is_refused_and_nothing_is_saved(client, diana):
    client.force_login(diana)
    response = client.post(URL, details(accessibility_statement_url="http://form.agid.gov.it/view/abc"))
    assert response.status_code == 400
    assert "https://" in response.content.decode()
    assert District.objects.get().dpo_name == ""


def test_only_the_planning_office_edits_them(client, olga, diana):
    client.force_login(olga)
    assert client.post(URL, details()).status_code == 403
    assert District.objects.get().dpo_name == ""
