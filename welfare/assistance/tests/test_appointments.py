"""Appointments: slots from opening hours, no double booking (also under real concurrency), reminders, the agenda."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from welfare.assistance.actions import (
    do_add_walk_in,
    do_book_appointment,
    do_send_appointment_reminders,
    do_set_appointment_state,
)
from welfare.assistance.models import Appointment
from welfare.assistance.slots import free_slots, slots_between
from welfare.territory.models import SocialPoint


@pytest.fixture
def point(district):
    """Tradate Centro: open on Mondays 9:00–12:30, 30-minute slots."""
    return SocialPoint.objects.get(slug="tradate-centro")


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) or 7)


def test_opening_hours_become_slots(point):
    slots = slots_between(point, next_monday(), next_monday())
    assert [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00",
    ]  # fmt: skip


def test_a_booked_slot_is_no_longer_free_and_cannot_be_booked_twice(point):
    slot = free_slots(point)[0]
    do_book_appointment(social_point=point, starts_at=slot.starts_at, name="Anna", phone="0331 1", confirmed=True)
    assert slot not in free_slots(point)
    with pytest.raises(ValidationError) as refused:
        do_book_appointment(social_point=point, starts_at=slot.starts_at, name="Bruno", email="b@example.org")
    assert refused.value.code == "slot_taken"
    assert Appointment.objects.count() == 1


def test_one_upcoming_booking_per_person_and_social_point(point):
    first, second = free_slots(point)[:2]
    do_book_appointment(social_point=point, starts_at=first.starts_at, name="Anna", email="Anna@example.org")
    with pytest.raises(ValidationError) as refused:
        do_book_appointment(social_point=point, starts_at=second.starts_at, name="Anna", email="anna@example.org")
    assert refused.value.code == "already_booked"
    do_book_appointment(social_point=point, starts_at=second.starts_at, name="Bruno", phone="0331 2", confirmed=True)
    assert Appointment.objects.count() == 2


def test_a_cancelled_booking_frees_its_slot(point, olga):
    slot = free_slots(point)[0]
    first = do_book_appointment(
        social_point=point, starts_at=slot.starts_at, name="Anna", phone="0331 1", confirmed=True
    )
    do_set_appointment_state(first, actor=olga, state=Appointment.State.CANCELLED)
    assert slot in free_slots(point)
    do_book_appointment(social_point=point, starts_at=slot.starts_at, name="Bruno", phone="0331 2", confirmed=True)


def test_a_time_that_is_not_a_slot_is_refused(point):
    monday_evening = dt.datetime.combine(next_monday(), dt.time(18), tzinfo=timezone.get_current_timezone())
    with pytest.raises(ValidationError):
        do_book_appointment(social_point=point, starts_at=monday_evening, name="Anna", phone="0331 1", confirmed=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_let_exactly_one_in(district):
    """Eight people press "book" for the same slot at the same moment, each on their own connection."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    point = SocialPoint.objects.get(slug="tradate-centro")
    slot = free_slots(point)[0]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def book(n: int) -> None:
        try:
            barrier.wait()
            do_book_appointment(
                social_point=point, starts_at=slot.starts_at, name=f"Persona {n}", phone=f"{n}", confirmed=True
            )
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(str(error.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] + ["slot_taken"] * 7
    assert Appointment.objects.filter(starts_at=slot.starts_at).count() == 1


def test_booking_online_anonymously_then_the_reminder_the_day_before(client, point, django_capture_on_commit_callbacks):
    slot = free_slots(point)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assistance:book", args=[point.slug]), {
            "slot": slot.key, "name": "Anna Neri", "email": "anna@example.org", "topic": "Aiuto per mia madre",
        })  # fmt: skip
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("assistance:booking_done", args=[appointment.pk])
    assert "anna" not in response["Location"]
    assert appointment.state == Appointment.State.PENDING  # held until Anna confirms it
    assert "Controlla la tua email" in client.get(response["Location"]).text
    (confirmation,) = mail.outbox
    assert confirmation.to == ["anna@example.org"]
    link = next(line for line in confirmation.body.splitlines() if "/conferma/" in line).strip()
    path = link.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200  # opening the link (or a mail scanner) confirms nothing
    appointment.refresh_from_db()
    assert appointment.state == Appointment.State.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    appointment.refresh_from_db()
    assert appointment.state == Appointment.State.BOOKED
    assert len(mail.outbox) == 2
    the_day_before = slot.starts_at - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_send_appointment_reminders(now=the_day_before) == 1
        assert do_send_appointment_reminders(now=the_day_before) == 0  # once only
    assert len(mail.outbox) == 3
    assert "Promemoria" in mail.outbox[2].subject


def test_the_booking_form_needs_a_way_to_reach_the_person(client, point):
    slot = free_slots(point)[0]
    response = client.post(reverse("assistance:book", args=[point.slug]), {"slot": slot.key, "name": "Anna"})
    assert "Lascia un indirizzo email o un numero di telefono" in response.text
    assert not Appointment.objects.exists()


def test_the_agenda_shows_the_day_and_marks_no_shows(client, point, olga, olindo):
    slot = free_slots(point)[0]
    booked = do_book_appointment(
        social_point=point, starts_at=slot.starts_at, name="Anna Neri", phone="0331 1", confirmed=True
    )
    client.force_login(olga)
    day = timezone.localdate(slot.starts_at).isoformat()
    assert "Anna Neri" in client.get(reverse("assistance:agenda") + f"?giorno={day}").text
    url = reverse("assistance:appointment_action", args=[booked.pk, "assente"])
    client.post(url)
    booked.refresh_from_db()
    assert booked.state == Appointment.State.BOOKED  # not before it starts
    Appointment.objects.filter(pk=booked.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=40),
                                                    ends_at=timezone.now() - dt.timedelta(minutes=10))  # fmt: skip
    client.post(url)
    booked.refresh_from_db()
    assert booked.state == Appointment.State.NO_SHOW
    client.force_login(olindo)
    assert client.post(reverse("assistance:appointment_action", args=[booked.pk, "presente"])).status_code == 404


def test_walk_ins_do_not_take_a_bookable_slot(client, point, olga):
    client.force_login(olga)
    client.post(reverse("assistance:walk_in"), {"name": "Mario Bianchi", "topic": "Bollette"})
    walk_in = Appointment.objects.get()
    assert walk_in.walk_in
    assert walk_in.state == Appointment.State.ATTENDED
    assert walk_in.booked_by == olga
    do_add_walk_in(actor=olga, social_point=point, name="Altra persona")
    assert "Mario Bianchi" in client.get(reverse("assistance:console")).text


def test_the_reminder_command_runs(point, capsys):
    from django.core.management import call_command

    call_command("send_appointment_reminders")
    assert "0 reminders sent, 0 unconfirmed bookings freed." in capsys.readouterr().out


def test_one_contact_is_one_person_however_the_phone_is_written(point):
    first, second = free_slots(point)[:2]
    do_book_appointment(social_point=point, starts_at=first.starts_at, name="Anna", phone="+39 333 123 4567",
                        confirmed=True)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        do_book_appointment(social_point=point, starts_at=second.starts_at, name="Anna", phone="333-1234567",
                            confirmed=True)  # fmt: skip
    assert refused.value.code == "already_booked"


def test_a_booking_that_is_over_no_longer_counts_as_upcoming(point, olga):
    first, second = free_slots(point)[:2]
    past = do_book_appointment(social_point=point, starts_at=first.starts_at, name="Anna", email="anna@example.org",
                               confirmed=True)  # fmt: skip
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    Appointment.objects.filter(pk=past.pk).update(
        starts_at=two_days_ago, ends_at=two_days_ago + dt.timedelta(minutes=30)
    )
    do_book_appointment(social_point=point, starts_at=second.starts_at, name="Anna", email="anna@example.org",
                        confirmed=True)  # fmt: skip
    assert Appointment.objects.filter(state=Appointment.State.BOOKED).count() == 2


def test_an_unconfirmed_booking_lapses_and_frees_its_slot_and_contact(point, client):
    from welfare.assistance.actions import HOLD_FOR, do_confirm_appointment, do_lapse_unconfirmed_bookings

    slot = free_slots(point)[0]
    pending = do_book_appointment(social_point=point, starts_at=slot.starts_at, name="Finto",
                                  email="finto@example.org")  # fmt: skip
    assert slot not in free_slots(point)
    assert pending.hold_until <= timezone.now() + HOLD_FOR
    Appointment.objects.filter(pk=pending.pk).update(hold_until=timezone.now() - dt.timedelta(minutes=1))
    assert slot in free_slots(point)  # free again for everyone else at once
    again = do_book_appointment(social_point=point, starts_at=slot.starts_at, name="Vera", email="finto@example.org")
    pending.refresh_from_db()
    assert (pending.state, pending.holds_contact) == (Appointment.State.LAPSED, False)
    assert again.state == Appointment.State.PENDING
    with pytest.raises(ValidationError) as refused:
        do_confirm_appointment(pending)
    assert refused.value.code == "lapsed"
    assert do_lapse_unconfirmed_bookings() == 0


def test_a_visitor_without_email_is_asked_to_call_and_a_resident_books_at_once(client, point, alice):
    slot = free_slots(point)[0]
    data = {"slot": slot.key, "name": "Anna", "phone": "0331 1"}
    response = client.post(reverse("assistance:book", args=[point.slug]), data, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    assert "chiama il Social Point" in response.text
    assert not Appointment.objects.exists()
    client.force_login(alice)
    client.post(reverse("assistance:book", args=[point.slug]), {"slot": slot.key, "name": "Alice Rossi",
                                                                "email": alice.email})  # fmt: skip
    assert Appointment.objects.get().state == Appointment.State.BOOKED


def test_visitors_bookings_are_limited_per_client_address(client, point):
    slots = free_slots(point)
    answers = [
        client.post(reverse("assistance:book", args=[point.slug]), {
            "slot": slots[n].key, "name": f"Persona {n}", "email": f"p{n}@example.org"}, REMOTE_ADDR="198.51.100.7")
        for n in range(6)
    ]  # fmt: skip
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert Appointment.objects.count() == 5
    other = client.post(reverse("assistance:book", args=[point.slug]), {
        "slot": slots[6].key, "name": "Altra", "email": "altra@example.org"}, REMOTE_ADDR="198.51.100.8")  # fmt: skip
    assert other.status_code == 302


def test_a_forged_confirmation_link_is_refused(client, point):
    slot = free_slots(point)[0]
    pending = do_book_appointment(social_point=point, starts_at=slot.starts_at, name="A", email="a@example.org")
    url = reverse("assistance:booking_confirm", args=[pending.pk, "forged"])
    assert client.post(url).status_code == 404
    pending.refresh_from_db()
    assert pending.state == Appointment.State.PENDING


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_with_one_email_store_one(district):
    """Sixteen bookings with one email on sixteen different slots at the same moment: one is stored."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    point = SocialPoint.objects.get(slug="tradate-centro")
    slots = free_slots(point)[:16]
    barrier = threading.Barrier(len(slots))
    outcomes: list[str] = []

    def book(n: int) -> None:
        try:
            barrier.wait()
            do_book_appointment(social_point=point, starts_at=slots[n].starts_at, name="Flood",
                                email=" Flood@Example.org " if n % 2 else "flood@example.org")  # fmt: skip
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(str(error.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(len(slots))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_booked"] * (len(slots) - 1) + ["booked"]
    assert Appointment.objects.filter(contact_key="email:flood@example.org").count() == 1


def test_an_operator_of_two_social_points_says_which_one_a_visit_is_for(client, olga, district):
    """No write is done for a place picked on the operator's behalf (no bare "first of the list")."""
    from welfare.accounts.access import forget_roles
    from welfare.accounts.actions import do_grant_membership
    from welfare.accounts.models import Role

    vedano = SocialPoint.objects.get(slug="vedano-olona")
    do_grant_membership(olga, Role.OPERATOR, vedano, actor=None)
    forget_roles(olga)
    client.force_login(olga)
    agenda = client.get(reverse("assistance:agenda"), HTTP_ACCEPT_LANGUAGE="it")
    assert 'name="luogo"' in agenda.text and "Social Point Vedano Olona" in agenda.text  # noqa: PT018
    client.post(reverse("assistance:walk_in"), {"name": "Mario Bianchi"})
    assert not Appointment.objects.exists()  # none chosen: nothing recorded
    client.post(reverse("assistance:walk_in"), {"name": "Mario Bianchi", "luogo": str(vedano.pk)})
    assert Appointment.objects.get().social_point == vedano


def _followed_by(point, citizen):
    from welfare.accounts.models import Delegation

    return Delegation.objects.create(
        granter=citizen.citizen_profile, delegate_social_point=point, created_by=citizen,
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=365),
    )  # fmt: skip


def test_an_operator_books_for_residents_with_their_contact_not_the_operators(
    client, point, olga, alice, bob, django_capture_on_commit_callbacks
):
    """Issue 17, defect 2: the operator's own name and email were prefilled, the second resident was refused."""
    _followed_by(point, alice)
    _followed_by(point, bob)
    client.force_login(olga)
    url = reverse("assistance:book_for")
    page = client.get(f"{url}?residente={alice.citizen_profile.pk}")
    assert page.status_code == 200
    assert page.context["form"]["name"].value() == alice.get_full_name()
    assert page.context["form"]["email"].value() == alice.email
    assert olga.email not in page.text
    first, second, third = free_slots(point)[:3]
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(f"{url}?residente={alice.citizen_profile.pk}", {
            "slot": first.key, "name": alice.get_full_name(), "email": alice.email, "phone": "", "topic": "",
        })  # fmt: skip
    assert booked.status_code == 302
    # Bob: booked with no contact at all (he has none to give at the desk).
    response = client.post(f"{url}?residente={bob.citizen_profile.pk}", {
        "slot": second.key, "name": bob.get_full_name(), "email": "", "phone": "", "topic": "",
    })  # fmt: skip
    assert response.status_code == 302
    alice_booking, bob_booking = Appointment.objects.order_by("starts_at")
    assert (alice_booking.resident, alice_booking.email, alice_booking.booked_by) == (alice, alice.email, olga)
    assert alice_booking.state == Appointment.State.BOOKED
    assert (bob_booking.resident, bob_booking.email, bob_booking.phone) == (bob, "", "")
    assert [message.to for message in mail.outbox] == [[alice.email]]  # never to the operator
    # A caller on the phone, not registered: name and phone only.
    response = client.post(url, {"slot": third.key, "name": "Gina Rossi", "email": "", "phone": "0331 555"})
    assert response.status_code == 302
    # Bob booked twice is refused, with his name and the way out.
    fourth = free_slots(point)[0]
    again = client.post(f"{url}?residente={bob.citizen_profile.pk}", {"slot": fourth.key, "name": bob.get_full_name()})
    assert again.status_code == 200
    assert bob.get_full_name() in again.context["form"].non_field_errors()[0]
    assert Appointment.objects.count() == 3
    agenda = client.get(reverse("assistance:agenda"), {"giorno": timezone.localdate(first.starts_at).isoformat()})
    assert reverse("assistance:book_for") in agenda.text


def test_an_operator_cannot_book_for_a_resident_their_social_point_does_not_follow(client, point, olga, bob):
    client.force_login(olga)
    url = f"{reverse('assistance:book_for')}?residente={bob.citizen_profile.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"slot": free_slots(point)[0].key, "name": "Bob"}).status_code == 404
    assert not Appointment.objects.exists()


def test_staff_on_the_public_booking_page_are_not_taken_for_the_person_booking(client, point, olga):
    client.force_login(olga)
    page = client.get(reverse("assistance:book", args=[point.slug]))
    assert page.context["form"]["email"].value() in (None, "")
    assert olga.email not in page.text
