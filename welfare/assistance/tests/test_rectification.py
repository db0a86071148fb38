"""Rectification (GDPR art. 16): what a resident cannot edit themself goes to a request the Social Point handles."""

import pytest
from django.urls import reverse

from welfare.assistance.models import Rectification
from welfare.assistance.tests.test_interviews import record_interview
from welfare.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_resident_asks_and_the_social_point_that_follows_them_answers(
    client, olga, olindo, bob, mailoutbox, django_capture_on_commit_callbacks
):
    record_interview(olga, bob)
    client.force_login(bob)
    response = client.post(reverse("assistance:my_rectifications"),
                           {"about": "identity", "details": "Sono nato il 3 maggio, non il 5 marzo."})  # fmt: skip
    assert response.status_code == 302
    found = Rectification.objects.get()
    assert found.social_point.slug == "tradate-centro"
    assert found.state == Rectification.State.OPEN

    client.force_login(olindo)  # the other Social Point does not see it
    assert client.get(reverse("assistance:rectification", args=[found.pk])).status_code == 404
    assert bob.get_full_name() not in client.get(reverse("assistance:console")).content.decode()

    client.force_login(olga)
    assert bob.get_full_name() in client.get(reverse("assistance:console")).content.decode()
    refused = client.post(reverse("assistance:rectification", args=[found.pk]), {"corrected": "yes", "answer": " "})
    assert refused.status_code == 200
    found.refresh_from_db()
    assert found.state == Rectification.State.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assistance:rectification", args=[found.pk]),
                    {"corrected": "yes", "answer": "Corretta la data di nascita nel profilo."})  # fmt: skip
    found.refresh_from_db()
    assert found.state == Rectification.State.DONE
    assert found.answered_by == olga
    assert [message.to for message in mailoutbox] == [[bob.email]]
    assert AuditEntry.objects.filter(verb="rectification.answered", actor=olga, on_behalf_of=bob).exists()

    again = client.post(reverse("assistance:rectification", args=[found.pk]), {"corrected": "no", "answer": "No"})
    assert again.status_code == 200  # the page again, saying it was already answered
    found.refresh_from_db()
    assert found.state == Rectification.State.DONE  # answered once

    client.force_login(bob)
    page = client.get(reverse("assistance:my_rectifications")).content.decode()
    assert "Corretta la data di nascita nel profilo." in page


def test_a_resident_nobody_follows_asks_their_municipalitys_social_point(client, alice):
    client.force_login(alice)
    client.post(reverse("assistance:my_rectifications"), {"about": "recorded", "details": "Il colloquio dice altro."})
    assert Rectification.objects.get().social_point.municipality_id == alice.citizen_profile.municipality_id


def test_without_details_nothing_is_saved(client, alice):
    client.force_login(alice)
    response = client.post(reverse("assistance:my_rectifications"), {"about": "identity", "details": ""})
    assert response.status_code == 200
    assert not Rectification.objects.exists()
