"""The private API: tokens, the same access rules as the web pages, stable error codes, idempotent writes."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from welfare.accounts.actions import do_create_api_token, do_revoke_api_token
from welfare.care.actions import do_submit_request
from welfare.care.models import Message, ServiceRequest


@pytest.fixture
def service_request(catalogue, alice):
    return do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto nei compiti")


def bearer(user):
    _token, secret = do_create_api_token(user, actor=user, name="gestionale")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_without_credentials_the_answer_is_401_json(client, db):
    response = client.get("/api/v1/requests")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_token_is_stored_hashed_and_stops_working_when_revoked(client, alice, service_request):
    token, secret = do_create_api_token(alice, actor=alice, name="app")
    assert secret not in token.token_hash
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert [r["id"] for r in client.get("/api/v1/requests", **headers).json()] == [str(service_request.pk)]
    do_revoke_api_token(token, actor=alice)
    assert client.get("/api/v1/requests", **headers).status_code == 401


def test_the_browser_session_works_too(client, alice, service_request):
    client.force_login(alice)
    assert client.get(f"/api/v1/requests/{service_request.pk}").json()["state"] == "submitted"


def test_the_neighbour_and_the_other_provider_get_404(client, service_request, bob, rita):
    assert client.get(f"/api/v1/requests/{service_request.pk}", **bearer(bob)).json()["code"] == "not_found"
    response = client.get(f"/api/v1/provider/requests/{service_request.pk}", **bearer(rita))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert client.get("/api/v1/provider/requests", **bearer(bob)).json()["code"] == "forbidden"  # not provider staff


def test_a_provider_proposes_and_the_family_confirms_through_the_api(client, service_request, alice, pietro):
    proposal = {"start": str(timezone.localdate() + dt.timedelta(days=2)), "schedule": "Lun 15-17", "operator": "Marta",
                "price_cents": 2200, "funding": "voucher"}  # fmt: skip
    url = f"/api/v1/provider/requests/{service_request.pk}/propose"
    response = client.post(url, json.dumps(proposal), content_type="application/json", **bearer(pietro))
    assert response.status_code == 200
    assert response.json()["state"] == "proposed"
    again = client.post(url, json.dumps(proposal), content_type="application/json", **bearer(pietro))
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    confirmed = client.post(f"/api/v1/requests/{service_request.pk}/confirm", **bearer(alice))
    assert confirmed.json()["state"] == "confirmed"


def test_bad_input_gets_422_with_a_stable_code_and_changes_nothing(client, service_request, pietro):
    url = f"/api/v1/provider/requests/{service_request.pk}/propose"
    bad = {"start": "2020-01-01", "schedule": "x", "operator": "y", "price_cents": 1, "funding": "voucher"}
    response = client.post(url, json.dumps(bad), content_type="application/json", **bearer(pietro))
    assert (response.status_code, response.json()["code"]) == (422, "start_in_past")
    response = client.post(url, json.dumps({"funding": "gold"}), content_type="application/json", **bearer(pietro))
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    assert ServiceRequest.objects.get(pk=service_request.pk).state == "submitted"


def test_a_replayed_write_returns_the_first_answer_and_writes_once(client, service_request, alice):
    headers = bearer(alice) | {"HTTP_IDEMPOTENCY_KEY": "msg-0001"}
    url = f"/api/v1/requests/{service_request.pk}/messages"
    first = client.post(url, json.dumps({"body": "Buongiorno"}), content_type="application/json", **headers)
    second = client.post(url, json.dumps({"body": "Buongiorno"}), content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Message.objects.count() == 1
    other = client.post(url, json.dumps({"body": "Altro"}), content_type="application/json", **headers)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert Message.objects.count() == 1


def test_the_token_page_shows_the_secret_once(client, pietro):
    client.force_login(pietro)
    created = client.post(reverse("accounts:api_tokens"), {"name": "Gestionale"})
    token = pietro.api_tokens.get()
    secret_start = token.prefix
    assert secret_start in created.text
    assert "no-cache" in created.headers["Cache-Control"] or "no-store" in created.headers["Cache-Control"]
    listing = client.get(reverse("accounts:api_tokens")).text
    assert token.prefix + "…" in listing
    assert created.text.count("wi_") > listing.count("wi_")  # the full secret is gone


def test_the_openapi_description_is_served(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/provider/requests/{request_id}/propose" in spec["paths"]


def test_a_delegate_uses_the_api_for_the_resident_within_the_delegation(client, catalogue, alice, bob, child):
    """Acting-For: a delegate who may request reads and confirms for the resident (recorded on their behalf);
    a view-only delegate reads but may not write; a stranger is told nothing exists."""
    import datetime as dt

    from django.utils import timezone

    from welfare.accounts.actions import do_grant_delegation
    from welfare.audit.models import AuditEntry
    from welfare.care.actions import do_submit_request

    for_luca = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti")
    for_alice = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Per me")
    delegation = do_grant_delegation(
        alice.citizen_profile, actor=alice, delegate_user=bob, may_request=True, may_manage_vouchers=False,
        covers_self=False, beneficiaries=[child], starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )  # fmt: skip
    headers = bearer(bob) | {"HTTP_ACTING_FOR": str(alice.pk)}
    assert [p["id"] for p in client.get("/api/v1/acting-for", **bearer(bob)).json()] == [alice.pk]
    listed = client.get("/api/v1/requests", **headers).json()
    assert [r["id"] for r in listed] == [str(for_luca.pk)]  # only Luca's: the delegation does not cover Alice
    assert client.get(f"/api/v1/requests/{for_alice.pk}", **headers).status_code == 404
    written = client.post(f"/api/v1/requests/{for_luca.pk}/messages", json.dumps({"body": "Sono la zia"}),
                          content_type="application/json", **headers)  # fmt: skip
    assert written.status_code == 201
    posted = AuditEntry.objects.get(verb="message.posted")
    assert (posted.actor, posted.on_behalf_of) == (bob, alice)
    assert client.get("/api/v1/vouchers", **headers).status_code == 403  # no voucher power
    delegation.may_request = False
    delegation.save(update_fields=["may_request"])
    refused = client.post(f"/api/v1/requests/{for_luca.pk}/withdraw", json.dumps({"reason": ""}),
                          content_type="application/json", **headers)  # fmt: skip
    assert refused.status_code == 403
    stranger = client.get("/api/v1/requests", **bearer(bob) | {"HTTP_ACTING_FOR": str(child.owner.user_id + 999)})
    assert stranger.status_code == 404
    assert client.get("/api/v1/requests", **bearer(alice) | {"HTTP_ACTING_FOR": str(bob.pk)}).status_code == 404


def test_a_residents_area_offers_no_api_tokens(client, alice, pietro):
    """Issue 17: tokens are for staff's and providers' software, not for a resident's personal area."""
    client.force_login(alice)
    assert reverse("accounts:api_tokens") not in client.get(reverse("accounts:home")).text
    assert client.get(reverse("accounts:api_tokens")).status_code == 403
    assert client.post(reverse("accounts:api_tokens"), {"name": "app"}).status_code == 403
    assert not alice.api_tokens.exists()
    client.force_login(pietro)
    assert reverse("accounts:api_tokens") in client.get(reverse("accounts:home")).text


def test_a_bad_token_is_401_never_a_csrf_403(client, db):
    for header in ("Bearer not-a-token", "Token abc", "Basic YWxpY2U6eA=="):
        response = client.post("/api/v1/provider/sessions", {"sessions": []}, content_type="application/json",
                               HTTP_AUTHORIZATION=header)  # fmt: skip
        assert response.status_code == 401, header
        assert response.json()["code"] == "unauthenticated"
        assert response.json()["message"]


def test_v1_errors_have_the_one_shape(client, alice):
    client.force_login(alice)
    response = client.get("/api/v1/requests/not-a-uuid")
    assert response.status_code == 422
    body = response.json()
    assert {"code", "message", "field", "detail"} <= set(body)
    assert body["field"] == "request_id"
