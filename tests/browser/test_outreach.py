"""Outreach walked in a browser: the planning office imports a 20-row campaign list (one bad row is reported and
nothing is saved until it is fixed), the Social Point works the list, and the outcomes appear in the counts."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import TRADATE, make_citizen

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_a_campaign_work_the_list_see_the_counts(web, diana, olga, alice, tmp_path):
    people = [alice] + [
        make_citizen(f"anziano{n}@example.org", "Anziano", f"Numero{chr(65 + n)}", dt.date(1940, 1, 1 + n), TRADATE)
        for n in range(19)
    ]
    codes = [person.citizen_profile.codice_fiscale for person in people]
    bad = tmp_path / "lista-con-errore.csv"
    bad.write_text("codice_fiscale\n" + "\n".join([*codes[:19], "RSSMRA40A01XXXXX"]) + "\n")
    good = tmp_path / "lista.csv"
    good.write_text("codice_fiscale\n" + "\n".join(codes) + "\n")
    page = web.page
    today = timezone.localdate()

    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Segnali, campagne e allerta caldo").click()
    page.get_by_role("link", name="Campagne").click()
    web.check_accessibility()
    page.get_by_label("Nome della campagna").fill("Piano caldo")
    page.get_by_label(re.compile(r"^Fonte della lista")).fill("ATS Insubria")
    page.get_by_label(re.compile(r"^Base giuridica")).fill("art. 9.2.g GDPR; piano caldo regionale")
    page.locator("#id_valid_from").fill(today.isoformat())
    page.locator("#id_expires_on").fill((today + dt.timedelta(days=90)).isoformat())
    page.get_by_label("Cosa devono fare i Social Point").fill("Telefona e chiedi se ha bisogno di aiuto")
    page.locator("#id_file").set_input_files(bad)
    page.get_by_role("button", name="Controlla la lista").click()
    expect(page.get_by_text("Riga 21")).to_be_visible()
    web.errors.clear()  # Chromium logs the page's own 400 status ("the list has problems") as a console error
    web.check_accessibility()
    page.locator("#id_file").set_input_files(good)
    page.get_by_role("button", name="Controlla la lista").click()
    expect(page.get_by_text("20 persone, nessun problema.")).to_be_visible()
    page.get_by_role("button", name="Salva la campagna").click()
    expect(page.get_by_text("La campagna è salvata")).to_be_visible()
    web.check_accessibility()

    # The Social Point works its list: the first call reaches the person.
    page.context.clear_cookies()
    web.login_as(olga)
    web.goto("/area-riservata/social-point/")
    page.get_by_role("link", name="Lista di lavoro").click()
    web.check_accessibility()
    page.locator("tbody a").first.click()
    expect(page.get_by_text("Piano caldo").first).to_be_visible()
    web.check_accessibility()
    page.get_by_role("radio", name="Raggiunto", exact=True).check()
    page.get_by_label(re.compile(r"^Note")).fill("Sta bene, ha l'acqua e il ventilatore.")
    page.get_by_role("button", name="Registra").click()
    expect(page.get_by_text("Registrato.")).to_be_visible()
    # The next one does not answer: an attempt is recorded, the task stays on the list with its note.
    page.locator("tbody a").first.click()
    page.locator("input[name=outcome][value=open]").check()
    page.get_by_label(re.compile(r"^Note")).fill("Non risponde, riprovo domani mattina.")
    page.get_by_role("button", name="Registra").click()
    page.locator("tbody a").first.click()
    expect(page.get_by_text("Non risponde, riprovo domani mattina.")).to_be_visible()
    web.check_accessibility()

    # The counts: 20 listed, 1 reached.
    page.context.clear_cookies()
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/campagne/")
    row = page.get_by_role("row", name=re.compile("Piano caldo"))
    expect(row.get_by_role("cell").nth(2)).to_have_text("20")
    expect(row.get_by_role("cell").nth(3)).to_have_text("1")
    web.check_accessibility()
