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


def png(width: int = 120, height: int = 48, colour: str = "#0066cc") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_logo_is_uploaded_served_by_the_portal_in_the_header_and_removed(
    client, diana, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(diana)
    upload = reverse("portal:district_logo_upload")
    response = client.post(upload, {"logo": SimpleUploadedFile("logo.png", png(), content_type="image/png")})
    assert response.status_code == 302
    district = District.objects.get()
    assert district.logo_type == "image/png"
    logo_url = reverse("portal:district_logo", args=[district.logo_digest])
    assert f'src="{logo_url}"' in client.get(reverse("portal:home")).content.decode()
    served = client.get(logo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert bytes(served.content) == png()
    assert "immutable" in served["Cache-Control"]
    assert client.get(reverse("portal:district_logo", args=["0123456789abcdef"])).status_code == 404
    assert AuditEntry.objects.filter(verb="district.logo_updated", actor_id=diana.pk).count() == 1
    # A new logo is a new address; the old one is gone.
    client.post(upload, {"logo": SimpleUploadedFile("logo.png", png(colour="#cc0000"), content_type="image/png")})
    assert client.get(logo_url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):  # the header's cached district is forgotten on commit
        assert client.post(upload, {"remove": "on"}).status_code == 302
    district.refresh_from_db()
    assert district.logo_digest == ""
    assert "/logo/" not in client.get(reverse("portal:home")).content.decode()


def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused_and_nothing_is_saved(client, diana):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(diana)
    upload = reverse("portal:district_logo_upload")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for content, message in [
        (svg, "PNG o JPEG"),
        (b"%PDF-1.4 not an image", "PNG o JPEG"),
        (png()[:40], "non è un'immagine leggibile"),  # a damaged PNG
        (png(3000, 100), "2000 pixel"),
    ]:
        response = client.post(upload, {"logo": SimpleUploadedFile("logo.png", content, content_type="image/png")})
        assert response.status_code == 400
        assert message in response.content.decode().replace("&#x27;", "'")
    assert client.post(upload, {}).status_code == 400  # neither an image nor "remove"
    assert District.objects.get().logo_digest == ""
    assert not AuditEntry.objects.filter(verb__startswith="district.logo").exists()
