import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, make_codice_fiscale, make_service
from welfare.audit.models import AuditEntry
from welfare.care.actions import (
    do_cancel,
    do_complete,
    do_confirm,
    do_expire_proposals,
    do_post_message,
    do_propose,
    do_reject,
    do_start,
    do_submit_request,
    do_withdraw,
)
from welfare.care.models import ServiceRequest
from welfare.catalogue.models import Service

State = ServiceRequest.State
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def submitted(catalogue, alice, child, pietro, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return do_submit_request(
            actor=alice, service=catalogue.educativa, beneficiary=child, needs="Aiuto nei compiti",
            preferred_times="Lunedì pomeriggio",
        )  # fmt: skip


def propose(request, pietro, **changes):
    values = {"start": TOMORROW, "schedule": "Lun e Mer 15-17", "operator": "Marta", "price_cents": 2200,
              "funding": "voucher"} | changes  # fmt: skip
    return do_propose(request, actor=pietro, **values)


def test_a_request_reaches_the_provider_and_tells_them_by_email_without_health_details(submitted, pietro):
    assert submitted.state == State.SUBMITTED
    assert submitted.municipality.name == "Tradate"
    assert [m.to for m in mail.outbox] == [[pietro.email]]
    assert "Educativa domiciliare Melograno" in mail.outbox[0].subject
    body = mail.outbox[0].body
    for private in ("Autismo", "compiti", "Luca"):
        assert private not in body


def test_the_whole_path_to_completed_frees_the_place_again(submitted, alice, pietro):
    places = submitted.service.free_places
    propose(submitted, pietro)
    assert Service.objects.get(pk=submitted.service_id).free_places == places - 1
    do_confirm(submitted, actor=alice)
    do_start(submitted, actor=pietro)
    do_complete(submitted, actor=pietro)
    submitted.refresh_from_db()
    assert submitted.state == State.COMPLETED
    assert Service.objects.get(pk=submitted.service_id).free_places == places
    assert list(submitted.events.values_list("to_state", flat=True)) == [
        "submitted", "proposed", "confirmed", "active", "completed",
    ]  # fmt: skip
    assert AuditEntry.objects.filter(verb="service_request.confirmed", actor=alice).exists()


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "confirm"),
        ([], "start"),
        ([], "complete"),
        (["propose"], "propose"),
        (["propose"], "start"),
        (["propose", "confirm"], "propose"),
        (["reject"], "confirm"),
        (["withdraw"], "propose"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(submitted, alice, pietro, steps, action):
    run = {
        "propose": lambda: propose(submitted, pietro),
        "reject": lambda: do_reject(submitted, actor=pietro, reason="Nessun educatore libero"),
        "confirm": lambda: do_confirm(submitted, actor=alice),
        "withdraw": lambda: do_withdraw(submitted, actor=alice),
        "start": lambda: do_start(submitted, actor=pietro),
        "complete": lambda: do_complete(submitted, actor=pietro),
    }
    for step in steps:
        run[step]()
    before = ServiceRequest.objects.get(pk=submitted.pk)
    events = submitted.events.count()
    with pytest.raises(ValidationError) as excinfo:
        run[action]()
    assert excinfo.value.code == "invalid_transition"
    after = ServiceRequest.objects.get(pk=submitted.pk)
    assert (after.state, submitted.events.count()) == (before.state, events)


def test_reject_needs_a_reason_and_the_family_gets_alternatives(
    client, submitted, alice, pietro, catalogue, taxonomy, provider_b
):

    with pytest.raises(ValidationError):
        do_reject(submitted, actor=pietro, reason="  ")
    other = make_service(
        provider_b, taxonomy, "Educativa Arcobaleno", kinds=["adm"], areas=[TRADATE], price=2100, free_places=4
    )
    full = make_service(
        provider_b, taxonomy, "Educativa piena", kinds=["adm"], areas=[TRADATE], price=2100, free_places=0
    )
    do_reject(submitted, actor=pietro, reason="Nessun educatore libero il lunedì")
    client.force_login(alice)
    page = client.get(reverse("care:citizen_request", args=[submitted.pk]))
    assert other.name in page.text
    assert full.name not in page.text  # no free places: not suggested
    assert "Nessun educatore libero" in page.text


def test_no_capacity_means_no_proposal(submitted, pietro):
    Service.objects.filter(pk=submitted.service_id).update(free_places=0)
    with pytest.raises(ValidationError) as excinfo:
        propose(submitted, pietro)
    assert excinfo.value.code == "no_capacity"
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_proposals_expire_and_give_the_place_back(submitted, alice, pietro):
    places = submitted.service.free_places
    propose(submitted, pietro)
    assert do_expire_proposals(timezone.now() + dt.timedelta(days=8)) == 1
    submitted.refresh_from_db()
    assert submitted.state == State.EXPIRED
    assert Service.objects.get(pk=submitted.service_id).free_places == places
    with pytest.raises(ValidationError):
        do_confirm(submitted, actor=alice)


def test_confirming_after_the_deadline_expires_the_proposal(submitted, alice, pietro):
    propose(submitted, pietro)
    ServiceRequest.objects.filter(pk=submitted.pk).update(proposal_deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as excinfo:
        do_confirm(submitted, actor=alice)
    assert excinfo.value.code == "expired"


def test_cancel_needs_a_reason(submitted, alice, pietro):
    propose(submitted, pietro)
    do_confirm(submitted, actor=alice)
    with pytest.raises(ValidationError):
        do_cancel(submitted, actor=alice, reason="")
    do_cancel(submitted, actor=alice, reason="Ci trasferiamo")
    submitted.refresh_from_db()
    assert submitted.state == State.CANCELLED


def test_a_request_for_someone_outside_the_household_is_refused(catalogue, bob, child):
    with pytest.raises(ValidationError) as excinfo:
        do_submit_request(actor=bob, service=catalogue.anziani, beneficiary=child, needs="x")
    assert excinfo.value.code == "not_household"


def test_unpublished_services_cannot_be_requested(catalogue, alice):
    with pytest.raises(ValidationError):
        do_submit_request(actor=alice, service=catalogue.draft, beneficiary=None, needs="x")


def test_messages_and_unread_counts(client, submitted, alice, pietro):
    do_post_message(submitted, author=pietro, body="Possiamo sentirci domani?")
    do_post_message(submitted, author=pietro, body="Ci serve il codice fiscale del ragazzo.")
    client.force_login(alice)
    timeline = client.get(reverse("portal:timeline"), HTTP_ACCEPT_LANGUAGE="it")
    assert "2 nuovi messaggi" in timeline.text
    client.get(reverse("care:citizen_request", args=[submitted.pk]))  # reading marks them read
    assert "nuovi messaggi" not in client.get(reverse("portal:timeline"), HTTP_ACCEPT_LANGUAGE="it").text
    client.post(reverse("care:citizen_message", args=[submitted.pk]), {"body": "Sì, a domani"})
    client.force_login(pietro)
    inbox = client.get(reverse("care:provider_inbox"), HTTP_ACCEPT_LANGUAGE="it")
    assert "1 nuovo" in inbox.text


def test_support_needs_are_encrypted_at_rest_and_every_staff_read_is_audited(client, submitted, child, pietro):
    from welfare.accounts.models import HouseholdMember

    stored = HouseholdMember.objects.get(pk=child.pk).support_needs_encrypted
    assert stored
    assert "Autismo" not in stored
    client.force_login(pietro)
    page = client.get(reverse("care:provider_request", args=[submitted.pk]))
    assert "Autismo lieve" in page.text
    read = AuditEntry.objects.get(verb="household_member.support_needs_read")
    assert (read.actor, read.target_id, read.data["purpose"]) == (
        pietro,
        str(child.pk),
        f"care.ServiceRequest:{submitted.pk}",
    )


def test_the_other_provider_and_the_neighbour_cannot_act_on_a_request(client, submitted, rita, bob):
    client.force_login(rita)
    assert (
        client.post(reverse("care:provider_request_action", args=[submitted.pk, "reject"]), {"reason": "x"}).status_code
        == 404
    )
    assert client.post(reverse("care:provider_message", args=[submitted.pk]), {"body": "x"}).status_code == 404
    client.force_login(bob)
    assert client.post(reverse("care:citizen_request_action", args=[submitted.pk, "withdraw"])).status_code == 404
    assert client.post(reverse("care:citizen_message", args=[submitted.pk]), {"body": "x"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert not submitted.messages.exists()


def test_a_proposal_with_a_past_date_is_refused_on_the_field(client, submitted, pietro):
    client.force_login(pietro)
    response = client.post(
        reverse("care:provider_request_action", args=[submitted.pk, "propose"]),
        {"start": "2020-01-01", "schedule": "x", "operator": "y", "price": "22", "funding": "voucher"},
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert response.status_code == 400
    assert "non può essere nel passato" in response.text
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_the_timeline_uses_the_same_number_of_queries_for_1_or_10_requests(client, catalogue, alice, child):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="a")
    client.force_login(alice)
    client.get(reverse("portal:timeline"))  # fills what every page keeps in the cache (the district)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portal:timeline"))
    for _ in range(9):
        do_submit_request(actor=alice, service=catalogue.anziani, beneficiary=None, needs="b")
    with CaptureQueriesContext(connection) as ten:
        response = client.get(reverse("portal:timeline"))
    assert response.text.count('class="wi-card mb-3"') == 10
    assert len(ten) == len(one)


def test_household_member_with_a_wrong_birth_date_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:household"),
        {"first_name": "Luca", "last_name": "Rossi", "relationship": "child", "birth_date": "2016-05-05",
         "codice_fiscale": make_codice_fiscale("Luca", "Rossi", dt.date(2016, 5, 4), "Tradate", "M")},
        HTTP_ACCEPT_LANGUAGE="it",
    )  # fmt: skip
    assert "non corrisponde al codice fiscale" in response.context["form"].errors["birth_date"][0]
    assert not alice.citizen_profile.household.exists()


def test_the_portal_shows_what_changed_since_the_last_visit(client, submitted, alice, pietro):
    client.force_login(pietro)
    assert "Nuova" in client.get(reverse("care:provider_inbox"), HTTP_ACCEPT_LANGUAGE="it").text
    client.force_login(alice)
    client.get(reverse("care:citizen_request", args=[submitted.pk]))  # seen
    assert "Aggiornata" not in client.get(reverse("portal:timeline"), HTTP_ACCEPT_LANGUAGE="it").text
    propose(submitted, pietro)
    assert "Aggiornata" in client.get(reverse("portal:timeline"), HTTP_ACCEPT_LANGUAGE="it").text


def test_the_inbox_pages_newest_first_without_counting_everything(client, catalogue, alice, pietro):
    for number in range(21):
        do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs=f"Richiesta {number}")
    client.force_login(pietro)
    first = client.get(reverse("care:provider_inbox"), HTTP_ACCEPT_LANGUAGE="it")
    assert len(first.context["page"].object_list) == 20
    assert "pagina=2" in first.text
    second = client.get(reverse("care:provider_inbox") + "?pagina=2", HTTP_ACCEPT_LANGUAGE="it")
    assert [r.needs for r in second.context["page"].object_list] == ["Richiesta 0"]  # the oldest, last
    assert "pagina=3" not in second.text
    assert client.get(reverse("care:provider_inbox") + "?pagina=3").status_code == 404


def test_the_inbox_asks_each_thing_once(client, catalogue, alice, pietro):
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Una richiesta")
    client.force_login(pietro)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("care:provider_inbox") + "?stato=submitted", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert "Una richiesta" not in response.text  # the needs stay on the request's page
    repeated = [sql for sql, n in Counter(q["sql"] for q in captured.captured_queries).items() if n > 1]
    assert repeated == []  # the provider's organisations, asked by the filters and by the scope, are read once
    assert '<option value="submitted" selected>' in response.text  # the filter keeps its choice


def test_a_refused_proposal_keeps_what_was_typed_and_says_where_to_add_places(client, submitted, pietro):
    Service.objects.filter(pk=submitted.service_id).update(free_places=0)
    client.force_login(pietro)
    response = client.post(reverse("care:provider_request_action", args=[submitted.pk, "propose"]), {
        "start": (timezone.localdate() + dt.timedelta(days=3)).isoformat(), "schedule": "Lunedì e mercoledì 15-17",
        "operator": "Marta Bianchi", "price": "22.00", "funding": "family",
    }, HTTP_ACCEPT_LANGUAGE="it")  # fmt: skip
    assert response.status_code == 400
    assert "Lunedì e mercoledì 15-17" in response.text  # nothing to type again
    assert "Marta Bianchi" in response.text
    assert reverse("catalogue:staff_service_edit", args=[submitted.service_id]) in response.text
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_alternatives_after_a_refusal_suit_the_beneficiarys_age(submitted, pietro, taxonomy, provider_b):
    """Issue 17, defect 6: alternatives ignored the age of whom the request is for (Luca is 10)."""
    from welfare.care.queries import alternatives_for

    for_children = make_service(
        provider_b, taxonomy, "Educativa ragazzi", kinds=["adm"], areas=[TRADATE], minimum_age=6, maximum_age=14,
        free_places=3,
    )  # fmt: skip
    for_adults = make_service(
        provider_b, taxonomy, "Educativa adulti", kinds=["adm"], areas=[TRADATE], minimum_age=18, free_places=3
    )
    do_reject(submitted, actor=pietro, reason="Nessun educatore libero")
    assert list(alternatives_for(submitted)) == [for_children]
    assert for_adults not in alternatives_for(submitted)


def test_withdrawing_is_behind_a_disclosure_not_open_under_the_status(client, submitted, alice):
    client.force_login(alice)
    page = client.get(reverse("care:citizen_request", args=[submitted.pk]), HTTP_ACCEPT_LANGUAGE="it").text
    disclosure = page.index("<summary>Ritira la richiesta</summary>")
    assert page.rindex("<details", 0, disclosure) > page.index("Stato")
    assert page.index('action="' + reverse("care:citizen_request_action", args=[submitted.pk, "withdraw"])) > disclosure


def test_adding_a_missing_person_leads_back_to_the_request_with_them_chosen(client, catalogue, alice):
    """Issue 17, friction: "add to your household" from the request form was a dead end."""
    client.force_login(alice)
    form = client.get(reverse("care:request_new", args=[catalogue.educativa.pk]), HTTP_ACCEPT_LANGUAGE="it").text
    household = f"{reverse('accounts:household')}?servizio={catalogue.educativa.pk}"
    assert household in form
    born = dt.date(2018, 2, 3)
    response = client.post(household, {
        "first_name": "Sara", "last_name": "Rossi", "relationship": "child", "birth_date": born.isoformat(),
        "codice_fiscale": make_codice_fiscale("Sara", "Rossi", born, "Tradate"),
    })  # fmt: skip
    sara = alice.citizen_profile.household.get(first_name="Sara")
    assert response.status_code == 302
    assert response.url == f"{reverse('care:request_new', args=[catalogue.educativa.pk])}?per={sara.pk}"
    back = client.get(response.url)
    assert back.context["form"]["beneficiary"].value() == str(sara.pk)


def test_a_request_to_a_full_service_says_it_joins_the_waiting_list(client, catalogue, alice):
    Service.objects.filter(pk=catalogue.educativa.pk).update(free_places=0)
    client.force_login(alice)
    page = client.get(reverse("care:request_new", args=[catalogue.educativa.pk]), HTTP_ACCEPT_LANGUAGE="it").text
    assert "lista d'attesa" in page


def test_the_inbox_shows_the_person_and_sorts_by_column(client, catalogue, alice, child, bob, pietro):
    for_luca = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti")
    for_bob = do_submit_request(actor=bob, service=catalogue.educativa, beneficiary=None, needs="Compiti")
    client.force_login(pietro)
    url = reverse("care:provider_inbox")
    newest = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
    assert [r.pk for r in newest.context["page"].object_list] == [for_bob.pk, for_luca.pk]
    assert "Luca Rossi" in newest.text
    assert bob.get_full_name() in newest.text
    by_person = client.get(url, {"ordina": "persona"})  # Colombo (Roberto) before Rossi (Luca)
    assert [r.pk for r in by_person.context["page"].object_list] == [for_bob.pk, for_luca.pk]
    oldest = client.get(url, {"ordina": "meno-recenti"})
    assert [r.pk for r in oldest.context["page"].object_list] == [for_luca.pk, for_bob.pk]
    assert 'aria-sort="ascending"' in oldest.text
    assert client.get(url, {"ordina": "nonsense"}).status_code == 200


def test_the_history_of_a_request_includes_its_sessions_and_disputes(client, voucher_request, alice, pietro):
    from welfare.delivery.actions import SessionInput, do_dispute_session, do_log_session

    session = do_log_session(voucher_request, actor=pietro, data=SessionInput(
        day=timezone.localdate(), starts_at=dt.time(9), ends_at=dt.time(11), operator="Marta", activity="Compiti",
    ))  # fmt: skip
    do_dispute_session(session, actor=alice, reason="Non è venuta")
    client.force_login(alice)
    page = client.get(reverse("care:citizen_request", args=[voucher_request.pk]), HTTP_ACCEPT_LANGUAGE="it").text
    history = page[page.index('id="history-title"') :]
    assert "09:00–11:00, registrata" in history
    assert "contestata dalla famiglia" in history
    assert "Non è venuta" in history


def test_an_employer_credit_nobody_holds_cannot_be_proposed_or_confirmed(client, submitted, alice, pietro):
    """Issue 18's first refusal: "employer credit" was a label a provider could propose to any family."""
    places = Service.objects.get(pk=submitted.service_id).free_places
    with pytest.raises(ValidationError) as refused:
        propose(submitted, pietro, funding="employer")
    assert refused.value.code == "no_employer_credit"
    submitted.refresh_from_db()
    assert (submitted.state, submitted.proposed_funding) == (State.SUBMITTED, "")
    assert Service.objects.get(pk=submitted.service_id).free_places == places  # no place taken
    client.force_login(pietro)
    page = client.get(reverse("care:provider_request", args=[submitted.pk]))
    assert "employer" not in dict(page.context["proposal_form"].fields["funding"].choices)
    api = client.post(
        f"/api/v1/provider/requests/{submitted.pk}/propose",
        {"start": TOMORROW.isoformat(), "schedule": "Lun", "operator": "Marta", "price_cents": 2200,
         "funding": "employer"},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="employer-1",
    )  # fmt: skip
    assert api.status_code == 422
    # A proposal made before the rule (the family is asked to get a new one, nothing moves).
    propose(submitted, pietro)
    ServiceRequest.objects.filter(pk=submitted.pk).update(proposed_funding="employer")
    with pytest.raises(ValidationError) as not_confirmed:
        do_confirm(submitted, actor=alice)
    assert not_confirmed.value.code == "no_employer_credit"
    submitted.refresh_from_db()
    assert submitted.state == State.PROPOSED
