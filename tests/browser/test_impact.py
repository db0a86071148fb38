"""The figures in a browser: the planning office's dashboard with its charts and tables, filtered by period and
municipality, and the public open data; axe on each, at both widths."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_dashboard_and_the_open_data(web, voucher_request, diana, sofia):
    page = web.page
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Dati", exact=True).click()
    expect(page.get_by_role("heading", name="Chi raggiungiamo")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Richieste per stato"))).to_be_visible()  # the SVG's title
    web.check_accessibility()
    page.get_by_label("Comune").select_option(label="Tradate")
    page.get_by_role("button", name="Mostra").click()
    expect(page.get_by_role("rowheader", name="Tradate").first).to_be_visible()
    web.check_accessibility()

    # A social worker sees their own municipality only.
    page.context.clear_cookies()
    web.login_as(sofia)
    web.goto("/area-riservata/dati/")
    expect(page.get_by_role("rowheader", name="Vedano Olona")).to_have_count(0)
    web.check_accessibility()

    # Anyone: the open data, with its licence.
    page.context.clear_cookies()
    web.goto("/")
    page.get_by_role("link", name="Dati aperti").click()
    expect(page.get_by_text("CC BY 4.0").first).to_be_visible()
    quarter = (timezone.localdate().month - 1) // 3 + 1
    expect(page.get_by_role("link", name=f"{quarter}° trimestre {timezone.localdate().year}")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("link", name="l'API del catalogo e la sua documentazione").click()
    expect(page.get_by_text("GET /api/hsds/services").first).to_be_visible()
    web.check_accessibility()
    web.goto("/api/v1/docs/")
    web.check_accessibility()
