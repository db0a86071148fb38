"""A household member's health and disability notes: the resident; the provider and the social worker handling a
request for that member; nobody else (one rule, in the access function that decrypts)."""

import pytest
from django.urls import reverse

from welfare.accounts.access import support_needs_of
from welfare.accounts.tests.test_delegations import act_for, carla, grant  # noqa: F401 (fixture)
from welfare.assistance.tests.test_interviews import record_interview
from welfare.audit.models import AuditEntry
from welfare.care.actions import do_submit_request

NOTES = "Autismo lieve"


@pytest.fixture
def luca_request(alice, child, catalogue):
    return do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti")


def test_the_resident_sees_the_notes_on_the_household_page(client, alice, child):
    client.force_login(alice)
    assert NOTES in client.get(reverse("accounts:household")).text


def test_a_view_only_delegate_does_not_see_them(client, alice, carla, child):  # noqa: F811
    grant(alice, carla, beneficiaries=[child])
    act_for(client, carla, alice)
    page = client.get(reverse("accounts:household"))
    assert page.status_code == 200
    assert "Luca" in page.text  # the delegate sees who is covered…
    assert NOTES not in page.text  # …but not their health
    assert support_needs_of(child, reader=carla) is None


def test_an_operator_following_through_interview_consent_does_not_see_them(client, alice, olga, child):
    record_interview(olga, alice)
    act_for(client, olga, alice)
    page = client.get(reverse("accounts:household"))
    assert page.status_code == 200
    assert NOTES not in page.text
    assert not AuditEntry.objects.filter(verb="household_member.support_needs_read").exists()


def test_the_provider_handling_the_request_sees_them_and_the_read_is_audited(luca_request, child, pietro):
    support = support_needs_of(child, reader=pietro, purpose=luca_request)
    assert support is not None
    assert (support.notes, support.disability_certified) == (NOTES, True)
    assert AuditEntry.objects.get(verb="household_member.support_needs_read").actor == pietro


def test_the_social_worker_of_the_municipality_sees_them_the_neighbour_does_not(luca_request, child, sofia, vittorio):
    assert support_needs_of(child, reader=sofia, purpose=luca_request).notes == NOTES
    assert support_needs_of(child, reader=vittorio, purpose=luca_request) is None


def test_staff_of_another_provider_or_of_a_request_for_someone_else_do_not(
    luca_request, alice, child, catalogue, rita, pietro, olga, diana
):
    for_alice = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Per me")
    assert support_needs_of(child, reader=rita, purpose=luca_request) is None
    assert support_needs_of(child, reader=pietro, purpose=for_alice) is None  # a request, but not for Luca
    assert support_needs_of(child, reader=pietro) is None  # no purpose at all
    for staff in (olga, diana):
        assert support_needs_of(child, reader=staff, purpose=luca_request) is None
    assert not AuditEntry.objects.filter(verb="household_member.support_needs_read").exists()
