import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_filter_and_open_a_service(web, catalogue):
    page = web.page
    web.goto("/")
    page.get_by_label("Che cosa cerchi?").fill("domiciliari")
    page.get_by_role("button", name="Cerca").click()
    expect(page.get_by_role("heading", level=2, name="2 servizi trovati")).to_be_visible()
    web.check_accessibility()

    if web.is_phone:  # the results come first; the filters wait behind one disclosure
        assert page.locator(".wi-facets").is_hidden()
        page.locator("summary", has_text="Filtra i risultati").click()
    page.get_by_role("link", name="Tradate", exact=True).click()  # a facet
    expect(page.get_by_role("heading", level=2, name="1 servizio trovato")).to_be_visible()
    assert "comune=012127" in page.url  # shareable
    web.check_accessibility()

    page.get_by_role("link", name="Educativa domiciliare Melograno").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Educativa domiciliare Melograno")
    expect(page.get_by_text("22,00 € all'ora")).to_be_visible()
    web.check_accessibility()

    page.get_by_role("link", name="Cooperativa Il Melograno").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperativa Il Melograno")
    web.check_accessibility()


def test_no_results_and_filters_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False, locale="it-IT")
    page = context.new_page()
    page.goto(live_server.url + "/servizi/?q=astronauta")
    expect(page.get_by_text("Non abbiamo trovato servizi per questa ricerca.")).to_be_visible()
    page.get_by_label("Che cosa cerchi?").fill("")
    page.get_by_role("button", name="Cerca").click()
    page.get_by_role("link", name="Gratuito").click()
    expect(page.get_by_role("heading", level=2, name="1 servizio trovato")).to_be_visible()
    context.close()


def test_provider_edits_a_service_and_the_planning_office_publishes_it(web, catalogue, pietro, diana):
    page = web.page
    web.login_as(pietro)
    web.goto("/area-riservata/ente/servizi/")
    web.check_accessibility()
    page.get_by_role("link", name="Centro estivo domiciliare segreto").click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Nome")).fill("Centro estivo Melograno")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Il servizio è stato salvato.")).to_be_visible()
    page.get_by_role("button", name="Invia per la pubblicazione").click()
    expect(page.get_by_text("Inviato all'Ufficio di Piano per la verifica.")).to_be_visible()

    page.context.clear_cookies()
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/catalogo/")
    web.check_accessibility()
    page.get_by_role("link", name="Centro estivo Melograno").click()
    web.check_accessibility()
    page.get_by_role("button", name="Pubblica").click()
    expect(page.get_by_text("Il servizio è pubblicato.")).to_be_visible()

    web.goto("/servizi/?q=centro+estivo")
    expect(page.get_by_role("link", name="Centro estivo Melograno")).to_be_visible()


def test_a_new_service_form_is_accessible_with_its_errors(web, catalogue, pietro):
    web.login_as(pietro)
    web.goto("/area-riservata/ente/servizi/nuovo/")
    web.check_accessibility()
    web.page.get_by_role("button", name="Salva").click()
    expect(web.page.locator("#id_name_error")).to_be_visible()
    web.check_accessibility()


def test_a_missing_page_is_accessible_and_leads_back_to_the_services(web, catalogue):
    page = web.page
    response = web.goto("/servizi/00000000-0000-0000-0000-000000000000/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina non trovata")
    web.errors.clear()  # the browser reports the 404 status itself on its console
    web.check_accessibility()
    page.get_by_role("link", name="Cerca i servizi").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/servizi/")
    web.check_accessibility()


def test_a_cached_search_page_still_switches_language(web, catalogue):
    """The second visitor gets the page from the cache, with their own CSRF token in the language form."""
    page = web.page
    web.goto("/servizi/?q=domiciliari")  # renders and stores it
    page.context.clear_cookies()  # a new visitor
    web.goto("/servizi/?q=domiciliari")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=2, name="2 services found")).to_be_visible()
    web.check_accessibility()


def offer_and_publish(web, diana, name: str, kind: str, price: str = "0") -> None:
    """The logged-in provider staff member puts a service of `kind` in Tradate in the catalogue and sends it for
    review; the planning office (diana) publishes it."""
    page = web.page
    web.goto("/area-riservata/ente/servizi/nuovo/")
    page.get_by_label(re.compile(r"^Nome")).first.fill(name)
    page.get_by_label(re.compile(r"^Descrizione")).fill(f"{name}: un educatore accompagna chi ne ha bisogno.")
    page.get_by_label(kind).check()
    page.get_by_label("Tradate", exact=True).check()
    page.get_by_label(re.compile(r"^Prezzo in euro")).fill(price)
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Il servizio è stato salvato.")).to_be_visible()
    page.get_by_role("button", name="Invia per la pubblicazione").click()
    expect(page.get_by_text("Inviato all'Ufficio di Piano per la verifica.")).to_be_visible()
    page.context.clear_cookies()
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/catalogo/")
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Pubblica").click()
    expect(page.get_by_text("Il servizio è pubblicato.")).to_be_visible()


def test_the_planning_office_adds_a_kind_a_provider_offers_it_and_residents_find_it(web, catalogue, pietro, diana):
    """The offer grows: a new kind of service, offered by a cooperative, published, then on the home page's area
    and in the search's facet."""
    page = web.page
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Tipologie di servizio e destinatari").click()
    web.check_accessibility()
    what = page.get_by_label(re.compile(r"^Che cos'è"))
    what.select_option(label="Una tipologia di servizio in “Educazione e minori”")
    page.get_by_label(re.compile(r"^Nome in italiano")).fill("Assistenza educativa scolastica estiva")
    page.get_by_label(re.compile(r"^Nome in inglese")).fill("Summer educational support at school")
    page.get_by_role("button", name="Aggiungi").click()
    expect(page.get_by_text("Aggiunta: gli enti possono offrirla")).to_be_visible()
    expect(page.get_by_role("link", name="Assistenza educativa scolastica estiva")).to_be_visible()
    web.check_accessibility()

    page.context.clear_cookies()
    web.login_as(pietro)
    offer_and_publish(web, diana, "Estate a scuola Melograno", "Assistenza educativa scolastica estiva")

    page.context.clear_cookies()
    web.goto("/")
    area = page.locator(".wi-tiles li").filter(has_text="Educazione e minori")
    expect(area).to_contain_text("Assistenza educativa scolastica estiva")
    web.check_accessibility()
    area.get_by_role("link").click()
    expect(page.get_by_role("link", name="Estate a scuola Melograno")).to_be_visible()
    if web.is_phone:  # the filters wait behind one disclosure
        page.locator("summary", has_text="Filtra i risultati").click()
    facets = page.locator(".wi-facets")
    expect(facets.get_by_role("link", name="Assistenza educativa scolastica estiva")).to_be_visible()
    expect(facets).to_contain_text("Assistenza educativa scolastica estiva (1)")
    web.check_accessibility()
