"""Who may act for a resident is one table (Delegation) read by one rule (authority_over) and its list twin
(followed_by). The operator console, the resident's page and the act-for switch all agree, also after consent
is withdrawn, an account is taken over or deactivated."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, make_codice_fiscale
from welfare.accounts.access import authority_over, followed_by
from welfare.accounts.actions import do_issue_activation_code, do_register_assisted_citizen, do_take_over_account
from welfare.accounts.models import Delegation
from welfare.assistance.actions import do_withdraw_interview_consent
from welfare.assistance.tests.test_interviews import record_interview
from welfare.territory.models import Municipality, SocialPoint


@pytest.fixture
def point(district):
    return SocialPoint.objects.get(slug="tradate-centro")


def console_text(client, olga):
    client.force_login(olga)
    return client.get(reverse("assistance:console")).text


def test_consent_withdrawn_the_console_no_longer_names_the_resident_nor_their_request(
    client, olga, bob, catalogue, point
):
    interview = record_interview(olga, bob, catalogue)
    assert interview.delegation.source == Delegation.Source.INTERVIEW_CONSENT
    client.force_login(olga)
    client.post(reverse("accounts:act_for"), {"citizen": bob.pk})
    client.post(reverse("care:request_new", args=[catalogue.anziani.pk]), {"beneficiary": "self", "needs": "Spesa"})
    before = console_text(client, olga)
    assert bob.get_full_name() in before
    assert catalogue.anziani.name in before
    do_withdraw_interview_consent(interview, actor=olga)
    after = console_text(client, olga)
    assert bob.get_full_name() not in after
    assert catalogue.anziani.name not in after
    assert list(followed_by([point])) == []
    assert authority_over(olga, bob) is None
    assert client.get(reverse("assistance:resident", args=[bob.citizen_profile.pk])).status_code == 404


def test_an_inactive_resident_is_not_listed(client, olga, bob, catalogue, point):
    record_interview(olga, bob, catalogue)
    assert bob.get_full_name() in console_text(client, olga)
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert bob.get_full_name() not in console_text(client, olga)
    assert list(followed_by([point])) == []


def test_an_assisted_registration_is_a_delegation_until_taken_over(client, olga, olindo, point):
    registration = do_register_assisted_citizen(
        actor=olga, social_point=point, first_name="Giuseppe", last_name="Verdi",
        codice_fiscale=make_codice_fiscale("Giuseppe", "Verdi", dt.date(1944, 3, 3), "Tradate", "M"),
        birth_date=dt.date(1944, 3, 3), municipality=Municipality.objects.get(istat_code=TRADATE), email="",
        phone="0331 1", contact_channel="phone", document_type="identity_card", document_number="CA1",
        consent_given=True,
    )  # fmt: skip
    user = registration.profile.user
    assert registration.delegation.source == Delegation.Source.ASSISTED_REGISTRATION
    authority = authority_over(olga, user)
    assert authority.managed
    assert authority.may("vouchers")
    assert authority_over(olindo, user) is None  # the other Social Point
    assert list(followed_by([point])) == [registration.profile]
    code = do_issue_activation_code(registration, actor=olga)
    do_take_over_account(codice_fiscale=registration.profile.codice_fiscale, code=code, email="g@example.org",
                         password="una-password-lunga-42", client="203.0.113.1")  # fmt: skip
    assert authority_over(olga, user) is None
    assert list(followed_by([point])) == []
    registration.delegation.refresh_from_db()
    assert registration.delegation.revoked_by == user


def test_a_delegation_the_resident_gave_the_social_point_is_listed_until_revoked(client, olga, alice, point):
    from welfare.accounts.actions import do_grant_delegation, do_revoke_delegation

    delegation = do_grant_delegation(
        alice.citizen_profile, actor=alice, delegate_social_point=point, may_request=False, may_manage_vouchers=False,
        covers_self=True, beneficiaries=[], starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    assert alice.get_full_name() in console_text(client, olga)
    assert authority_over(olga, alice).powers == {"view"}
    do_revoke_delegation(delegation, actor=alice)
    assert alice.get_full_name() not in console_text(client, olga)
    assert authority_over(olga, alice) is None


def test_the_resident_sees_only_the_delegations_they_gave_and_cannot_revoke_a_consent_there(client, olga, bob):
    interview = record_interview(olga, bob)
    client.force_login(bob)
    page = client.get(reverse("accounts:delegations"))
    assert page.status_code == 200
    response = client.post(reverse("accounts:delegation_revoke", args=[interview.delegation.pk]))
    assert response.status_code == 404  # consent is withdrawn from the interview's page
    interview.delegation.refresh_from_db()
    assert interview.delegation.revoked_at is None
