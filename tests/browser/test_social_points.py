"""Journeys at and around the Social Points, every page checked with axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import TRADATE, make_citizen, make_codice_fiscale

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("finder_rules")]


def test_operator_registers_interviews_and_requests_on_behalf(web, catalogue, olga, bob):
    page = web.page
    web.login_as(olga)
    web.goto("/area-riservata/social-point/")
    web.check_accessibility()

    # Assisted registration of someone with no email.
    page.get_by_role("link", name="Registra un residente").click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Nome")).fill("Giuseppe")
    page.get_by_label(re.compile(r"^Cognome")).fill("Verdi")
    page.get_by_label(re.compile(r"^Codice fiscale")).fill(
        make_codice_fiscale("Giuseppe", "Verdi", dt.date(1940, 10, 10), "Tradate", "M")
    )
    page.get_by_label(re.compile(r"^Data di nascita")).fill("1940-10-10")
    page.get_by_label(re.compile(r"^Comune di residenza")).select_option(label="Tradate")
    page.get_by_label(re.compile(r"^Telefono")).fill("0331 123456")
    page.get_by_label(re.compile(r"^Come preferisci essere contattato")).select_option(label="Telefonata")
    page.get_by_label(re.compile(r"^Numero del documento")).fill("CA12345AB")
    page.get_by_role("button", name="Registra").click()
    # Nothing saved without consent: the summary at the top has the focus and links to the field.
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith("Errore: ")
    page.locator("#error-summary").get_by_role("link").first.click()
    expect(page.locator("#id_consent_given_error")).to_have_text(re.compile("^Senza il consenso del residente"))
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Il residente ha letto")).check()
    page.get_by_role("button", name="Registra").click()
    expect(page.get_by_text("Il residente è registrato.")).to_be_visible()
    web.check_accessibility()

    # Bob comes to the desk: found by codice fiscale, interviewed with consent.
    web.goto("/area-riservata/social-point/residenti/")
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Codice fiscale")).fill(bob.citizen_profile.codice_fiscale)
    page.get_by_role("button", name="Cerca").click()
    expect(page.get_by_text("Roberto Colombo")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name="Registra un colloquio").click()
    web.check_accessibility()
    page.get_by_label("Anziani").check()
    page.get_by_label(re.compile(r"^Note")).fill("Vive solo, fatica con la spesa.")
    page.get_by_label("Scrivi per restringere l'elenco").fill("arcobaleno casa")  # search as you type
    expect(page.get_by_label("Educativa domiciliare Melograno")).to_be_hidden()
    page.get_by_label("Aiuto a casa Arcobaleno").check()
    page.get_by_label(re.compile(r"^Il residente accetta")).check()
    page.get_by_role("button", name="Registra il colloquio").click()
    expect(page.get_by_text("Il colloquio è stato registrato.")).to_be_visible()
    web.check_accessibility()

    # The needs finder during the interview.
    page.get_by_role("link", name="Usa «Trova l'aiuto giusto»").click()
    page.get_by_label("Io", exact=True).check()
    page.get_by_label(re.compile(r"^Quanti anni ha")).fill("78")
    page.get_by_label("Aiuto a casa (cura").check()
    page.get_by_label("Presto: entro un mese").check()
    page.get_by_label("Da 10.000 a 20.000 €").check()
    page.get_by_role("button", name="Salva e mostra i suggerimenti").click()
    expect(page.get_by_role("link", name="Aiuto a casa Arcobaleno")).to_be_visible()
    web.check_accessibility()

    # A request on his behalf, from the interview, under the banner.
    page.get_by_role("link", name="Torna al colloquio").click()
    page.get_by_role("button", name="Richiedi «Aiuto a casa Arcobaleno» per suo conto").click()
    expect(page.get_by_text("Stai agendo per conto di Roberto Colombo")).to_be_visible()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Di che cosa hai bisogno")).fill("Aiuto con la spesa il giovedì.")
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_text("La richiesta è stata inviata.")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("button", name="Smetti di agire per suo conto").click()
    expect(page.get_by_text("Sei tornato nella tua area.")).to_be_visible()

    web.goto("/area-riservata/social-point/")
    expect(page.get_by_role("cell", name="Aiuto a casa Arcobaleno")).to_be_visible()
    web.goto("/area-riservata/social-point/agenda/")
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Nome e cognome")).fill("Mario Bianchi")
    page.get_by_role("button", name="Aggiungi la visita").click()
    expect(page.get_by_role("cell", name="Mario Bianchi")).to_be_visible()
    web.check_accessibility()

    # An appointment for Roberto, from his page: his contact, not the operator's (issue 17, defect 2).
    web.goto(f"/area-riservata/social-point/residenti/{bob.citizen_profile.pk}/")
    page.get_by_role("link", name="Prenota un appuntamento").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prenota un appuntamento per Roberto Colombo")
    expect(page.get_by_label(re.compile(r"^Email"))).to_have_value(bob.email)
    web.check_accessibility()
    page.locator("input[name=slot]").first.check(force=True)
    page.get_by_role("button", name="Prenota", exact=True).click()
    expect(page.get_by_text("L'appuntamento è prenotato.")).to_be_visible()
    expect(page.get_by_role("cell", name="Roberto Colombo", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=bob.email, exact=True)).to_be_visible()
    web.check_accessibility()
    # And one for a caller on the phone, from the agenda: a name and a phone number only.
    page.get_by_role("link", name="Prenota un appuntamento per una persona").click()
    page.locator("input[name=slot]").first.check(force=True)
    page.get_by_label(re.compile(r"^Nome e cognome della persona")).fill("Gina Rossi")
    page.get_by_label(re.compile(r"^Telefono")).fill("0331 555 123")
    page.get_by_role("button", name="Prenota", exact=True).click()
    expect(page.get_by_text("L'appuntamento è prenotato.")).to_be_visible()
    expect(page.get_by_role("cell", name="Gina Rossi", exact=True)).to_be_visible()
    web.check_accessibility()


def test_citizen_delegates_and_the_delegate_acts_then_loses_access(web, catalogue, alice):
    carla = make_citizen("carla@example.org", "Carla", "Rossi", dt.date(1982, 5, 3), TRADATE)
    page = web.page
    web.login_as(alice)
    web.goto("/area-riservata/deleghe/")
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Il suo codice fiscale")).fill(carla.citizen_profile.codice_fiscale)
    page.get_by_label(re.compile(r"^Il suo indirizzo email")).fill("carla@example.org")
    page.get_by_label(re.compile(r"^Può richiedere servizi")).check()
    page.get_by_role("button", name="Dai la delega").click()
    expect(page.get_by_text("La delega vale dalla data di inizio.")).to_be_visible()
    web.check_accessibility()

    page.context.clear_cookies()
    web.login_as(carla)
    web.goto("/area-riservata/")
    page.get_by_role("link", name="Agisci per conto di chi ti ha delegato").click()
    web.check_accessibility()
    page.get_by_role("button", name="Agisci per conto di Alice Rossi").click()
    expect(page.get_by_text("Stai agendo per conto di Alice Rossi")).to_be_visible()
    expect(page.get_by_role("heading", name="Area di Alice Rossi")).to_be_visible()
    web.check_accessibility()
    web.goto("/area-riservata/richieste/")
    web.check_accessibility()

    # Alice revokes; Carla's next page no longer shows Alice's area.
    alice.citizen_profile.delegations_granted.get()  # exists
    from welfare.accounts.actions import do_revoke_delegation

    do_revoke_delegation(alice.citizen_profile.delegations_granted.get(), actor=alice)
    web.goto("/area-riservata/richieste/")
    expect(page.get_by_text("Stai agendo per conto di Alice Rossi")).to_have_count(0)


def test_anonymous_finder_and_booking(web, catalogue):
    page = web.page
    web.goto("/trova-aiuto/")
    web.check_accessibility()
    page.get_by_label("Un figlio o una figlia").check()
    page.get_by_label(re.compile(r"^Quanti anni ha")).fill("8")
    page.get_by_label(re.compile(r"^Dove vive")).select_option(label="Tradate")
    page.get_by_label("Sostegno a scuola").check()
    page.get_by_label("Presto: entro un mese").check()
    page.get_by_label("Oltre 30.000 €").check()
    page.get_by_role("button", name="Mostra cosa può aiutare").click()
    expect(page.get_by_text("Per tuo figlio o tua figlia, 8 anni, a Tradate")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("link", name="Prenota un appuntamento").click()
    web.check_accessibility()
    page.locator("label[for='slot-1-1']").click()
    page.get_by_label(re.compile(r"^Nome e cognome")).fill("Anna Neri")
    page.get_by_role("button", name="Prenota").click()
    expect(page.locator("#id_email_error")).to_contain_text("Lascia un indirizzo email o un numero di telefono")
    web.check_accessibility()
    page.locator("label[for='slot-1-1']").click()
    page.get_by_label(re.compile(r"^Telefono")).fill("0331 000000")
    page.get_by_role("button", name="Prenota").click()
    expect(page.locator("#id_email_error")).to_contain_text(
        "Senza email, chiama il Social Point e prenota per telefono"
    )
    page.locator("label[for='slot-1-1']").click()
    page.get_by_label(re.compile(r"^Email")).fill("anna.neri@example.org")
    page.get_by_role("button", name="Prenota").click()
    expect(page.get_by_role("heading", name="Controlla la tua email per confermare")).to_be_visible()
    web.check_accessibility()
    from django.core import mail

    from welfare.assistance.models import Appointment

    (email,) = [m for m in mail.outbox if m.to == ["anna.neri@example.org"]]
    link = next(line for line in email.body.splitlines() if "/conferma/" in line).strip()
    web.goto(link[link.index("/social-point/") :])
    web.check_accessibility()
    page.get_by_role("button", name="Conferma l'appuntamento").click()
    expect(page.get_by_role("heading", name="Appuntamento prenotato")).to_be_visible()
    web.check_accessibility()
    assert Appointment.objects.get().state == Appointment.State.BOOKED  # the booking exists only once


def test_planning_office_edits_a_finder_rule(web, diana):
    page = web.page
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/trova-aiuto/")
    web.check_accessibility()
    page.get_by_role("link", name="Sollievo per chi assiste").click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Ordine")).fill("15")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("La regola è stata salvata")).to_be_visible()
    web.check_accessibility()


def test_a_closure_removes_the_days_slots_and_warns_the_people_booked(web, olga, diana):
    """The desk closes a Monday for a strike: the slots of that day leave the booking page, Anna (who left an email)
    is told by email, Bruno (phone only) is on the list of people to call; the planning office manages its
    Social Points from its dashboard and is told clearly when hours overlap."""
    from django.core import mail
    from django.utils import formats, timezone, translation

    from welfare.assistance.actions import do_book_appointment
    from welfare.assistance.models import Appointment
    from welfare.territory.models import SocialPoint

    page = web.page
    point = SocialPoint.objects.get(slug="tradate-centro")
    today = timezone.localdate()
    monday = today + dt.timedelta(days=(7 - today.weekday()) or 7)
    tz = timezone.get_current_timezone()
    do_book_appointment(social_point=point, starts_at=dt.datetime.combine(monday, dt.time(9), tzinfo=tz),
                        name="Anna Neri", email="anna.neri@example.org", confirmed=True)  # fmt: skip
    do_book_appointment(social_point=point, starts_at=dt.datetime.combine(monday, dt.time(10), tzinfo=tz),
                        name="Bruno Verdi", phone="0331 555123", confirmed=True, booked_by=olga)  # fmt: skip
    with translation.override("it"):
        legend = formats.date_format(monday, "l j F")
    web.goto(f"/social-point/{point.slug}/prenota/")
    expect(page.locator("legend", has_text=legend)).to_have_count(1)
    mail.outbox.clear()

    web.login_as(olga)
    web.goto("/area-riservata/social-point/")
    page.get_by_role("link", name="Chiusure e avviso: Social Point Tradate Centro").click()
    web.check_accessibility()
    page.get_by_label(re.compile(r"^Dal")).fill(monday.isoformat())
    page.get_by_label(re.compile(r"^Motivo mostrato ai visitatori")).fill("Sciopero generale")
    page.get_by_role("button", name="Salva l'eccezione").click()
    expect(page.get_by_text("2 appuntamenti in programma sono stati annullati")).to_be_visible()
    expect(page.get_by_role("heading", name="1 persona da chiamare")).to_be_visible()
    expect(page.get_by_text("Bruno Verdi, 0331 555123")).to_be_visible()
    web.check_accessibility()
    page.get_by_role("textbox", name=re.compile(r"^Avviso per i visitatori")).fill("Portate l'ISEE aggiornato.")
    page.get_by_role("button", name="Salva l'avviso").click()
    expect(page.get_by_text("Salvato: l'avviso è sulle pagine pubbliche.")).to_be_visible()

    assert [m.to for m in mail.outbox] == [["anna.neri@example.org"]]
    assert set(Appointment.objects.values_list("state", flat=True)) == {Appointment.State.CANCELLED}
    web.goto(f"/social-point/{point.slug}/prenota/")
    expect(page.locator("legend", has_text=legend)).to_have_count(0)
    web.goto("/social-point/")
    expect(page.get_by_text("Sciopero generale")).to_be_visible()
    expect(page.get_by_text("Portate l'ISEE aggiornato.")).to_be_visible()
    web.check_accessibility()

    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Social Point: orari, chiusure, nuovi punti").click()
    web.check_accessibility()
    page.get_by_role("link", name="Social Point Tradate Centro").click()
    web.check_accessibility()
    page.get_by_role("group", name="Martedì").get_by_label("Fascia 1: apre").fill("09:00")
    page.get_by_role("group", name="Martedì").get_by_label("Fascia 1: chiude").fill("12:00")
    page.get_by_role("group", name="Martedì").get_by_label("Fascia 2: apre").fill("11:00")
    page.get_by_role("group", name="Martedì").get_by_label("Fascia 2: chiude").fill("13:00")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Martedì: due fasce si sovrappongono.")).to_be_visible()
    web.errors.clear()  # the page answered 400, as it should
    web.check_accessibility()
    page.get_by_role("group", name="Martedì").get_by_label("Fascia 2: apre").fill("14:00")
    page.get_by_role("group", name="Martedì").get_by_label("Fascia 2: chiude").fill("16:00")
    page.get_by_role("button", name="Salva").click()
    expect(
        page.get_by_text("Salvato: le pagine pubbliche e gli orari prenotabili si aggiornano subito.")
    ).to_be_visible()
    assert point.opening_hours.filter(weekday=1).count() == 2
    page.get_by_role("link", name="Chiusure, orari diversi e avviso per i visitatori").click()
    expect(page.get_by_role("heading", name="1 persona da chiamare")).to_be_visible()
    expect(page.get_by_text("Bruno Verdi")).to_have_count(0)  # the planning office sees how many, not who
    web.check_accessibility()
