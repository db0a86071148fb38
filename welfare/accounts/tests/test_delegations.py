"""Delegations: scope, beneficiaries, period, and revocation that works on the very next request."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, make_citizen, make_codice_fiscale
from welfare.accounts.access import ACTING_SESSION_KEY
from welfare.accounts.actions import do_add_household_member, do_grant_delegation, do_revoke_delegation
from welfare.audit.models import AuditEntry
from welfare.care.actions import do_submit_request
from welfare.care.models import RequestEvent, ServiceRequest
from welfare.territory.models import SocialPoint

TODAY = timezone.localdate


@pytest.fixture
def carla(district):
    """Alice's sister, registered on the portal: the person alice delegates."""
    return make_citizen("carla@example.org", "Carla", "Rossi", dt.date(1982, 5, 3), TRADATE)


@pytest.fixture
def family(alice, catalogue):
    """Alice with two children, and one request for each of them and one for herself."""
    profile = alice.citizen_profile
    kids = [
        do_add_household_member(
            profile, actor=alice, first_name=name, last_name="Rossi", relationship="child",
            codice_fiscale=make_codice_fiscale(name, "Rossi", born, "Tradate", "M"), birth_date=born,
        )
        for name, born in (("Marco", dt.date(2016, 4, 1)), ("Luca", dt.date(2013, 9, 9)))
    ]  # fmt: skip
    requests = {
        who: do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=member, needs="Compiti")
        for who, member in (("marco", kids[0]), ("luca", kids[1]), ("alice", None))
    }
    return kids, requests


def grant(alice, carla=None, point=None, *, may_request=False, covers_self=False, beneficiaries=(), **dates):
    return do_grant_delegation(
        alice.citizen_profile, actor=alice, delegate_user=carla, delegate_social_point=point,
        may_request=may_request, may_manage_vouchers=False, covers_self=covers_self,
        beneficiaries=list(beneficiaries), starts_on=dates.get("starts_on", TODAY()),
        ends_on=dates.get("ends_on", TODAY() + dt.timedelta(days=30)),
    )  # fmt: skip


def act_for(client, delegate, citizen):
    client.force_login(delegate)
    return client.post(reverse("accounts:act_for"), {"citizen": citizen.pk, "next": reverse("portal:timeline")})


def test_it_lets_the_delegate_see_only_the_people_covered(client, alice, carla, family):
    kids, requests = family
    grant(alice, carla, beneficiaries=[kids[0]])
    assert act_for(client, carla, alice).status_code == 302
    timeline = client.get(reverse("portal:timeline"))
    assert "Stai agendo per conto di Alice Rossi" in timeline.text
    assert "Marco Rossi" in timeline.text
    assert "Luca Rossi" not in timeline.text
    assert client.get(reverse("care:citizen_request", args=[requests["marco"].pk])).status_code == 200
    assert client.get(reverse("care:citizen_request", args=[requests["luca"].pk])).status_code == 404
    assert client.get(reverse("care:citizen_request", args=[requests["alice"].pk])).status_code == 404


def test_a_view_only_delegate_is_refused_any_change(client, alice, carla, family):
    _kids, requests = family
    grant(alice, carla, covers_self=True)
    act_for(client, carla, alice)
    url = reverse("care:citizen_request_action", args=[requests["alice"].pk, "withdraw"])
    assert client.post(url).status_code == 403
    assert (
        client.post(reverse("care:citizen_message", args=[requests["alice"].pk]), {"body": "Ciao"}).status_code == 403
    )
    assert client.get(reverse("care:request_new", args=[requests["alice"].service_id])).status_code == 403
    requests["alice"].refresh_from_db()
    assert requests["alice"].state == ServiceRequest.State.SUBMITTED


def test_a_delegate_who_may_request_acts_and_is_recorded_as_acting_for_the_citizen(client, alice, carla, family):
    _kids, requests = family
    grant(alice, carla, covers_self=True, may_request=True)
    act_for(client, carla, alice)
    response = client.post(
        reverse("care:request_new", args=[requests["alice"].service_id]),
        {"beneficiary": "self", "needs": "Serve aiuto il martedì"},
    )
    assert response.status_code == 302
    created = ServiceRequest.objects.get(needs="Serve aiuto il martedì")
    assert created.requester == alice
    event = RequestEvent.objects.get(request=created)
    assert (event.actor, event.on_behalf_of) == (carla, alice)
    entry = AuditEntry.objects.get(verb="service_request.submitted", target_id=str(created.pk))
    assert (entry.actor, entry.on_behalf_of) == (carla, alice)
    client.post(reverse("care:citizen_request_action", args=[created.pk, "withdraw"]))
    created.refresh_from_db()
    assert created.state == ServiceRequest.State.WITHDRAWN


def test_revocation_refuses_the_very_next_request(client, alice, carla, family):
    _kids, requests = family
    delegation = grant(alice, carla, covers_self=True)
    act_for(client, carla, alice)
    url = reverse("care:citizen_request", args=[requests["alice"].pk])
    assert client.get(url).status_code == 200
    do_revoke_delegation(delegation, actor=alice)
    refused = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
    assert refused.status_code == 403
    assert "La delega è terminata" in refused.text
    assert client.get(url).status_code == 404
    assert ACTING_SESSION_KEY not in client.session  # forgotten: carla is back in her own area
    assert "Stai agendo" not in client.get(reverse("accounts:home")).text


def test_a_delegation_outside_its_dates_gives_nothing(client, alice, carla, family):
    grant(alice, carla, covers_self=True, starts_on=TODAY() + dt.timedelta(days=2))
    assert act_for(client, carla, alice).status_code == 404


def test_a_stranger_cannot_act_for_the_citizen(client, alice, bob, family):
    assert act_for(client, bob, alice).status_code == 404


def test_an_operator_without_delegation_sees_nothing_and_with_one_sees_the_requests(
    client, alice, olga, olindo, family
):
    _kids, _requests = family
    profile_url = reverse("assistance:resident", args=[alice.citizen_profile.pk])
    client.force_login(olga)
    assert client.get(profile_url).status_code == 404
    assert act_for(client, olga, alice).status_code == 404
    grant(alice, point=SocialPoint.objects.get(slug="tradate-centro"), covers_self=True)
    assert client.get(profile_url).status_code == 200
    client.force_login(olindo)  # the other Social Point is not delegated
    assert client.get(profile_url).status_code == 404


def test_the_citizen_revokes_from_the_page_and_the_neighbour_cannot(client, alice, bob, carla):
    delegation = grant(alice, carla, covers_self=True)
    client.force_login(bob)
    assert client.post(reverse("accounts:delegation_revoke", args=[delegation.pk])).status_code == 404
    client.force_login(alice)
    assert client.post(reverse("accounts:delegation_revoke", args=[delegation.pk])).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert delegation.revoked_by == alice


def test_the_form_finds_the_person_only_by_exact_codice_fiscale_and_email(client, alice, carla):
    client.force_login(alice)
    data = {"delegate_kind": "person", "delegate_codice_fiscale": carla.citizen_profile.codice_fiscale,
            "delegate_email": "wrong@example.org", "covers_self": "on", "starts_on": TODAY(),
            "ends_on": TODAY() + dt.timedelta(days=10)}  # fmt: skip
    response = client.post(reverse("accounts:delegations"), data)
    assert "Nessuna persona registrata" in response.text
    assert not alice.citizen_profile.delegations_granted.exists()
    response = client.post(reverse("accounts:delegations"), data | {"delegate_email": "carla@example.org"})
    assert response.status_code == 302
    assert alice.citizen_profile.delegations_granted.get().delegate_user == carla


def test_a_delegation_must_cover_someone_and_not_be_over(alice, carla):
    with pytest.raises(ValidationError):
        grant(alice, carla, covers_self=False)
    with pytest.raises(ValidationError):
        grant(alice, carla, covers_self=True, starts_on=TODAY() - dt.timedelta(10), ends_on=TODAY() - dt.timedelta(1))


def test_a_delegate_whose_delegation_ends_while_writing_is_told_and_gets_the_text_back(client, alice, carla, family):
    """Issue 17, defect 7: a revoked delegate lost a typed message to a bare 404."""
    _kids, requests = family
    delegation = grant(alice, carla, covers_self=True, may_request=True)
    act_for(client, carla, alice)
    url = reverse("care:citizen_message", args=[requests["alice"].pk])
    do_revoke_delegation(delegation, actor=alice)
    events = RequestEvent.objects.count()
    response = client.post(url, {"body": "Domani porto io i documenti firmati."}, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 403
    assert "La delega è terminata" in response.text
    assert "Alice Rossi" in response.text
    assert "Domani porto io i documenti firmati." in response.text
    assert RequestEvent.objects.count() == events  # nothing sent
    page = client.get(reverse("care:citizen_request", args=[requests["alice"].pk]), HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 404  # the explanation is given once; afterwards she is herself again


def test_the_delegate_is_told_by_email_when_a_delegation_is_granted_and_revoked(
    alice, carla, family, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        delegation = grant(alice, carla, covers_self=True, may_request=True)
    (granted,) = mail.outbox
    assert granted.to == [carla.email]
    assert "Alice Rossi" in granted.subject
    assert "richiedere servizi" in granted.body
    assert "/area-riservata/per-conto-di/" in granted.body
    with django_capture_on_commit_callbacks(execute=True):
        do_revoke_delegation(delegation, actor=alice)
    assert mail.outbox[-1].to == [carla.email]
    assert "terminata" in mail.outbox[-1].subject
