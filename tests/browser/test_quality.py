"""Quality in a browser: a completed service → the family rates it → the provider answers → the average shows once
five families have rated it; a complaint → the reminder → the escalation the planning office sees."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import TRADATE, make_citizen
from welfare.care.tests.test_reviews import rate, served

pytestmark = pytest.mark.django_db(transaction=True)


def test_rate_answer_average_and_a_complaint_escalated(web, catalogue, alice, pietro, diana):
    from welfare.care.complaints import do_follow_complaints

    page = web.page
    for number in range(4):
        family = make_citizen(f"f{number}@example.org", "Famiglia", f"Numero{chr(65 + number)}",
                              dt.date(1980, 1, 1 + number), TRADATE)  # fmt: skip
        rate(served(family, catalogue.educativa, pietro), family, score=4)
    request = served(alice, catalogue.educativa, pietro)

    # The family rates the service it received.
    web.login_as(alice)
    web.goto(f"/area-riservata/richieste/{request.pk}/")
    page.get_by_role("link", name="Valuta il servizio").click()
    web.check_accessibility()
    for field in ("punctuality", "kindness", "competence"):
        page.locator(f"input[name={field}][value='5']").check()
    page.locator("input[name=would_recommend][value=yes]").check()
    page.get_by_label(re.compile(r"^Commento")).fill("Puntuali e gentili, Luca è contento.")
    page.get_by_role("button", name="Invia la valutazione").click()
    expect(page.get_by_text("Grazie: la tua valutazione aiuta")).to_be_visible()
    web.check_accessibility()

    # The provider answers, once, in public.
    page.context.clear_cookies()
    web.login_as(pietro)
    web.goto(f"/area-riservata/ente/richieste/{request.pk}/")
    page.get_by_label("La vostra risposta pubblica (una sola volta)").fill("Grazie a voi!")
    page.get_by_role("button", name="Pubblica la risposta").click()
    expect(page.get_by_text("Grazie a voi!")).to_be_visible()
    web.check_accessibility()

    # Anyone: the service's page shows the averages, five families now.
    page.context.clear_cookies()
    web.goto(f"/servizi/{catalogue.educativa.pk}/")
    expect(page.get_by_text("Valutato da 5 famiglie.")).to_be_visible()
    expect(page.get_by_text("Grazie a voi!")).to_be_visible()
    web.check_accessibility()

    # A complaint, filed from the service's page, that nobody answers.
    web.login_as(alice)
    web.goto(f"/servizi/{catalogue.educativa.pk}/")
    page.get_by_role("link", name="Qualcosa non è andato? Fai un reclamo").click()
    page.get_by_label(re.compile(r"^Che cosa non è andato")).fill("Martedì non è venuto nessuno e nessuno ha avvisato.")
    web.check_accessibility()
    page.get_by_role("button", name="Invia il reclamo").click()
    expect(page.get_by_text(re.compile(r"Il reclamo è stato presentato con protocollo RCL-"))).to_be_visible()
    web.check_accessibility()
    assert do_follow_complaints(timezone.localdate() + dt.timedelta(days=25)) == (1, 0)
    assert do_follow_complaints(timezone.localdate() + dt.timedelta(days=31)) == (0, 1)

    page.context.clear_cookies()
    web.login_as(diana)
    web.goto("/area-riservata/ufficio-di-piano/")
    page.get_by_role("link", name="Reclami").click()
    expect(page.get_by_text("Scadenza superata")).to_be_visible()
    web.check_accessibility()
