"""The family assistance desk walked in a browser: an assistant applies online → a Social Point operator validates
after the interview → a family at the desk describes the need → the operator proposes two assistants → one accepts
→ contacts are shared → the hire is recorded → three months later (clock moved) the family is asked how it goes."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_user
from welfare.family_assistants.actions import ask_follow_ups
from welfare.family_assistants.models import Listing, Need, Proposal
from welfare.family_assistants.tests.conftest import follow, make_assistant
from welfare.lib.dates import add_months

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _seeded(transactional_db):
    """A browser test's database is emptied after each test, the migration's seed with it: put it back."""
    from importlib import import_module

    from django.apps import apps

    import_module("welfare.family_assistants.migrations.0002_seed").seed(apps, None)


def test_apply_validate_match_accept_hire_follow_up(web, olga, alice, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    page = web.page
    today = timezone.localdate()
    maria = make_assistant("maria@example.org", "Maria", "Popescu", validator=olga)
    follow(alice, olga)
    ioana = make_user("ioana@example.org", "Ioana", "Marin")
    certificate = tmp_path / "attestato.pdf"
    certificate.write_bytes(b"%PDF-1.4 attestato del corso")

    # The assistant finds the register from the home page and applies.
    web.goto("/")
    page.get_by_role("link", name="Assistenti familiari", exact=True).click()
    web.check_accessibility()
    page.get_by_role("link", name="Quanto costa?").click()
    page.get_by_role("button", name="Calcola").click()
    expect(page.get_by_text("Costo per la famiglia in un mese normale")).to_be_visible()
    web.check_accessibility()
    web.login_as(ioana)
    web.goto("/area-riservata/")
    page.get_by_role("link", name=re.compile("Lavori come assistente familiare")).click()
    web.check_accessibility()
    page.locator("#id_permit_type").select_option("work")
    page.locator("#id_permit_number").fill("ZX9876543")
    page.locator("#id_permit_expires_on").fill((today + dt.timedelta(days=500)).isoformat())
    page.locator("#id_phone").fill("347 555 0101")
    page.get_by_label("Assistente di anziani o persone con disabilità (badante)").check()
    page.get_by_label("Rumeno").check()
    page.locator("#id_italian_level").select_option("B2")
    page.locator("#id_hours_per_week").fill("40")
    page.get_by_label("Posso lavorare di notte").check()
    page.get_by_label("Tradate").check()
    page.get_by_label(re.compile("^Acconsento")).check()
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Ora aggiungi i corsi")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("link", name="Aggiungi un corso").click()
    page.locator("#id_title").fill("Corso regionale per assistenti familiari")
    page.locator("#id_hours").fill("160")
    page.locator("#id_certificate").set_input_files(certificate)
    page.get_by_role("button", name="Aggiungi").click()
    expect(page.get_by_text("Il corso è aggiunto.")).to_be_visible()
    page.get_by_role("link", name="Aggiungi un'esperienza").click()
    web.check_accessibility()
    page.locator("#id_months").fill("36")
    page.locator("#id_description").fill("Assistenza a una signora con Alzheimer, giorno e notte")
    page.get_by_role("button", name="Aggiungi").click()
    page.get_by_role("button", name="Invia per il colloquio").click()
    expect(page.get_by_text("Inviata. Prenota un colloquio")).to_be_visible()
    listing = Listing.objects.get(user=ioana)
    assert listing.state == Listing.State.SUBMITTED

    # The operator meets her and validates the listing.
    page.context.clear_cookies()
    web.login_as(olga)
    web.goto("/area-riservata/social-point/")
    page.get_by_role("link", name="Registro degli assistenti familiari").click()
    web.check_accessibility()
    page.get_by_role("link", name="Ioana Marin").click()
    expect(page.get_by_text("I requisiti sono soddisfatti.")).to_be_visible()
    web.check_accessibility()
    page.get_by_label(re.compile("^Ho incontrato la persona")).check()
    page.get_by_role("button", name="Convalida: iscrivi nel registro").click()
    expect(page.get_by_text("L'assistente è nel registro.")).to_be_visible()

    # The family at the desk: the need, the assistants ranked, two proposed.
    web.goto(f"/area-riservata/social-point/residenti/{alice.citizen_profile.pk}/")
    page.get_by_role("link", name="Cerca un assistente familiare").click()
    web.check_accessibility()
    page.get_by_label("Una persona anziana").check()
    page.get_by_label("Cura e igiene della persona").check()
    page.locator("#id_hours_per_week").fill("35")
    page.get_by_label("Anche di notte").check()
    page.get_by_label("Rumeno").check()
    page.get_by_role("button", name="Trova assistenti").click()
    expect(page.get_by_text("non disponibile di notte")).to_be_visible()
    web.check_accessibility()
    candidates = page.locator("input[name=assistente]")
    expect(candidates).to_have_count(2)
    expect(page.locator("label", has_text="Ioana Marin")).to_be_visible()  # nights and 40 hours: first
    assert "Ioana Marin" in page.locator("li.wi-card").first.inner_text()
    page.get_by_label("Ioana Marin").check()
    page.get_by_label("Maria Popescu").check()
    page.get_by_role("button", name="Proponi gli assistenti scelti").click()
    expect(page.get_by_text("Proposta inviata")).to_be_visible()
    need = Need.objects.get()
    assert need.proposals.count() == 2

    # Ioana accepts: the contacts are shared.
    page.context.clear_cookies()
    web.login_as(ioana)
    web.goto("/area-riservata/assistente-familiare/")
    page.get_by_role("link", name=re.compile("Una persona anziana")).click()
    web.check_accessibility()
    expect(page.get_by_text("Alice")).to_have_count(0)
    page.get_by_label("Sì, accetto: condividete i contatti").check()
    page.get_by_role("button", name="Invia la risposta").click()
    expect(page.get_by_text("Grazie: la famiglia ha i tuoi contatti")).to_be_visible()
    expect(page.get_by_text("I contatti della famiglia")).to_be_visible()
    web.check_accessibility()
    assert Proposal.objects.get(listing=listing).contacts_shared_at is not None

    # The family sees Ioana's contacts in their area.
    page.context.clear_cookies()
    web.login_as(alice)
    web.goto("/area-riservata/")
    page.get_by_role("link", name="La tua ricerca di un assistente familiare").click()
    page.get_by_role("link", name=re.compile("Una persona anziana")).click()
    expect(page.get_by_text("347 555 0101")).to_be_visible()
    web.check_accessibility()

    # The desk records the hire.
    page.context.clear_cookies()
    web.login_as(olga)
    web.goto("/area-riservata/social-point/")
    page.get_by_role("link", name="Famiglie che cercano un assistente").click()
    web.check_accessibility()
    page.get_by_role("link", name=alice.get_full_name()).click()
    page.locator(f"input[name=hired][value='{listing.pk}']").check()
    page.locator("#id_hired_on").fill(today.isoformat())
    page.get_by_label("Con contratto regolare, comunicato all'INPS").check()
    page.get_by_role("button", name="Registra l'esito").click()
    expect(page.get_by_text("L'esito è registrato.")).to_be_visible()
    web.check_accessibility()
    assert Proposal.objects.get(listing=maria).state == Proposal.State.WITHDRAWN

    # Three months later the family is asked how it goes, and answers.
    assert ask_follow_ups(today=add_months(today, 3)) == 1
    page.context.clear_cookies()
    web.login_as(alice)
    web.goto(f"/area-riservata/assistenza-familiare/{need.pk}/")
    expect(page.get_by_role("heading", name="Come va con l'assistente?")).to_be_visible()
    web.check_accessibility()
    page.get_by_label("Va bene").check()
    page.get_by_role("button", name="Invia").click()
    expect(page.get_by_text("Grazie: lo sportello legge la tua risposta.")).to_be_visible()
    need.refresh_from_db()
    assert need.outcome == Need.Outcome.HIRED
    assert need.regular_contract
    assert need.family_follow_up == "well"
