"""Welfare aziendale walked in a browser: the officer uploads the register and publishes the plan, the employee sees
the credit and the three shares before requesting, claims a receipt, the officer approves it into the payroll
export. Every page checked with axe, at desktop and phone width."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from welfare.employers.tests.conftest import roster_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_publish_spend_claim_approve_export(web, employer, enzo, alice, catalogue, tmp_path):
    page = web.page
    register = tmp_path / "dipendenti.csv"
    register.write_text(roster_csv(alice))
    receipt = tmp_path / "ricevuta.pdf"
    receipt.write_bytes(b"%PDF-1.4 ricevuta badante\n%%EOF")

    # The officer uploads the register, checks the preview, saves it.
    web.login_as(enzo)
    web.goto("/area-riservata/welfare-aziendale/")
    page.get_by_role("link", name="Manifattura Olona S.p.A.").click()
    web.check_accessibility()
    page.get_by_role("link", name="Dipendenti").click()
    page.locator("#id_file").set_input_files(register)
    page.get_by_role("button", name="Controlla il file").click()
    expect(page.get_by_text("Nessun problema trovato.")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name="Salva l'anagrafica").click()
    expect(page.get_by_text("Anagrafica salvata: 6 nuovi")).to_be_visible()
    web.check_accessibility()

    # The plan: 200 € f-ter for every employee, published.
    page.get_by_role("link", name="Piani").first.click()
    page.get_by_label("Nome del piano").fill("Piano welfare")
    page.get_by_label(re.compile(r"^Accordo o regolamento aziendale")).fill("Accordo aziendale 12/03")
    page.get_by_label(re.compile(r"^Assistenza a familiari anziani.*tutti i dipendenti")).fill("200")
    web.check_accessibility()
    page.get_by_role("button", name="Salva come bozza").click()
    page.get_by_role("button", name="Pubblica e accredita ai dipendenti").click()
    expect(page.get_by_text("Pubblicato:")).to_be_visible()
    web.check_accessibility()

    # The employee sees the credit, and the three shares before requesting a service.
    page.context.clear_cookies()
    web.login_as(alice)
    web.goto("/area-riservata/")
    page.get_by_role("link", name="Il tuo welfare aziendale").click()
    expect(page.get_by_text("200,00 €").first).to_be_visible()
    web.check_accessibility()
    web.goto(f"/servizi/{catalogue.sportello.pk}/richiedi/")
    expect(page.get_by_text("Usare il credito welfare aziendale?")).to_be_visible()
    web.check_accessibility()

    # She claims a receipt for her mother's carer.
    web.goto("/area-riservata/il-mio-welfare/")
    page.get_by_role("link", name="Chiedi il rimborso di una ricevuta").click()
    page.get_by_label("Per chi era la spesa?").select_option("parent")
    page.get_by_label("Nome e cognome").fill("Anna Rossi")
    page.get_by_label("Data di nascita").fill("1940-02-01")
    page.get_by_label("Importo in euro").fill("50")
    page.get_by_label("Data della ricevuta").fill(timezone.localdate().isoformat())
    page.locator("#id_receipt").set_input_files(receipt)
    web.check_accessibility()
    page.get_by_role("button", name="Invia la ricevuta").click()
    expect(page.get_by_text("La ricevuta è stata inviata")).to_be_visible()
    web.check_accessibility()

    # The officer approves it; it is in the month's payroll export.
    page.context.clear_cookies()
    web.login_as(enzo)
    web.goto("/area-riservata/welfare-aziendale/")
    page.get_by_role("link", name="Manifattura Olona S.p.A.").click()
    page.get_by_role("link", name="Ricevute da controllare").first.click()
    web.check_accessibility()
    page.locator("tbody a").first.click()
    web.check_accessibility()
    page.locator("input[name=decision][value=approve]").check()
    page.get_by_role("button", name="Registra la decisione").click()
    expect(page.get_by_text("Approvato: l'importo è nell'export per i cedolini.")).to_be_visible()
    page.get_by_role("link", name="Export per i cedolini").first.click()
    expect(page.get_by_role("cell", name="50,00 €")).to_be_visible()
    web.check_accessibility()
