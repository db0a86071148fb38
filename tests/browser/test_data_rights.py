"""A resident's rights over their data, in a browser: asking to correct what they cannot edit, withdrawing a
consent from the one page of consents, the Social Point answering the request all the same; every page accessible,
in Italian, desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from welfare.accounts.access import authority_over
from welfare.assistance.tests.test_interviews import record_interview

pytestmark = pytest.mark.django_db(transaction=True)


def test_withdraw_a_consent_and_ask_for_a_correction(web, olga, bob):
    record_interview(olga, bob)
    page = web.page
    web.login_as(bob)
    web.goto("/area-riservata/")
    page.get_by_role("link", name="Correggi i tuoi dati").click()
    web.check_accessibility()
    page.get_by_label("La mia identità: codice fiscale, nome, data di nascita").check()
    page.locator("#id_details").fill("Il mio secondo nome è Giovanni.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_text("In attesa del Social Point")).to_be_visible()
    web.check_accessibility()

    web.goto("/area-riservata/")
    page.get_by_role("link", name="I tuoi consensi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I tuoi consensi")
    web.check_accessibility()
    page.get_by_role("button", name=re.compile("Revoca il consenso a Social Point Tradate Centro")).click()
    expect(page.get_by_text("Consenso revocato")).to_be_visible()
    assert authority_over(olga, bob) is None
    web.check_accessibility()

    page.context.clear_cookies()
    web.login_as(olga)
    web.goto("/area-riservata/social-point/")
    page.get_by_role("link", name=bob.get_full_name()).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Richiesta di rettifica")
    web.check_accessibility()
    page.get_by_label("Corretto", exact=True).check()
    page.locator("#id_answer").fill("Aggiunto il secondo nome nel profilo.")
    page.get_by_role("button", name="Invia la risposta").click()
    expect(page.get_by_text("Risposta inviata")).to_be_visible()

    page.context.clear_cookies()
    web.login_as(bob)
    web.goto("/area-riservata/rettifiche/")
    expect(page.get_by_text("Aggiunto il secondo nome nel profilo.")).to_be_visible()


def test_close_the_account(web, alice):
    page = web.page
    web.login_as(alice)
    web.goto("/area-riservata/")
    page.get_by_role("link", name="Chiudi il tuo account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiudi il tuo account")
    web.check_accessibility()
    page.get_by_role("button", name="Chiudi il mio account").click()
    expect(page.locator("#id_understood_error")).to_contain_text("Spunta la casella")  # nothing without it
    page.locator("#id_understood").check()
    page.get_by_role("button", name="Chiudi il mio account").click()
    expect(page.get_by_text("Il tuo account è chiuso.")).to_be_visible()
    web.check_accessibility()
    alice.refresh_from_db()
    assert not alice.is_active
