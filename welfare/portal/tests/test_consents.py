"""One page to withdraw each processing that rests on the resident's consent (GDPR art. 7.3)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from welfare.accounts.access import authority_over
from welfare.accounts.actions import do_grant_delegation
from welfare.assistance.tests.test_interviews import record_interview
from welfare.audit.models import AuditEntry
from welfare.territory.models import SocialPoint

pytestmark = pytest.mark.django_db


def test_the_page_lists_each_consent_and_withdraws_it(client, olga, bob, alice):
    interview = record_interview(olga, bob)
    delegation = do_grant_delegation(
        bob.citizen_profile, actor=bob, delegate_user=alice, delegate_social_point=None, may_request=True,
        may_manage_vouchers=False, covers_self=True, beneficiaries=[], starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    client.force_login(bob)
    page = client.get(reverse("portal:consents")).content.decode()
    assert "Social Point Tradate Centro" in page
    assert "Alice Rossi" in page
    assert reverse("assistance:my_consent_withdraw", args=[interview.pk]) in page
    assert reverse("accounts:delegation_revoke", args=[delegation.pk]) in page
    assert authority_over(olga, bob) is not None

    response = client.post(reverse("assistance:my_consent_withdraw", args=[interview.pk]))
    assert response["Location"] == reverse("portal:consents")
    assert authority_over(olga, bob) is None
    interview.refresh_from_db()
    assert interview.consent_until < timezone.localdate()
    assert AuditEntry.objects.filter(verb="interview.consent_withdrawn", actor=bob).exists()

    response = client.post(reverse("accounts:delegation_revoke", args=[delegation.pk]), {"next": "consents"})
    assert response["Location"] == reverse("portal:consents")
    assert authority_over(alice, bob) is None
    page = client.get(reverse("portal:consents")).content.decode()
    assert reverse("assistance:my_consent_withdraw", args=[interview.pk]) not in page
    assert reverse("accounts:delegation_revoke", args=[delegation.pk]) not in page


def test_nobody_else_withdraws_a_residents_consent(client, olga, bob, alice):
    interview = record_interview(olga, bob)
    before = AuditEntry.objects.count()
    for other in (alice, olga):
        client.force_login(other)
        assert client.post(reverse("assistance:my_consent_withdraw", args=[interview.pk])).status_code == 404
    assert AuditEntry.objects.count() == before
    assert authority_over(olga, bob) is not None
    assert SocialPoint.objects.get(slug="tradate-centro").delegations.filter(revoked_at__isnull=True).exists()
