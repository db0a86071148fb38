"""A resident's first login with SPID, in a browser, through the portal's local test identity provider: the SPID
button and its list of providers (no script), the provider's page, the way back, the registration completed with
what SPID does not say, the profile showing the verified identity; every page accessible and in Italian."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import TRADATE, make_codice_fiscale
from welfare.accounts.models import User
from welfare.territory.models import Municipality

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_registers_and_logs_in_with_spid(web, district, settings, live_server):
    settings.PORTAL_URL = live_server.url
    code = make_codice_fiscale("Giulia", "Neri", dt.date(1990, 5, 17), "Tradate")
    page = web.page
    web.goto("/account/login/")
    web.check_accessibility()
    page.get_by_text("Entra con SPID").click()
    page.get_by_role("link", name=re.compile("Identity provider di prova")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("prova"))
    web.check_accessibility()
    page.locator("#id_fiscal_number").fill(code)
    page.locator("#id_name").fill("Giulia")
    page.locator("#id_family_name").fill("Neri")
    page.locator("#id_date_of_birth").fill("1990-05-17")
    page.locator("#id_email").fill("giulia.neri@example.org")
    page.get_by_role("button", name="Accedi come questa persona").click()
    web.check_accessibility()
    page.get_by_role("button", name="Continua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Completa la registrazione")
    expect(page.get_by_text(code)).to_be_visible()
    web.check_accessibility()
    page.locator("#id_municipality").select_option(str(Municipality.objects.get(istat_code=TRADATE).pk))
    page.locator("#id_privacy_accepted").check()
    page.get_by_role("button", name="Crea il mio account").click()
    expect(page.get_by_text("il tuo account è pronto")).to_be_visible()
    user = User.objects.get(email="giulia.neri@example.org")
    assert user.citizen_profile.identity_verified_with == "spid"
    web.goto("/area-riservata/profilo/")
    expect(page.get_by_text("Identità verificata con SPID")).to_be_visible()
    expect(page.locator("#id_first_name")).to_be_disabled()
    web.check_accessibility()

    # Next time: straight in, no questions.
    page.context.clear_cookies()
    web.goto("/account/login/")
    page.get_by_text("Entra con SPID").click()
    page.get_by_role("link", name=re.compile("Identity provider di prova")).click()
    page.locator("#id_fiscal_number").fill(code)
    page.locator("#id_name").fill("Giulia")
    page.locator("#id_family_name").fill("Neri")
    page.locator("#id_date_of_birth").fill("1990-05-17")
    page.get_by_role("button", name="Accedi come questa persona").click()
    page.get_by_role("button", name="Continua").click()
    expect(page).to_have_url(re.compile("/area-riservata/$"))


def test_a_cancelled_login_says_so(web, district, settings, live_server):
    settings.PORTAL_URL = live_server.url
    page = web.page
    web.goto("/cie/login/")  # one provider: straight to it
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("prova"))
    page.get_by_role("button", name="Annulla l'accesso").click()
    page.get_by_role("button", name="Continua").click()
    expect(page.get_by_text("Hai annullato l'accesso.")).to_be_visible()
    web.errors.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")  # as SPID asks
    web.check_accessibility()


def test_a_resident_who_closed_the_account_reopens_it(web, alice, settings, live_server):
    from welfare.portal.closure import do_close_account

    settings.PORTAL_URL = live_server.url
    do_close_account(alice, actor=alice)
    page = web.page
    web.goto("/spid/login/")  # one provider in the tests: straight to it
    page.locator("#id_fiscal_number").fill(alice.citizen_profile.codice_fiscale)
    page.locator("#id_name").fill("Alice")
    page.locator("#id_family_name").fill("Rossi")
    page.locator("#id_date_of_birth").fill("1985-03-12")
    page.locator("#id_email").fill("alice@example.org")
    page.get_by_role("button", name="Accedi come questa persona").click()
    page.get_by_role("button", name="Continua").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riapri il tuo account")
    web.check_accessibility()
    page.get_by_role("button", name="Riapri il mio account").click()
    expect(page.get_by_text("Bentornato")).to_be_visible()
    web.check_accessibility()
