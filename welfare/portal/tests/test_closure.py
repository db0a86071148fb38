"""Closing an account and the retention of what the law keeps: what remains after each step."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from welfare.accounts.actions import do_create_api_token, do_grant_delegation
from welfare.accounts.models import ApiToken, CitizenProfile, Delegation, User
from welfare.assistance.actions import do_book_appointment
from welfare.assistance.models import Appointment
from welfare.assistance.slots import free_slots
from welfare.audit.models import AuditEntry
from welfare.care.access import requests_for_provider
from welfare.care.actions import do_submit_request, do_withdraw
from welfare.care.models import ServiceRequest
from welfare.portal.closure import DELETE, ON_CLOSURE, PERSONAL_FIELDS, do_apply_retention, do_close_account
from welfare.portal.personal_data import EXPORTED
from welfare.territory.models import SocialPoint

pytestmark = pytest.mark.django_db


def test_every_model_about_residents_has_a_treatment_on_closure():
    assert set(ON_CLOSURE) == set(EXPORTED)
    for model, fields in PERSONAL_FIELDS.items():
        assert ON_CLOSURE[model] != DELETE, model
        for name in fields:
            assert isinstance(model._meta.get_field(name), models.Field), (model, name)


def test_the_account_does_not_close_while_a_request_is_open(alice, catalogue):
    do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto con i compiti")
    with pytest.raises(ValidationError, match="richiesta"):
        do_close_account(alice, actor=alice)
    alice.refresh_from_db()
    assert alice.is_active
    assert alice.citizen_profile.restricted_at is None


@pytest.fixture
def closed_alice(client, alice, bob, catalogue, pietro):
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto con i compiti")
    do_withdraw(request, actor=alice, reason="Non serve più")
    do_create_api_token(alice, actor=alice, name="gestionale")
    delegation = do_grant_delegation(
        alice.citizen_profile, actor=alice, delegate_user=bob, delegate_social_point=None, may_request=False,
        may_manage_vouchers=False, covers_self=True, beneficiaries=[], starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    point = SocialPoint.objects.get(slug="tradate-centro")
    do_book_appointment(social_point=point, starts_at=free_slots(point)[0].starts_at, name="Alice Rossi",
                        phone="0331 1", resident=alice, confirmed=True)  # fmt: skip
    assert requests_for_provider(pietro).filter(pk=request.pk).exists()

    client.force_login(alice)
    page = client.get(reverse("portal:close_account"))
    assert page.status_code == 200
    refused = client.post(reverse("portal:close_account"), {})  # the box not ticked: nothing happens
    assert refused.status_code == 200
    assert User.objects.get(pk=alice.pk).is_active
    response = client.post(reverse("portal:close_account"), {"understood": "on", "reason": "Mi trasferisco"})
    assert response["Location"] == reverse("portal:home")
    assert "_auth_user_id" not in client.session
    return request, delegation


def test_closing_deletes_what_need_not_be_kept_and_hides_the_rest_from_staff(client, alice, closed_alice, pietro):
    request, delegation = closed_alice
    user = User.objects.get(pk=alice.pk)
    profile = CitizenProfile.objects.get(user=user)
    # deleted at once
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.email == f"chiuso-{user.pk}@senza-email.invalid"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert profile.phone == ""
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    # kept, restricted: hidden from the provider
    assert ServiceRequest.objects.filter(pk=request.pk).exists()
    assert profile.restricted_at is not None
    assert profile.restriction_reason == "Mi trasferisco"
    assert not requests_for_provider(pietro).filter(pk=request.pk).exists()
    assert AuditEntry.objects.filter(verb="account.closed", actor=user).exists()
    client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_retention_deletes_contacts_then_anonymises_as_the_years_pass(alice, closed_alice):
    request, _ = closed_alice
    closed_on = CitizenProfile.objects.get(user=alice).restricted_at
    code = alice.citizen_profile.codice_fiscale
    entries = AuditEntry.objects.count()

    assert do_apply_retention(closed_on + dt.timedelta(days=365)) == {"contacts_deleted": 0, "anonymised": 0}
    assert Appointment.objects.filter(resident=alice).exists()

    assert do_apply_retention(closed_on + dt.timedelta(days=2 * 366)) == {"contacts_deleted": 1, "anonymised": 0}
    assert not Appointment.objects.filter(resident=alice).exists()
    assert CitizenProfile.objects.get(user=alice).codice_fiscale == code  # the case file is still whole
    assert ServiceRequest.objects.get(pk=request.pk).needs == "Aiuto con i compiti"

    assert do_apply_retention(closed_on + dt.timedelta(days=10 * 366)) == {"contacts_deleted": 0, "anonymised": 1}
    user = User.objects.get(pk=alice.pk)
    profile = CitizenProfile.objects.get(user=user)
    assert (user.first_name, user.last_name) == ("", "")
    assert profile.codice_fiscale.startswith("ANON")
    assert profile.birth_date == dt.date(1985, 1, 1)
    kept = ServiceRequest.objects.get(pk=request.pk)
    assert kept.needs == ""
    assert kept.state == ServiceRequest.State.WITHDRAWN  # states, dates and amounts stay for the statistics
    assert Delegation.objects.filter(granter=profile).exists()
    assert AuditEntry.objects.count() == entries + 2  # contacts deleted, anonymised
    assert do_apply_retention(closed_on + dt.timedelta(days=11 * 366)) == {"contacts_deleted": 0, "anonymised": 0}
