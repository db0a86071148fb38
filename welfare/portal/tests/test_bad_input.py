"""Bad input gets a clear 4xx, never a 500, and changes nothing: NUL characters (PostgreSQL cannot store them,
not even as a query parameter), page numbers that are not numbers, raw values posted to actions, double clicks.
CI runs these on PostgreSQL too, where the NUL shapes used to fail."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from welfare.accounts.models import ApiToken, HouseholdMember
from welfare.audit.models import AuditEntry
from welfare.care.actions import do_submit_request
from welfare.care.models import ServiceRequest


@pytest.mark.parametrize("path", ["/voucher/verifica/?codice=AB%00CD", "/servizi/?q=assistenza%00", "/?x%00=1",
                                  "/area-riservata/ente/richieste/?comune=%00"])  # fmt: skip
def test_a_nul_in_a_page_query_is_a_400(client, district, pietro, path):
    client.force_login(pietro)
    response = client.get(path)
    assert response.status_code == 400
    assert "Richiesta non comprensibile" in response.text


@pytest.mark.parametrize("path", ["/api/hsds/services?search=%00", "/api/v1/provider/requests?state=%00"])
def test_a_nul_in_an_api_query_is_a_400_with_the_stable_error_shape(client, district, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


def test_a_nul_in_a_token_name_is_a_form_error(client, pietro):
    client.force_login(pietro)
    response = client.post(reverse("accounts:api_tokens"), {"name": "gestionale\x00"}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert "caratteri null" in response.text.lower() or "null" in response.text.lower()
    assert not ApiToken.objects.exists()


def test_a_nul_or_an_overlong_reason_is_refused_and_nothing_changes(client, catalogue, alice, pietro):
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    events = AuditEntry.objects.count()
    client.force_login(alice)
    url = reverse("care:citizen_request_action", args=[request.pk, "withdraw"])
    assert client.post(url, {"reason": "ci ho ripensato\x00"}).status_code == 302
    client.force_login(pietro)
    url = reverse("care:provider_request_action", args=[request.pk, "reject"])
    assert client.post(url, {"reason": "x" * 5000}).status_code == 400
    assert client.post(url, {"reason": "no\x00"}).status_code == 400
    request.refresh_from_db()
    assert request.state == ServiceRequest.State.SUBMITTED
    assert AuditEntry.objects.count() == events


def test_an_operator_search_with_a_nul_finds_nobody(client, olga):
    client.force_login(olga)
    assert (
        client.post(reverse("assistance:interview_new"), {"codice_fiscale": "RSSMRA80A01L319\x00"}).status_code == 404
    )


@pytest.mark.parametrize("number", ["abc", "99999999999999999999999", "NaN"])
def test_a_page_number_of_a_personal_list_that_is_not_one_is_a_404(client, pietro, district, number):
    client.force_login(pietro)
    assert client.get(reverse("care:provider_inbox"), {"pagina": number}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_double_click_adding_a_household_member_adds_one(alice):
    """Two submissions of the same person at the same moment: one member, and the other gets the usual refusal."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    import datetime as dt

    from conftest import make_codice_fiscale
    from welfare.accounts.actions import do_add_household_member

    barrier, outcomes = threading.Barrier(4), []

    def add(_number):
        try:
            barrier.wait()
            do_add_household_member(alice.citizen_profile, actor=alice, first_name="Marco", last_name="Rossi",
                                    codice_fiscale=make_codice_fiscale("Marco", "Rossi", dt.date(2016, 4, 1),
                                                                       "Tradate", "M"),
                                    birth_date=dt.date(2016, 4, 1), relationship="child")  # fmt: skip
            outcomes.append("added")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["added"] + ["duplicate_member"] * 3
    assert HouseholdMember.objects.count() == 1


@pytest.mark.parametrize("path", [
    "/api/v1/provider/sessions?month=9999-12-31", "/api/v1/provider/sessions?month=0001-01-01",
    "/area-riservata/social-point/agenda/?giorno=9999-12-31", "/area-riservata/social-point/agenda/?giorno=0001-01-01",
    "/api/hsds/services?page=99999999999999999999999", "/api/hsds/organizations?page=9223372036854775807",
])  # fmt: skip
def test_dates_and_numbers_at_the_edges_of_their_range_are_answered(client, catalogue, pietro, olga, path):
    client.force_login(olga if "social-point" in path else pietro)
    assert client.get(path).status_code < 500
