"""Welfare aziendale walked in a browser: the officer uploads the register and publishes the plan, the employee sees
the credit and the three shares before requesting, claims a receipt, the officer approves it into the payroll
export. Every page checked with axe, at desktop and phone width."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from welfare.employers.tests.conftest import plan, registered, roster_csv  # noqa: F401 (fixtures)

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


@pytest.mark.usefixtures("plan")
def test_voucher_credit_and_family_share_one_service_up_to_the_statement(
    web, programme, accredited, catalogue, alice, child, sofia, diana, pietro
):
    from conftest import issued_voucher
    from welfare.care.actions import do_confirm, do_propose, do_start
    from welfare.care.models import ServiceRequest
    from welfare.delivery.actions import do_confirm_session
    from welfare.delivery.models import Session

    page = web.page
    today = timezone.localdate()
    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=500_000, member=child)  # 10% co-payment

    # Before sending, the family sees who pays what of one hour: voucher, then credit, then family.
    web.login_as(alice)
    web.goto(f"/servizi/{catalogue.educativa.pk}/richiedi/?voucher={voucher.pk}")
    expect(page.get_by_role("heading", name="Quanto ti costa un'ora, per ogni modo di pagare")).to_be_visible()
    expect(page.get_by_role("cell", name="19,80 €").first).to_be_visible()  # the voucher's 90% of 22 €
    expect(page.get_by_role("cell", name="2,20 €").first).to_be_visible()  # the credit pays the family's 10%
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Di che cosa hai bisogno")).fill("Sostegno nei compiti per Luca.")
    page.get_by_role("button", name="Conferma e invia la richiesta").click()
    expect(page.get_by_role("heading", name="Pagato con un voucher e un credito welfare aziendale")).to_be_visible()
    web.check_accessibility()

    request = ServiceRequest.objects.get(voucher=voucher)
    assert request.wallet is not None
    do_propose(request, actor=pietro, start=today, schedule="Lun 15-17", operator="Marta", price_cents=2200,
               funding="voucher")  # fmt: skip
    do_confirm(request, actor=alice)
    do_start(request, actor=pietro)

    # The provider logs a session: 44 € = 39,60 € voucher + 4,40 € credit + 0 € family.
    page.context.clear_cookies()
    web.login_as(pietro)
    web.goto(f"/area-riservata/ente/registro/{request.pk}/")
    page.get_by_label(re.compile(r"^Data")).fill(today.isoformat())
    page.get_by_label(re.compile(r"^Ora di inizio")).fill("15:00")
    page.get_by_label(re.compile(r"^Ora di fine")).fill("17:00")
    page.get_by_label(re.compile(r"^Attività")).fill("Compiti di matematica")
    page.get_by_role("button", name="Registra la prestazione").click()
    expect(page.get_by_text("Prestazione registrata.")).to_be_visible()
    web.check_accessibility()
    session = Session.objects.get(request=request)
    assert (session.voucher_cents, session.employer_cents, session.copayment_cents) == (3960, 440, 0)
    do_confirm_session(session, actor=alice)

    # The month's statement has a real employer column, per employer, equal to the ledger.
    web.goto("/area-riservata/ente/rendiconti/")
    page.get_by_label(re.compile(r"^Bando")).select_option(label=programme.name)
    page.get_by_label(re.compile(r"^Mese")).fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="Prepara il rendiconto").click()
    expect(page.get_by_text("Rendiconto preparato")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Quanto hanno pagato di questo rendiconto"))
    expect(table.get_by_role("cell", name="Manifattura Olona S.p.A.")).to_be_visible()
    expect(table.get_by_role("cell", name="4,40 €")).to_have_count(2)  # the employer column and the ledger
    web.check_accessibility()
