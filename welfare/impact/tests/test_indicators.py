"""Each indicator on a small seeded set with known answers; what is published hides the small numbers."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, VEDANO, make_citizen
from welfare.care.actions import do_propose, do_submit_request
from welfare.delivery.actions import SessionInput, do_log_session
from welfare.impact.indicators import (
    funders,
    hours_by_kind,
    published,
    reach,
    requests_by_state,
    waiting_times,
)
from welfare.impact.periods import period_from
from welfare.lib.small_numbers import HIDDEN
from welfare.territory.models import Municipality

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def places():
    return list(Municipality.objects.filter(istat_code__in=[TRADATE, VEDANO]).order_by("name"))  # Tradate, Vedano


def this_year():
    return period_from(str(TODAY().year))


def row(figure, name):
    return figure.values[figure.rows.index(name)]


def test_reach_counts_contacts_first_contacts_and_the_over_75s(catalogue, alice, bob, olga):
    from welfare.assistance.actions import do_record_interview
    from welfare.territory.models import SocialPoint

    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    do_record_interview(actor=olga, social_point=SocialPoint.objects.get(slug="tradate-centro"),
                        resident=bob.citizen_profile, held_on=TODAY(), need_areas=["elderly"], notes="", services=[],
                        follow_up_on=None, outcome="open", consent_given=True)  # fmt: skip
    make_citizen("quiet@example.org", "Ugo", "Quieto", dt.date(1940, 1, 1), VEDANO, gender="M")  # no contact
    figure = reach(this_year(), places())
    assert row(figure, "Tradate") == [1, 0, 1, 0, 0, 0]  # alice, 41, asked for a service
    assert row(figure, "Vedano Olona") == [1, 1, 0, 0, 1, 2]  # bob (78) met at a Social Point; Ugo (86) not reached
    assert all(cell in (0, HIDDEN, "*") for cells in published(figure).cells for cell in cells)


def test_requests_by_state_and_the_time_to_a_proposal(catalogue, alice, bob, pietro):
    first = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Ancora")
    do_propose(first, actor=pietro, start=TODAY(), schedule="Lun", operator="M", price_cents=2200, funding="family")
    figure = requests_by_state(this_year(), places())
    states = dict(zip(figure.columns, row(figure, "Tradate"), strict=True))
    assert (states["Inviata all'ente"], states["Proposta ricevuta"]) == (1, 1)
    waits = waiting_times(this_year(), places())
    assert row(waits, "Tradate")[0] < 0.01  # proposed at once: a fraction of a day
    assert waits.people[waits.rows.index("Tradate")] == 1
    assert published(waits).cells[waits.rows.index("Tradate")] == [HIDDEN] * 4  # one request: withheld


def test_hours_and_who_paid(voucher_request, pietro):
    for start, end in ((9, 11), (15, 16)):
        do_log_session(voucher_request, actor=pietro, data=SessionInput(day=TODAY(), starts_at=dt.time(start),
                                                                         ends_at=dt.time(end), operator="M",
                                                                         activity="Compiti"))  # fmt: skip
    delivery = hours_by_kind(this_year(), places())
    assert delivery.rows == ["Assistenza educativa domiciliare per minori (ADM)"]
    assert delivery.values[0][:4] == [3.0, 2, 0, 1]  # 3 hours in 2 sessions of 1 service, no dispute
    paid = funders(this_year(), places())
    assert row(paid, "Tradate") == [66.0, 59.4, 0.0, 6.6]  # 3 h × 22 €: 90% voucher, 10% family
    assert published(paid).cells[paid.rows.index("Tradate")] == [HIDDEN] * 4  # one family: withheld


def test_the_open_data_never_holds_a_count_from_one_to_four(client, catalogue, alice, bob):
    for n in range(7):
        do_submit_request(actor=alice if n % 2 else bob, service=catalogue.educativa, beneficiary=None, needs="x")
    quarter = (TODAY().month - 1) // 3 + 1
    document = client.get(reverse("impact:open_data_json"), {"periodo": f"{TODAY().year}-T{quarter}"}).json()

    def numbers(value):
        if isinstance(value, dict):
            return [n for item in value.values() for n in numbers(item)]
        if isinstance(value, list):
            return [n for item in value for n in numbers(item)]
        return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []

    assert not [n for n in numbers(document["tables"]) if 0 < n < 5]
    assert document["licence"] == "CC BY 4.0"
    assert "<5" in json.dumps(document)


def test_periods_are_years_quarters_and_months():
    assert (period_from("2026-T3").start, period_from("2026-T3").end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert period_from("2026-02").end == dt.date(2026, 2, 28)
    assert period_from("nonsense").code == str(TODAY().year)


def test_cost_per_hour_ratings_and_complaints_per_provider(voucher_request, pietro, alice, catalogue):
    from welfare.care.complaints import do_answer_complaint, do_file_complaint
    from welfare.catalogue.models import Review
    from welfare.impact.indicators import complaints, cost_per_hour, reviews

    do_log_session(voucher_request, actor=pietro, data=SessionInput(day=TODAY(), starts_at=dt.time(9),
                                                                     ends_at=dt.time(11), operator="M",
                                                                     activity="Compiti"))  # fmt: skip
    cost = cost_per_hour(this_year(), places())
    assert cost.values == [[2.0, 22.0]]  # 2 hours at 22 € an hour
    Review.objects.create(request=voucher_request, service=voucher_request.service,
                          organization=voucher_request.organization, punctuality=4, kindness=5, competence=3,
                          would_recommend=True)  # fmt: skip
    assert reviews(this_year(), places()).values == [[1, 4.0, 5.0, 3.0, 100]]
    answered = do_file_complaint(actor=alice, organization=voucher_request.organization, text="Ritardo")
    do_answer_complaint(answered, actor=pietro, answer="Scusate")
    do_file_complaint(actor=alice, organization=voucher_request.organization, text="Ancora")
    assert complaints(this_year(), places()).values == [[1, 0, 1, 0]]  # one answered in time, one waiting


def test_the_waiting_list_and_the_budgets(voucher_request, catalogue, alice, programme):
    from welfare.impact.indicators import budgets, waiting_now

    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="In attesa")
    waiting = waiting_now(this_year(), places())
    assert row(waiting, "Tradate")[0] == 1
    (budget,) = [figure for figure in budgets(this_year(), places()) if programme.name in figure.title]
    allocated, committed, spent, available = row(budget, "Tradate")
    assert committed == 1500.0  # the voucher's value, nothing spent yet
    assert spent == 0
    assert allocated == committed + spent + available


def test_the_dashboard_reads_the_figures_computed_by_the_refresh(client, diana, catalogue, alice):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("refresh_figures")
    client.force_login(diana)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("impact:dashboard")).status_code == 200
    assert len(queries) < 15  # the session, the user, the roles: no figure is computed on the page


def test_cells_read_as_people_write_numbers():
    from django.utils import translation

    from welfare.impact.charts import format_cell

    with translation.override("it"):
        assert [format_cell(2000.0, "€"), format_cell(27000, ""), format_cell(3.46, "giorni"), format_cell("<5")] == [
            "2.000,00 €", "27.000", "3,5", "<5"]  # fmt: skip
