"""A cooperative joins the network: it applies, the planning office asks for a change, the cooperative fixes it,
the office approves; its staff member puts a service in the catalogue, the office publishes it, and residents and
the open data find it. Every page checked with axe."""

import json
import re
import urllib.request

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_catalogue import offer_and_publish

pytestmark = pytest.mark.django_db(transaction=True)


def fill_application(page) -> None:
    page.get_by_label(re.compile(r"^Denominazione")).fill("Cooperativa Sociale La Quercia")
    page.get_by_label(re.compile(r"^Forma giuridica")).select_option(value="coop_a")
    page.get_by_label(re.compile(r"^Partita IVA")).fill("01122330127")
    page.get_by_label(re.compile(r"^Codice fiscale dell'ente")).fill("01122330127")
    page.get_by_label(re.compile(r"^Registro")).select_option(value="cooperatives")
    page.get_by_label(re.compile(r"^Numero di iscrizione")).fill("A123456")
    page.get_by_label(re.compile(r"^Sede legale")).fill("Via Roma 3")
    page.get_by_label(re.compile(r"^CAP")).fill("21049")
    page.get_by_label(re.compile(r"^Comune \*")).fill("Tradate")
    page.get_by_label(re.compile(r"^Email dell'ente")).fill("info@laquercia.example.org")
    page.get_by_label(re.compile(r"^Telefono")).fill("0331 111222")
    page.get_by_label(re.compile(r"^Di che cosa si occupa")).fill("Educativa domiciliare e scolastica per minori.")
    page.get_by_label("Tradate", exact=True).check()
    page.get_by_label(re.compile(r"^Il tuo nome")).fill("Lucia")
    page.get_by_label(re.compile(r"^Il tuo cognome")).fill("Verdi")
    page.get_by_label(re.compile(r"^La tua email")).fill("lucia@laquercia.example.org")


def test_a_cooperative_joins_and_its_service_reaches_residents_and_open_data(web, catalogue, diana):
    from welfare.accounts.models import User

    page = web.page
    web.goto("/")
    page.get_by_role("link", name="Per cooperative e associazioni: entra nella rete").click()
    web.check_accessibility()
    fill_application(page)
    page.get_by_label(re.compile(r"^Numero di iscrizione")).fill("123456")  # not how the register writes it
    page.get_by_role("button", name="Invia la domanda").click()
    expect(page.locator("#id_register_number_error")).to_contain_text("A seguita da 6 cifre")
    web.errors.clear()  # the page answered 400, as it should
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Numero di iscrizione")).fill("A123456")
    page.get_by_label("Tradate", exact=True).check()
    page.get_by_role("button", name="Invia la domanda").click()
    expect(page.get_by_text("In attesa dell'Ufficio di Piano")).to_be_visible()
    web.check_accessibility()
    (received,) = [m for m in mail.outbox if m.to == ["lucia@laquercia.example.org"]]
    link = re.search(r"(/rete/candidatura/\S+)", received.body).group(1)

    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Candidature per entrare nella rete").click()
    web.check_accessibility()
    page.get_by_role("link", name="Cooperativa Sociale La Quercia").click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Messaggio a chi ha inviato")).fill("Aggiungete la PEC della cooperativa.")
    page.get_by_role("button", name="Chiedi modifiche").click()
    expect(page.get_by_text("Modifiche richieste")).to_be_visible()

    page.context.clear_cookies()
    web.goto(link)
    expect(page.get_by_text("Aggiungete la PEC della cooperativa.")).to_be_visible()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Posta elettronica certificata")).fill("laquercia@pec.example.org")
    page.get_by_role("button", name="Invia di nuovo").click()
    expect(page.get_by_text("Inviata di nuovo: l'Ufficio di Piano la verifica.")).to_be_visible()

    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/candidature/")
    page.get_by_role("link", name="Cooperativa Sociale La Quercia").click()
    page.get_by_role("button", name="Approva: l'ente entra nella rete").click()
    expect(page.get_by_text("Approvata: Cooperativa Sociale La Quercia è nella rete")).to_be_visible()
    web.check_accessibility()

    page.context.clear_cookies()
    web.login_as(User.objects.get(email="lucia@laquercia.example.org"))
    web.goto("/area-riservata/ente/")
    expect(page.get_by_text("Cooperativa Sociale La Quercia")).to_be_visible()
    expect(page.get_by_role("link", name="Il personale del tuo ente")).to_be_visible()  # she manages her colleagues
    web.check_accessibility()
    page.get_by_role("link", name="I vostri servizi nel catalogo").click()
    offer_and_publish(web, diana, "Educativa La Quercia", "Assistenza educativa domiciliare per minori (ADM)", "21")

    page.context.clear_cookies()
    web.goto("/servizi/?q=quercia")
    expect(page.get_by_role("link", name="Educativa La Quercia")).to_be_visible()
    web.check_accessibility()
    with urllib.request.urlopen(web.base_url + "/api/hsds/services?page_size=50") as response:  # noqa: S310
        names = [service["name"] for service in json.load(response)["contents"]]
    assert "Educativa La Quercia" in names
