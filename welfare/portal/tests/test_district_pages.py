"""The guides and news the planning office writes: in Italian and English, plain text with headings and links,
drafts until published; the home page and the search show them."""

import pytest
from django.urls import reverse

from welfare.audit.models import AuditEntry
from welfare.territory.models import DistrictPage

NEW = "/area-riservata/ufficio-di-piano/pagine/nuova/"


def heat_wave(**changes):
    return {"kind": "news", "title_it": "Ondata di calore: chi chiamare", "title_en": "Heat wave: whom to call",
            "body_it": "# Chi chiamare\n- emergenze: [112](tel:112)\n- il Social Point del tuo comune",
            "body_en": "# Whom to call\n- emergencies: [112](tel:112)"} | changes  # fmt: skip


def test_a_page_is_a_draft_until_published_then_on_the_home_page_and_in_the_search(client, diana, catalogue):
    client.force_login(diana)
    response = client.post(NEW, heat_wave())
    assert response.status_code == 302
    page = DistrictPage.objects.get()
    assert page.slug == "ondata-di-calore-chi-chiamare"
    public = reverse("portal:page", args=[page.slug])
    assert client.get(public).status_code == 404  # a draft
    assert "Ondata di calore" not in client.get("/").content.decode()
    assert client.post(reverse("portal:admin_page_publish", args=[page.pk]), {"pubblica": "1"}).status_code == 302
    shown = client.get(public).content.decode()
    assert '<a href="tel:112">112</a>' in shown
    assert "<h2>Chi chiamare</h2>" in shown
    assert "Ondata di calore: chi chiamare" in client.get("/").content.decode()
    found = client.get(reverse("catalogue:search"), {"q": "calore"}).content.decode()
    assert "Guide e notizie che possono aiutarti" in found
    assert public in found
    entries = AuditEntry.objects.filter(actor=diana, verb__startswith="district_page").order_by("pk")
    assert [e.verb for e in entries] == ["district_page.created", "district_page.published"]
    # Withdrawn: gone from the public pages again.
    client.post(reverse("portal:admin_page_publish", args=[page.pk]), {"pubblica": "0"})
    assert client.get(public).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title_en": ""}, "title_en"),
        ({"body_it": "[clic](javascript:alert(1))"}, "body_it"),
        ({"body_en": "<data:text/html,x>"}, "body_en"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_saved(client, diana, district, changes, field):
    client.force_login(diana)
    response = client.post(NEW, heat_wave(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not DistrictPage.objects.exists()


def test_html_typed_in_a_page_is_shown_as_text(client, diana, district):
    client.force_login(diana)
    client.post(NEW, heat_wave(body_it="Attenzione <script>alert(1)</script> <img src=x onerror=alert(1)>"))
    page = DistrictPage.objects.get()
    client.post(reverse("portal:admin_page_publish", args=[page.pk]), {"pubblica": "1"})
    shown = client.get(reverse("portal:page", args=[page.slug])).content.decode()
    assert "<script>alert(1)" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<img src=x" not in shown


def test_another_districts_planning_office_cannot_touch_a_page(client, diana, district):
    from conftest import make_staff
    from welfare.accounts.models import Role
    from welfare.territory.models import District

    client.force_login(diana)
    client.post(NEW, heat_wave())
    page = DistrictPage.objects.get()
    other = District.objects.create(slug="saronno", name="Ambito di Saronno", province="VA", region="Lombardia")
    client.force_login(make_staff("sara@example.org", "Sara", "Bianchi", Role.DISTRICT_ADMIN, other))
    assert client.get(reverse("portal:admin_page", args=[page.pk])).status_code == 404
    assert client.post(reverse("portal:admin_page_publish", args=[page.pk]), {"pubblica": "1"}).status_code == 404
    page.refresh_from_db()
    assert page.published_at is None
