"""The planning office runs its Social Points: create, edit, close; closures and other hours that the booking
slots follow at once, and people booked in the hours taken away are told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_staff
from welfare.accounts.models import Role
from welfare.assistance.actions import cancel_bookings_out_of_hours, do_add_exception_and_bookings, do_book_appointment
from welfare.assistance.models import Appointment
from welfare.assistance.slots import free_slots, slots_between
from welfare.audit.models import AuditEntry
from welfare.territory.actions import do_add_opening_exception, do_save_social_point
from welfare.territory.hours import intervals_between
from welfare.territory.models import District, Municipality, OpeningException, SocialPoint
from welfare.territory.queries import territory_version


@pytest.fixture
def point(district):
    """Tradate Centro: open on Mondays 9:00–12:30, 30-minute slots."""
    return SocialPoint.objects.get(slug="tradate-centro")


def monday_in(weeks: int) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) or 7) + dt.timedelta(weeks=weeks)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def times(slots) -> list[str]:
    return [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots]


@pytest.fixture
def neighbour_district(db):
    """Another district, with its own municipality and Social Point: never the planning office's to touch."""
    other = District.objects.create(slug="saronno", name="Ambito di Saronno", province="VA", region="Lombardia")
    town = Municipality.objects.create(district=other, name="Saronno", istat_code="012119", cadastral_code="I441",
                                       postal_codes=["21047"])  # fmt: skip
    do_save_social_point(actor=None, slug="saronno-centro", municipality=town, name="Social Point Saronno",
                         address="Piazza Libertà 1", postal_code="21047",
                         hours=[(0, dt.time(9), dt.time(12))])  # fmt: skip
    return other


def test_a_closure_removes_that_days_slots_and_other_hours_replace_the_weekly_ones(point):
    closed, shorter, normal = monday_in(1), monday_in(2), monday_in(0)
    do_add_opening_exception(point, actor=None, first_day=closed, last_day=closed, reason="Sciopero")
    do_add_opening_exception(point, actor=None, first_day=shorter, last_day=shorter, opens=dt.time(10),
                             closes=dt.time(11))  # fmt: skip
    saturday = closed + dt.timedelta(days=5)  # an extra day, not in the weekly hours
    do_add_opening_exception(point, actor=None, first_day=saturday, last_day=saturday, opens=dt.time(9),
                             closes=dt.time(10))  # fmt: skip
    assert slots_between(point, closed, closed) == []
    assert times(slots_between(point, shorter, shorter)) == ["10:00", "10:30"]
    assert times(slots_between(point, saturday, saturday)) == ["09:00", "09:30"]
    assert len(slots_between(point, normal, normal)) == 7
    free_days = {timezone.localdate(slot.starts_at) for slot in free_slots(point)}
    assert closed not in free_days
    assert saturday in free_days
    assert normal in free_days


def test_a_closure_over_a_range_wins_over_other_hours(point):
    first, last = monday_in(1), monday_in(2)
    do_add_opening_exception(point, actor=None, first_day=first, last_day=first, opens=dt.time(14),
                             closes=dt.time(16))  # fmt: skip
    do_add_opening_exception(point, actor=None, first_day=first, last_day=last, reason="Vacanze")
    days = intervals_between(point, first, last)
    assert all(intervals == [] for intervals in days.values())


def test_a_closure_cancels_the_bookings_of_that_day_and_warns_their_people(
    point, olga, mailoutbox, django_capture_on_commit_callbacks
):
    day, other_day = monday_in(1), monday_in(2)
    emailed = do_book_appointment(social_point=point, starts_at=at(day, 9), name="Anna", email="anna@example.org",
                                  confirmed=True)  # fmt: skip
    by_phone = do_book_appointment(social_point=point, starts_at=at(day, 10), name="Bruno", phone="0331 555 123",
                                   confirmed=True, booked_by=olga)  # fmt: skip
    untouched = do_book_appointment(social_point=point, starts_at=at(other_day, 9), name="Carla",
                                    email="carla@example.org", confirmed=True)  # fmt: skip
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _exception, cancelled = do_add_exception_and_bookings(point, actor=olga, first_day=day, last_day=day,
                                                              reason="Sciopero")  # fmt: skip
    assert {a.pk for a in cancelled} == {emailed.pk, by_phone.pk}
    for appointment in (emailed, by_phone):
        appointment.refresh_from_db()
        assert appointment.state == Appointment.State.CANCELLED
        assert appointment.cancelled_for_hours
        assert not appointment.holds_contact  # they may book another time at once
    untouched.refresh_from_db()
    assert untouched.state == Appointment.State.BOOKED
    assert [message.to for message in mailoutbox] == [["anna@example.org"]]
    assert "Sciopero" in mailoutbox[0].body
    assert reverse("assistance:book", args=[point.slug]) in mailoutbox[0].body
    assert AuditEntry.objects.filter(verb="appointment.cancelled", actor=olga).count() == 2
    assert AuditEntry.objects.filter(verb="social_point.exception_added", actor=olga).count() == 1
    # The slots of that day are gone; Anna can book another day.
    assert all(timezone.localdate(slot.starts_at) != day for slot in free_slots(point))
    do_book_appointment(social_point=point, starts_at=at(monday_in(0), 9), name="Anna", email="anna@example.org",
                        confirmed=True)  # fmt: skip


def test_shorter_hours_cancel_only_the_bookings_outside_them(point):
    day = monday_in(1)
    early = do_book_appointment(social_point=point, starts_at=at(day, 9), name="Anna", email="a@example.org",
                                confirmed=True)  # fmt: skip
    kept = do_book_appointment(social_point=point, starts_at=at(day, 10, 30), name="Bea", email="b@example.org",
                               confirmed=True)  # fmt: skip
    _exception, cancelled = do_add_exception_and_bookings(point, actor=None, first_day=day, last_day=day,
                                                          opens=dt.time(10), closes=dt.time(12, 30))  # fmt: skip
    assert [a.pk for a in cancelled] == [early.pk]
    kept.refresh_from_db()
    assert kept.state == Appointment.State.BOOKED


def test_new_weekly_hours_and_closing_the_point_cancel_what_no_longer_fits(point):
    day = monday_in(1)
    booked = do_book_appointment(social_point=point, starts_at=at(day, 11), name="Anna", email="a@example.org",
                                 confirmed=True)  # fmt: skip
    do_save_social_point(actor=None, slug=point.slug, municipality=point.municipality, name=point.name,
                         address=point.address, postal_code=point.postal_code,
                         hours=[(0, dt.time(9), dt.time(10)), (2, dt.time(9), dt.time(12))])  # fmt: skip
    assert [a.pk for a in cancel_bookings_out_of_hours(point, actor=None)] == [booked.pk]
    wednesday = do_book_appointment(social_point=point, starts_at=at(day + dt.timedelta(days=2), 9), name="Bea",
                                    email="b@example.org", confirmed=True)  # fmt: skip
    point.is_active = False
    point.save()
    assert [a.pk for a in cancel_bookings_out_of_hours(point, actor=None)] == [wednesday.pk]
    assert free_slots(point) == []


@pytest.mark.parametrize(
    ("first", "last", "opens", "closes", "field"),
    [
        (9, 8, None, None, "last_day"),  # ends before it starts
        (7, 7, dt.time(12), dt.time(9), "closes"),  # closes before it opens
        (7, 7, dt.time(9), None, "closes"),  # one time only
        (-3, -2, None, None, "last_day"),  # already past
        (7, 400, None, None, "last_day"),  # longer than a year: close the point instead
        (7, 7, dt.time(11), dt.time(13), "opens"),  # overlaps the other hours already set that day
    ],
)
def test_bad_exceptions_are_refused_and_nothing_is_saved(point, first, last, opens, closes, field):
    """Days counted from the coming Monday's week before (day 7 is the coming Monday)."""
    start = monday_in(0) - dt.timedelta(days=7)
    do_add_opening_exception(point, actor=None, first_day=monday_in(0), last_day=monday_in(0), opens=dt.time(10),
                             closes=dt.time(12))  # fmt: skip
    before = OpeningException.objects.count()
    with pytest.raises(ValidationError) as refused:
        do_add_opening_exception(point, actor=None, first_day=start + dt.timedelta(days=first),
                                 last_day=start + dt.timedelta(days=last), opens=opens, closes=closes)  # fmt: skip
    assert field in refused.value.message_dict
    assert OpeningException.objects.count() == before


def test_overlapping_weekly_hours_are_refused(point):
    with pytest.raises(ValidationError):
        do_save_social_point(actor=None, slug=point.slug, municipality=point.municipality, name=point.name,
                             address=point.address, postal_code=point.postal_code,
                             hours=[(0, dt.time(9), dt.time(12)), (0, dt.time(11), dt.time(13))])  # fmt: skip
    assert list(point.opening_hours.values_list("opens", "closes")) == [(dt.time(9), dt.time(12, 30))]


def test_the_public_pages_show_the_notice_and_upcoming_closures_and_follow_a_change(client, point):
    version = territory_version()
    day = monday_in(1)
    do_add_opening_exception(point, actor=None, first_day=day, last_day=day, reason="Sciopero generale")
    point.notes = "Portate l'ISEE aggiornato."
    point.save()
    assert territory_version() != version
    page = client.get(reverse("portal:social_points")).content.decode()
    assert "Sciopero generale" in page
    assert "Portate l&#x27;ISEE aggiornato." in page


# The pages.


def _hours_form(days: dict[int, list[tuple[str, str]]]) -> dict[str, str]:
    data = {}
    for weekday, intervals in days.items():
        for number, (opens, closes) in enumerate(intervals, start=1):
            data[f"h{weekday}_{number}_opens"], data[f"h{weekday}_{number}_closes"] = opens, closes
    return data


def test_the_planning_office_creates_a_social_point_that_takes_bookings_at_once(client, diana, district):
    client.force_login(diana)
    saronno_like = Municipality.objects.get(name="Venegono Superiore")
    response = client.post(reverse("assistance:point_new"), {
        "municipality": saronno_like.pk, "name": "Social Point Venegono", "address": "Via Roma 1",
        "postal_code": "21040", "phone": "0331 000000", "email": "", "directions": "", "slot_minutes": "45",
        **_hours_form({1: [("09:00", "12:00"), ("14:00", "17:00")]}),
    })  # fmt: skip
    point = SocialPoint.objects.get(name="Social Point Venegono")
    assert response.status_code == 302
    assert response["Location"] == reverse("assistance:point_edit", args=[point.slug])
    assert point.slot_minutes == 45
    assert point.is_active
    assert sorted(point.opening_hours.values_list("weekday", "opens", "closes")) == [
        (1, dt.time(9), dt.time(12)), (1, dt.time(14), dt.time(17))]  # fmt: skip
    assert free_slots(point)
    assert AuditEntry.objects.filter(verb="social_point.saved", actor=diana).exists()
    assert "Social Point Venegono" in client.get(reverse("portal:social_points")).content.decode()


def test_hours_that_end_before_they_start_or_overlap_get_a_message_and_nothing_is_saved(client, diana, point):
    client.force_login(diana)
    url = reverse("assistance:point_edit", args=[point.slug])
    base = {"municipality": point.municipality_id, "name": point.name, "address": point.address,
            "postal_code": point.postal_code, "slot_minutes": "30"}  # fmt: skip
    backwards = client.post(url, base | _hours_form({0: [("12:00", "09:00")]}))
    assert backwards.status_code == 400
    assert "finisce prima di iniziare" in backwards.content.decode()
    overlapping = client.post(url, base | _hours_form({0: [("09:00", "12:00"), ("11:00", "13:00")]}))
    assert overlapping.status_code == 400
    assert "due fasce si sovrappongono" in overlapping.content.decode()
    assert list(point.opening_hours.values_list("opens", "closes")) == [(dt.time(9), dt.time(12, 30))]
    assert not AuditEntry.objects.filter(verb="social_point.saved", actor=diana).exists()


def test_a_municipality_of_another_district_is_refused(client, diana, point, neighbour_district):
    client.force_login(diana)
    response = client.post(reverse("assistance:point_new"), {
        "municipality": Municipality.objects.get(name="Saronno").pk, "name": "Intruso", "address": "Via X 1",
        "postal_code": "21047", "slot_minutes": "30"})  # fmt: skip
    assert response.status_code == 400
    assert not SocialPoint.objects.filter(name="Intruso").exists()


def test_closing_and_reopening_a_point_from_its_page(client, diana, point, mailoutbox,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    booked = do_book_appointment(social_point=point, starts_at=at(monday_in(1), 9), name="Anna",
                                 email="anna@example.org", confirmed=True)  # fmt: skip
    client.force_login(diana)
    url = reverse("assistance:point_open", args=[point.slug])
    assert client.post(url).status_code == 302  # without the tick: nothing happens
    point.refresh_from_db()
    assert point.is_active
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"understood": "on"})
    point.refresh_from_db()
    booked.refresh_from_db()
    assert not point.is_active
    assert booked.state == Appointment.State.CANCELLED
    assert [m.to for m in mailoutbox] == [["anna@example.org"]]
    assert point.name not in client.get(reverse("portal:social_points")).content.decode()
    client.post(url)
    point.refresh_from_db()
    assert point.is_active
    assert free_slots(point)


def test_the_operator_closes_a_day_and_sees_whom_to_call_the_planning_office_only_how_many(client, olga, diana, point):
    day = monday_in(1)
    do_book_appointment(social_point=point, starts_at=at(day, 10), name="Bruno Neri", phone="0331 555 123",
                        confirmed=True, booked_by=olga)  # fmt: skip
    client.force_login(olga)
    url = reverse("assistance:point_hours", args=[point.slug])
    response = client.post(url, {"first_day": day.isoformat(), "reason": "Assemblea"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Bruno Neri" in page
    assert "0331 555 123" in page
    client.force_login(diana)
    page = client.get(url).content.decode()
    assert "1 persona da chiamare" in page
    assert "Bruno Neri" not in page


def test_the_operator_writes_the_notice_and_a_too_long_one_is_refused(client, olga, point):
    client.force_login(olga)
    url = reverse("assistance:point_notes", args=[point.slug])
    assert client.post(url, {"notes": "Ingresso dal cortile."}).status_code == 302
    point.refresh_from_db()
    assert point.notes == "Ingresso dal cortile."
    assert client.post(url, {"notes": "x" * 601}).status_code == 400
    point.refresh_from_db()
    assert point.notes == "Ingresso dal cortile."
    assert AuditEntry.objects.filter(verb="social_point.notes_updated", actor=olga).count() == 1


def test_neighbours_are_refused(client, olga, diana, point, neighbour_district):
    """An operator of one point cannot touch another; a planning office cannot touch another district's."""
    vedano = SocialPoint.objects.get(slug="vedano-olona")
    client.force_login(olga)
    assert client.post(reverse("assistance:point_hours", args=[vedano.slug]),
                       {"first_day": monday_in(1).isoformat()}).status_code == 404  # fmt: skip
    assert client.get(reverse("assistance:point_edit", args=[point.slug])).status_code == 403
    client.force_login(diana)
    for name in ("point_edit", "point_hours", "point_notes", "point_open"):
        assert client.post(reverse(f"assistance:{name}", args=["saronno-centro"]), {}).status_code == 404
    other = SocialPoint.objects.get(slug="saronno-centro")
    exception = do_add_opening_exception(other, actor=None, first_day=monday_in(1), last_day=monday_in(1))
    assert client.post(reverse("assistance:point_exception_remove",
                               args=[point.slug, exception.pk])).status_code == 404  # fmt: skip
    assert OpeningException.objects.filter(pk=exception.pk).exists()
    assert not AuditEntry.objects.filter(actor__in=[olga, diana]).exists()


def test_a_second_planning_office_role_elsewhere_gives_nothing_here(client, point, neighbour_district):
    stranger = make_staff("saronno@example.org", "Sara", "Bianchi", Role.DISTRICT_ADMIN, neighbour_district)
    client.force_login(stranger)
    page = client.get(reverse("assistance:points")).content.decode()
    assert "Social Point Saronno" in page
    assert point.name not in page
