"""Appointment slots: a Social Point's opening hours cut into slots of its slot length.

Slots are computed, never stored; a booking is an Appointment row, and the database refuses a
second booking of the same slot (see the model's partial unique index).
"""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.utils import timezone

from welfare.assistance.models import Appointment
from welfare.territory.hours import intervals_between
from welfare.territory.models import SocialPoint

BOOKING_DAYS = 21  # how far ahead residents may book
MIN_NOTICE = dt.timedelta(hours=1)  # the desk needs a little notice


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def key(self) -> str:
        return self.starts_at.isoformat()


def slots_between(point: SocialPoint, first: dt.date, last: dt.date) -> list[Slot]:
    """Every slot of the opening hours from `first` to `last` (inclusive), booked or not; exceptions (closures,
    other hours) included (territory.hours)."""
    tz = timezone.get_current_timezone()
    length = dt.timedelta(minutes=point.slot_minutes)
    slots: list[Slot] = []
    if not point.is_active:
        return slots
    for day, intervals in intervals_between(point, first, last).items():
        for opens, closes in intervals:
            start = dt.datetime.combine(day, opens, tzinfo=tz)
            end = dt.datetime.combine(day, closes, tzinfo=tz)
            while start + length <= end:
                slots.append(Slot(start, start + length))
                start += length
    return sorted(slots, key=lambda slot: slot.starts_at)


def free_slots(point: SocialPoint, *, days: int = BOOKING_DAYS, now: dt.datetime | None = None) -> list[Slot]:
    """Slots from an hour from now up to `days` ahead that nobody has booked."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = [
        s for s in slots_between(point, today, today + dt.timedelta(days=days)) if s.starts_at >= now + MIN_NOTICE
    ]
    if not candidates:
        return []
    taken = set(
        Appointment.objects.filter(
            social_point=point,
            walk_in=False,
            starts_at__gte=candidates[0].starts_at,
            starts_at__lte=candidates[-1].starts_at,
        )
        .exclude(state__in=Appointment.FREEING_STATES)
        .exclude(state=Appointment.State.PENDING, hold_until__lt=now)  # not confirmed in time: free again
        .values_list("starts_at", flat=True)
    )
    return [slot for slot in candidates if slot.starts_at not in taken]


def upcoming_bookings(point: SocialPoint, now: dt.datetime | None = None) -> QuerySet[Appointment]:
    """Bookings of `point` still to come and still holding their slot (booked, or waiting for confirmation)."""
    return Appointment.objects.filter(social_point=point, walk_in=False, starts_at__gte=now or timezone.now(),
                                      state__in=[Appointment.State.PENDING, Appointment.State.BOOKED])  # fmt: skip


def slots_by_day(slots: list[Slot]) -> list[tuple[dt.date, list[Slot]]]:
    """Slots grouped by local day, for the booking pages' pickers."""
    return [(day, list(items)) for day, items in groupby(slots, key=lambda slot: timezone.localdate(slot.starts_at))]


def next_free_slot(point: SocialPoint, *, now: dt.datetime | None = None) -> Slot | None:
    slots = free_slots(point, now=now)
    return slots[0] if slots else None


def slot_at(point: SocialPoint, starts_at: dt.datetime, *, now: dt.datetime | None = None) -> Slot | None:
    """The bookable slot starting at `starts_at`, if it is one of the Social Point's future slots."""
    now = now or timezone.now()
    day = timezone.localdate(starts_at)
    for slot in slots_between(point, day, day):
        in_window = day <= timezone.localdate(now) + dt.timedelta(days=BOOKING_DAYS)
        if slot.starts_at == starts_at and slot.starts_at >= now + MIN_NOTICE and in_window:
            return slot
    return None
