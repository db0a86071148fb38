"""Every channel the resident chose: a resident who prefers letters gets, in the next batch, a letter for every
event that emails another resident; phone becomes a call for the Social Point; SMS a short text without health."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, make_citizen
from welfare.accounts.models import Notice
from welfare.care.actions import do_cancel, do_confirm, do_propose, do_start, do_submit_request
from welfare.lib.sms import FakeSms, sms_text
from welfare.outreach.actions import do_dispatch_notices, letters_for
from welfare.outreach.models import Task
from welfare.territory.models import SocialPoint

pytestmark = pytest.mark.django_db


def live_a_request(citizen, service, staff):
    """Every step of a request that tells the resident something."""
    request = do_submit_request(actor=citizen, service=service, beneficiary=None, needs="Aiuto")
    do_propose(request, actor=staff, start=timezone.localdate(), schedule="Lun", operator="Marta", price_cents=2200,
               funding="family")  # fmt: skip
    do_confirm(request, actor=citizen)
    do_start(request, actor=staff)
    do_cancel(request, actor=staff, reason="Operatore malato")


def test_a_letter_resident_gets_a_letter_for_every_event_that_emails_others(
    catalogue, alice, pietro, mailoutbox, django_capture_on_commit_callbacks
):
    carla = make_citizen("carla@example.org", "Carla", "Bossi", dt.date(1950, 5, 5), TRADATE)
    profile = carla.citizen_profile
    profile.contact_channel, profile.postal_address = "letter", "Via Roma 3, 21049 Tradate"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        live_a_request(alice, catalogue.educativa, pietro)
        live_a_request(carla, catalogue.educativa, pietro)
    emailed = [m.subject for m in mailoutbox if m.to == ["alice@example.org"]]
    assert not [m for m in mailoutbox if m.to == ["carla@example.org"]]
    letters = letters_for(SocialPoint.objects.get(slug="tradate-centro"))
    assert [letter.subject for letter in letters] == [subject.removeprefix("[Welfare Integrato] ")
                                                      for subject in emailed]  # fmt: skip
    assert len(letters) == 3  # proposed, started, cancelled


def test_the_operator_downloads_the_batch_and_marks_it_posted(client, catalogue, pietro, olga):
    carla = make_citizen("carla@example.org", "Carla", "Bossi", dt.date(1950, 5, 5), TRADATE)
    carla.citizen_profile.contact_channel, carla.citizen_profile.postal_address = "letter", "Via Roma 3"
    carla.citizen_profile.save()
    live_a_request(carla, catalogue.educativa, pietro)
    client.force_login(olga)
    pdf = client.get(reverse("outreach:letters_pdf"))
    assert pdf.content.startswith(b"%PDF")
    ids = list(Notice.objects.values_list("pk", flat=True))
    client.post(reverse("outreach:letters"), {"lettera": ids})
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert client.get(reverse("outreach:letters_pdf")).status_code == 404  # nothing left to print


def test_phone_becomes_a_call_for_the_social_point_and_sms_a_short_text(catalogue, alice, bob, pietro):
    alice.citizen_profile.contact_channel = "phone"
    alice.citizen_profile.save()
    bob.citizen_profile.contact_channel, bob.citizen_profile.phone = "sms", "333 1234567"
    bob.citizen_profile.save()
    FakeSms.outbox.clear()
    live_a_request(alice, catalogue.educativa, pietro)
    live_a_request(bob, catalogue.educativa, pietro)
    assert do_dispatch_notices() == 6
    calls = Task.objects.filter(source="notice", resident=alice.citizen_profile)
    assert calls.count() == 3
    assert {task.social_point.slug for task in calls} == {"tradate-centro"}
    assert [phone for phone, _text in FakeSms.outbox] == ["333 1234567"] * 3
    assert all(len(text) <= 160 for _phone, text in FakeSms.outbox)
    assert do_dispatch_notices() == 0


def test_a_text_never_names_health_and_fits_160_characters():
    assert "malat" not in sms_text("Visita per la malattia di tua madre", "https://w.example.org/x")
    long = sms_text("x" * 300, "https://welfare.example.org/area-riservata/richieste/1234")
    assert len(long) <= 160
    assert long.endswith("https://welfare.example.org/area-riservata/richieste/1234")


def test_a_resident_without_email_is_never_left_out(catalogue, olga, pietro, district):
    from conftest import make_codice_fiscale
    from welfare.accounts.actions import do_register_assisted_citizen

    point = SocialPoint.objects.get(slug="tradate-centro")
    registration = do_register_assisted_citizen(
        actor=olga, social_point=point, first_name="Gino", last_name="Sala",
        codice_fiscale=make_codice_fiscale("Gino", "Sala", dt.date(1940, 3, 3), "Tradate", "M"),
        birth_date=dt.date(1940, 3, 3), municipality=point.municipality, email="", phone="0331 555",
        contact_channel="phone", document_type="identity_card", document_number="CA123", consent_given=True,
    )  # fmt: skip
    live_a_request(registration.profile.user, catalogue.educativa, pietro)
    assert Notice.objects.filter(user=registration.profile.user, channel="phone").count() == 3
