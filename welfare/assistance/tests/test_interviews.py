"""Orientation interviews: encrypted notes, readers limited to the Social Point and the resident, every read audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from welfare.accounts.access import authority_over
from welfare.assistance.actions import do_record_interview, do_withdraw_interview_consent
from welfare.assistance.models import Interview
from welfare.audit.models import AuditEntry
from welfare.care.models import ServiceRequest
from welfare.territory.models import SocialPoint

NOTES = "Vive sola, fatica con le scale; la figlia abita lontano."


def record_interview(olga, resident, catalogue=None, **changes):
    fields = {
        "actor": olga, "social_point": SocialPoint.objects.get(slug="tradate-centro"),
        "resident": resident.citizen_profile, "held_on": timezone.localdate(),
        "need_areas": ["elderly", "isolation"], "notes": NOTES, "services": [catalogue.anziani] if catalogue else [],
        "follow_up_on": timezone.localdate() + dt.timedelta(days=3), "outcome": "open", "consent_given": True,
    }  # fmt: skip
    return do_record_interview(**(fields | changes))


def test_notes_are_encrypted_at_rest(olga, bob):
    interview = record_interview(olga, bob)
    stored = Interview.objects.values_list("notes_encrypted", flat=True).get(pk=interview.pk)
    assert stored
    assert "scale" not in stored
    assert "figlia" not in stored


def test_the_operator_reads_the_notes_and_the_read_is_recorded(client, olga, bob):
    interview = record_interview(olga, bob)
    client.force_login(olga)
    response = client.get(reverse("assistance:interview", args=[interview.pk]))
    assert NOTES in response.text
    assert AuditEntry.objects.filter(verb="interview.notes_read", actor=olga, target_id=str(interview.pk)).count() == 1


def test_the_other_social_point_and_other_staff_cannot_read(client, olga, olindo, pietro, sofia, bob):
    interview = record_interview(olga, bob)
    client.force_login(olindo)
    assert client.get(reverse("assistance:interview", args=[interview.pk])).status_code == 404
    for staff in (pietro, sofia):
        client.force_login(staff)
        assert client.get(reverse("assistance:interview", args=[interview.pk])).status_code == 403
    assert not AuditEntry.objects.filter(verb="interview.notes_read").exists()


def test_the_resident_reads_their_own_and_the_neighbour_cannot(client, olga, alice, bob):
    interview = record_interview(olga, bob)
    client.force_login(bob)
    response = client.get(reverse("assistance:my_interview", args=[interview.pk]))
    assert NOTES in response.text
    assert AuditEntry.objects.filter(verb="interview.notes_read", actor=bob).exists()
    client.force_login(alice)
    assert client.get(reverse("assistance:my_interview", args=[interview.pk])).status_code == 404


def test_no_interview_without_consent(olga, bob):
    with pytest.raises(ValidationError):
        record_interview(olga, bob, consent_given=False)
    assert not Interview.objects.exists()


def test_consent_lets_the_social_point_request_on_the_residents_behalf_until_withdrawn(client, olga, bob, catalogue):
    assert authority_over(olga, bob) is None
    interview = record_interview(olga, bob, catalogue)
    assert authority_over(olga, bob) is not None
    client.force_login(olga)
    client.post(reverse("accounts:act_for"), {"citizen": bob.pk})
    response = client.post(
        reverse("care:request_new", args=[catalogue.anziani.pk]), {"beneficiary": "self", "needs": "Aiuto con la spesa"}
    )
    assert response.status_code == 302
    created = ServiceRequest.objects.get(requester=bob)
    event = created.events.get()
    assert (event.actor, event.on_behalf_of) == (olga, bob)
    console = client.get(reverse("assistance:console"))
    assert "Aiuto a casa Arcobaleno" in console.text  # among the requests started on behalf of residents
    do_withdraw_interview_consent(interview, actor=olga)
    assert authority_over(olga, bob) is None
    assert client.get(reverse("portal:timeline")).status_code == 200
    assert "Stai agendo" not in client.get(reverse("portal:timeline")).text


def test_search_by_exact_codice_fiscale_shows_only_name_and_municipality(client, olga, bob):
    client.force_login(olga)
    response = client.post(reverse("assistance:residents"), {"codice_fiscale": bob.citizen_profile.codice_fiscale})
    assert "Roberto Colombo" in response.text
    assert "Vedano Olona" in response.text
    assert reverse("assistance:resident", args=[bob.citizen_profile.pk]) not in response.text
    partial = client.post(reverse("assistance:residents"), {"codice_fiscale": bob.citizen_profile.codice_fiscale[:10]})
    assert "Roberto Colombo" not in partial.text


def test_recording_through_the_pages(client, olga, bob, catalogue):
    client.force_login(olga)
    code = bob.citizen_profile.codice_fiscale
    start = client.post(reverse("assistance:interview_new"), {"codice_fiscale": code, "start": "1"})
    assert start.status_code == 200
    assert "Roberto Colombo" in start.text
    data = {"codice_fiscale": code, "held_on": timezone.localdate().isoformat(), "need_areas": ["elderly"],
            "notes": NOTES, "services": [str(catalogue.anziani.pk)], "outcome": "open"}  # fmt: skip
    refused = client.post(reverse("assistance:interview_new"), data)
    assert refused.status_code == 400
    assert not Interview.objects.exists()
    response = client.post(reverse("assistance:interview_new"), data | {"consent_given": "on"})
    interview = Interview.objects.get()
    assert response["Location"] == reverse("assistance:interview", args=[interview.pk])
    assert list(interview.services_proposed.all()) == [catalogue.anziani]
