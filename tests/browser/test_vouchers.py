import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import close_window

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_assess_rank_issue_choose_a_provider(
    web, programme, catalogue, alice, child, sofia, diana, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    page = web.page
    web.login_as(alice)

    # The family finds the programme and applies: first a draft, then the document, then it is sent.
    web.goto("/voucher/")
    web.check_accessibility()
    page.get_by_role("link", name="Voucher domiciliarità 2027").click()
    web.check_accessibility()
    page.get_by_role("link", name="Fai domanda").click()
    web.check_accessibility()
    page.locator("label", has_text="Luca Rossi").click()  # the educational service suits a child
    page.get_by_label(re.compile(r"^Valore dell'ISEE")).fill("8500")
    page.get_by_label(re.compile(r"^Numero di protocollo della DSU")).fill("INPS-ISEE-2026-12345678A-00")
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page.get_by_text("Bozza salvata.")).to_be_visible()
    web.check_accessibility()
    pdf = tmp_path / "isee.pdf"
    pdf.write_bytes(b"%PDF-1.4 attestazione")
    page.get_by_label(re.compile(r"^Quale documento")).select_option(label="Attestazione ISEE")
    page.get_by_label(re.compile(r"^File")).set_input_files(str(pdf))
    page.get_by_role("button", name="Allega").click()
    expect(page.get_by_text("Documento allegato.")).to_be_visible()
    expires = (dt.date.today() + dt.timedelta(days=120)).isoformat()
    page.get_by_label(re.compile(r"^ISEE valido fino al")).fill(expires)
    page.get_by_role("button", name="Invia la domanda").click()
    expect(page.get_by_text("Domanda inviata.")).to_be_visible()
    expect(page.get_by_text("Inviata, in attesa di valutazione")).to_be_visible()
    web.check_accessibility()

    # The social worker of Tradate assesses it.
    page.context.clear_cookies()
    web.login_as(sofia)
    web.goto("/area-riservata/assistente-sociale/domande/")
    web.check_accessibility()
    page.locator("table a").first.click()
    web.check_accessibility()
    page.locator("label[for=id_decision_0]").click()
    page.get_by_label(re.compile(r"^Punteggio di bisogno")).fill("60")
    page.get_by_role("button", name="Registra la valutazione").click()
    expect(page.get_by_text("Valutazione registrata")).to_be_visible()

    # The window closes; the planning office ranks, publishes and issues.
    close_window(programme)
    page.context.clear_cookies()
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/programmi/")
    web.check_accessibility()
    page.get_by_role("link", name="Voucher domiciliarità 2027").click()
    web.check_accessibility()
    page.get_by_role("link", name="Tradate", exact=True).click()
    page.get_by_role("button", name="Calcola la graduatoria").click()
    expect(page.get_by_text("Graduatoria calcolata.")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name="Pubblica la graduatoria").click()
    page.get_by_role("button", name="Emetti i voucher in ordine di graduatoria").click()
    expect(page.get_by_text("Voucher emessi: 1.")).to_be_visible()
    web.check_accessibility()

    # The family sees the voucher, chooses a provider with the hour's cost shown, and confirms.
    page.context.clear_cookies()
    web.login_as(alice)
    web.goto("/area-riservata/voucher/")
    web.check_accessibility()
    page.get_by_role("link", name="Voucher domiciliarità 2027").click()
    expect(page.get_by_text("1.500,00 €").first).to_be_visible()
    web.check_accessibility()
    page.get_by_role("link", name=re.compile(r"^Richiedi")).first.click()
    expect(page.get_by_role("heading", name="Quanto costa un'ora con il tuo voucher")).to_be_visible()
    expect(page.get_by_role("cell", name="19,80 €")).to_be_visible()  # 22 € an hour: 90% voucher…
    expect(page.get_by_role("cell", name="2,20 € (10%)")).to_be_visible()  # …10% family
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Di che cosa hai bisogno")).fill("Sostegno educativo per mio figlio.")
    page.get_by_role("button", name="Conferma e invia la richiesta").click()
    expect(page.get_by_text("La richiesta è stata inviata.")).to_be_visible()
    expect(page.get_by_role("heading", name="Pagato con un voucher")).to_be_visible()
    web.check_accessibility()

    # The published ranking shows protocols only.
    page.context.clear_cookies()
    web.goto(f"/voucher/{programme.slug}/graduatoria/012127/")
    expect(page.get_by_text("Voucher emesso")).to_be_visible()
    web.check_accessibility()


def test_accreditation_and_programme_pages_are_accessible(web, accredited, pietro, diana, programme):
    page = web.page
    web.login_as(diana)
    for path in (
        "/area-riservata/ufficio-di-piano/programmi/nuovo/",
        "/area-riservata/ufficio-di-piano/accreditamento/",
        f"/area-riservata/ufficio-di-piano/accreditamento/{accredited.call.pk}/",
        f"/area-riservata/ufficio-di-piano/accreditamento/domande/{accredited.adm.pk}/",
        "/area-riservata/ufficio-di-piano/",
    ):
        web.goto(path)
        web.check_accessibility()
    page.context.clear_cookies()
    web.login_as(pietro)
    web.goto("/area-riservata/ente/accreditamento/")
    web.check_accessibility()
    page.get_by_role("link", name=accredited.call.title).click()
    web.check_accessibility()
    page.context.clear_cookies()
    web.goto("/voucher/verifica/?codice=NONESISTE")
    expect(page.get_by_text("Nessun voucher ha questo codice.")).to_be_visible()
    web.check_accessibility()
