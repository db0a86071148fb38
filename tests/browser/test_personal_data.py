"""A resident asks for a copy of their data from their area, in a browser: the page is accessible and in Italian,
the copy is prepared in the background and offered for download."""

import re

import pytest
from playwright.sync_api import expect

from welfare.portal.data_export import build_personal_data_export
from welfare.portal.models import PersonalDataExport

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_downloads_a_copy_of_their_data(web, alice, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    page = web.page
    web.login_as(alice)
    web.goto("/area-riservata/")
    page.get_by_role("link", name="Scarica i miei dati").click()
    web.check_accessibility()
    page.get_by_role("button", name="Prepara una copia dei miei dati").click()
    expect(page.get_by_text("Richiesta inviata")).to_be_visible()
    export = PersonalDataExport.objects.get(user=alice)
    if export.ready_at is None:  # the test's task backend may have run it already
        build_personal_data_export.call(str(export.pk))
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("scarica")).click()
    assert download.value.suggested_filename == "dati-personali.zip"
    web.check_accessibility()
