import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_codice_fiscale

pytestmark = pytest.mark.django_db(transaction=True)


def test_request_propose_confirm_complete(web, catalogue, alice, pietro):
    page = web.page
    web.login_as(alice)

    # The family adds a child to the household…
    web.goto("/area-riservata/famiglia/")
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Nome")).fill("Luca")
    page.get_by_label(re.compile(r"^Cognome")).fill("Rossi")
    page.get_by_label(re.compile(r"^Codice fiscale")).fill(
        make_codice_fiscale("Luca", "Rossi", dt.date(2016, 5, 4), "Tradate", "M")
    )
    page.get_by_label(re.compile(r"^Data di nascita")).fill("2016-05-04")
    page.get_by_label(re.compile(r"^Parentela")).select_option(label="Figlio o figlia")
    page.get_by_role("button", name="Aggiungi").click()
    expect(page.get_by_text("Aggiunto al tuo nucleo familiare.")).to_be_visible()

    # …and asks for the educational service for him.
    web.goto(f"/servizi/{catalogue.educativa.pk}/")
    page.get_by_role("link", name="Richiedi", exact=True).click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"Luca Rossi")).check()
    page.get_by_label(re.compile(r"^Di che cosa hai bisogno")).fill("Aiuto nei compiti due pomeriggi a settimana.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_text("La richiesta è stata inviata.")).to_be_visible()
    request_url = page.url
    web.check_accessibility()

    # The provider proposes.
    page.context.clear_cookies()
    web.login_as(pietro)
    web.goto("/area-riservata/ente/richieste/")
    web.check_accessibility()
    page.locator("tbody a").first.click()
    web.check_accessibility()
    start = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page.get_by_label(re.compile(r"^Data di inizio")).fill(start)
    page.get_by_label(re.compile(r"^Giorni e orari")).fill("Lunedì e mercoledì 15-17")
    page.get_by_label(re.compile(r"^Operatore")).fill("Marta Bianchi")
    page.get_by_label(re.compile(r"^Come si paga")).select_option(
        label="Voucher comunale e compartecipazione della famiglia"
    )
    page.get_by_role("button", name="Invia la proposta").click()
    expect(page.get_by_text("Stato: Proposta ricevuta")).to_be_visible()
    provider_url = page.url

    # The family confirms.
    page.context.clear_cookies()
    web.login_as(alice)
    page.goto(request_url)
    expect(page.get_by_text("Marta Bianchi")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name="Conferma la proposta").click()
    expect(page.get_by_text("Stato: Confermata, in partenza")).to_be_visible()
    web.goto("/area-riservata/richieste/")
    expect(page.get_by_role("heading", name="Per Luca Rossi")).to_be_visible()
    web.check_accessibility()

    # The provider starts and completes the service.
    page.context.clear_cookies()
    web.login_as(pietro)
    page.goto(provider_url)
    page.get_by_role("button", name="Segna come iniziato").click()
    page.get_by_role("button", name="Segna come concluso").click()
    expect(page.get_by_text("Stato: Concluso")).to_be_visible()
    web.check_accessibility()
