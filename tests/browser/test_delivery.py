import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_confirm_statement_approve(web, voucher_request, pietro, alice, diana):
    page = web.page
    today = timezone.localdate()

    # The provider logs a session on the request.
    web.login_as(pietro)
    web.goto(f"/area-riservata/ente/richieste/{voucher_request.pk}/")
    page.get_by_role("link", name=re.compile(r"^Prestazioni erogate")).click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Data")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^Ora di inizio")).fill("15:00")
    page.get_by_label(re.compile(r"^Ora di fine")).fill("17:00")
    page.get_by_label(re.compile(r"^Attività")).fill("Compiti di matematica e lettura")
    page.get_by_role("button", name="Registra la prestazione").click()
    expect(page.get_by_text("Prestazione registrata.")).to_be_visible()
    expect(page.get_by_role("cell", name="44,00 €")).to_be_visible()
    web.check_accessibility()

    # The family confirms it on the request's page.
    page.context.clear_cookies()
    web.login_as(alice)
    web.goto(f"/area-riservata/richieste/{voucher_request.pk}/")
    expect(page.get_by_text("Compiti di matematica e lettura")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name=re.compile(r"^Conferma")).first.click()
    expect(page.get_by_text("Prestazione confermata.")).to_be_visible()
    web.check_accessibility()

    # The provider prepares and submits the month's statement.
    page.context.clear_cookies()
    web.login_as(pietro)
    web.goto("/area-riservata/ente/rendiconti/")
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Bando")).select_option(label=voucher_request.voucher.programme.name)
    page.get_by_label(re.compile(r"^Mese")).fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="Prepara il rendiconto").click()
    expect(page.get_by_text("Rendiconto preparato")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name="Invia all'Ufficio di Piano").click()
    expect(page.get_by_text("Rendiconto inviato all'Ufficio di Piano.")).to_be_visible()

    # The planning office approves it.
    page.context.clear_cookies()
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/rendiconti/")
    web.check_accessibility()
    page.locator("table a").first.click()
    web.check_accessibility()
    page.get_by_role("button", name="Approva il rendiconto").click()
    expect(page.get_by_text("Rendiconto approvato")).to_be_visible()
    expect(page.get_by_text("Approvato", exact=True)).to_be_visible()
    web.check_accessibility()
