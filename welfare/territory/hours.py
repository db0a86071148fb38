"""When a Social Point is open: its weekly hours, unless an exception says otherwise on a day.

One rule, used by the booking slots (assistance.slots), the public pages and the management pages:
on a day covered by a closure the point is closed; on a day covered by exceptions with hours, those
hours replace the weekly ones; on any other day the weekly hours of that weekday apply.
"""

import datetime as dt
import itertools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.territory.models import OpeningException, OpeningHours, SocialPoint

Interval = tuple[dt.time, dt.time]
# An exception covers at most this many days: a longer closure is closing the Social Point.
LONGEST_EXCEPTION_DAYS = 366


def exceptions_between(point: SocialPoint, first: dt.date, last: dt.date) -> QuerySet[OpeningException]:
    return OpeningException.objects.filter(social_point=point, first_day__lte=last, last_day__gte=first)


def upcoming_exceptions(point: SocialPoint, today: dt.date | None = None) -> QuerySet[OpeningException]:
    """Exceptions not yet over, soonest first: what visitors and the desk need to know."""
    return OpeningException.objects.filter(social_point=point, last_day__gte=today or timezone.localdate())


def intervals_between(point: SocialPoint, first: dt.date, last: dt.date) -> dict[dt.date, list[Interval]]:
    """Every day from `first` to `last` (inclusive) with the intervals the point is open, in order (two queries:
    the weekly hours, prefetched or not, and the exceptions)."""
    weekly: dict[int, list[Interval]] = {}
    for hours in point.opening_hours.all():
        weekly.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
    exceptions = list(exceptions_between(point, first, last))
    days: dict[dt.date, list[Interval]] = {}
    day = first
    while day <= last:
        covering = [e for e in exceptions if e.first_day <= day <= e.last_day]
        if any(e.is_closure for e in covering):
            days[day] = []
        elif covering:
            days[day] = sorted((e.opens, e.closes) for e in covering if e.opens and e.closes)
        else:
            days[day] = sorted(weekly.get(day.weekday(), []))
        day += dt.timedelta(days=1)
    return days


def overlapping(intervals: Iterable[Interval]) -> bool:
    ordered = sorted(intervals)
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(ordered))


def check_weekly_hours(hours: Iterable[tuple[int, dt.time, dt.time]]) -> None:
    """Raise a ValidationError naming each weekday whose intervals end before they start or overlap."""
    by_day: dict[int, list[Interval]] = {}
    problems = []
    for weekday, opens, closes in hours:
        if closes <= opens:
            problems.append(_("%(day)s: the hours end before they start (%(opens)s–%(closes)s).") % {
                "day": _weekday_name(weekday), "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"})  # fmt: skip
        by_day.setdefault(weekday, []).append((opens, closes))
    for weekday, intervals in sorted(by_day.items()):
        if overlapping(intervals):
            problems.append(_("%(day)s: two intervals overlap.") % {"day": _weekday_name(weekday)})
    if problems:
        raise ValidationError(problems, code="hours")


def check_exception(
    point: SocialPoint, *, first_day: dt.date, last_day: dt.date, opens: dt.time | None, closes: dt.time | None,
    today: dt.date | None = None,
) -> None:  # fmt: skip
    """Raise a ValidationError, keyed by field, when an exception cannot be saved as given."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if last_day < first_day:
        errors.setdefault("last_day", []).append(_("The last day comes before the first."))
    elif (last_day - first_day).days >= LONGEST_EXCEPTION_DAYS:
        errors.setdefault("last_day", []).append(
            _("An exception lasts at most a year; to stop the Social Point for longer, close it."))  # fmt: skip
    if last_day < today:
        errors.setdefault("last_day", []).append(_("These days are already past."))
    if (opens is None) != (closes is None):
        errors.setdefault("closes" if closes is None else "opens", []).append(
            _("Give both the opening and the closing time, or neither for a closure."))  # fmt: skip
    elif opens is not None and closes is not None:
        if closes <= opens:
            errors.setdefault("closes", []).append(_("The closing time comes before the opening time."))
        elif not errors:
            others = [
                (e.opens, e.closes) for e in exceptions_between(point, first_day, last_day) if e.opens and e.closes
            ]
            if overlapping([*others, (opens, closes)]):
                errors.setdefault("opens", []).append(
                    _("On some of these days the Social Point already has other hours that overlap these.")
                )
    if errors:
        raise ValidationError(errors)


def _weekday_name(weekday: int) -> str:
    return str(OpeningHours.Weekday(weekday).label)
