"""The planning office runs its district's network: people and roles, every page checked with axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_planning_office_invites_an_operator_and_cannot_remove_itself(web, diana, olga):
    page = web.page
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Persone e ruoli").click()
    web.check_accessibility()
    # The wrong kind of place for the role: told where to look, nothing saved.
    page.get_by_label(re.compile(r"^Email")).fill("nadia.sala@example.org")
    page.get_by_label(re.compile(r"^Nome")).fill("Nadia")
    page.get_by_label(re.compile(r"^Cognome")).fill("Sala")
    page.get_by_label(re.compile(r"^Ruolo")).select_option(label="Operatore Social Point")
    page.get_by_label(re.compile(r"^Dove")).select_option(label="Tradate")
    page.get_by_role("button", name="Dai il ruolo").click()
    expect(page.locator("#id_place_error")).to_contain_text("scegline uno")
    web.errors.clear()  # the page answered 400, as it should
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Dove")).select_option(label="Social Point Tradate Centro")
    page.get_by_role("button", name="Dai il ruolo").click()
    expect(page.get_by_text("Invito inviato: nadia.sala@example.org riceve un'email")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="nadia.sala@example.org")
    expect(row).to_contain_text("Operatore Social Point")
    expect(row).to_contain_text("mai")
    assert any(message.to == ["nadia.sala@example.org"] for message in mail.outbox)
    # Diana is the district's only planning office account: her role cannot go.
    page.get_by_role("button", name=re.compile(r"^Togli il ruolo Ufficio di Piano \(ambito\) a Diana")).click()
    expect(page.get_by_text("resterebbe senza un Ufficio di Piano")).to_be_visible()
    page.get_by_role("button", name="Disattiva l'account di Olga Ferrari").click()
    expect(page.get_by_text("Account disattivato")).to_be_visible()
    web.check_accessibility()
