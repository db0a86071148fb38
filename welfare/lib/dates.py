"""Dates as people read them: ages, and Italian dates written out ("6 gennaio 2027", "venerdì 4 dicembre")."""

import datetime as dt
from collections.abc import Iterable


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has none (31 January + 1 = 28/29 February)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def written_date(day: dt.date, language: str, *, weekday: bool = False) -> str:
    """A date as a person reads it in `language`, for emails rendered away from any page: "6 gennaio 2027",
    "venerdì 4 dicembre 2026" (Italian, config/formats/it), "6 January 2027" in English."""
    from django.utils import formats, translation

    with translation.override(language):
        return str(formats.date_format(day, "l j F Y" if weekday else "j F Y"))


def compact_hours(intervals: Iterable[tuple[int, dt.time, dt.time]]) -> list[str]:
    """Opening hours as people write them: weekdays with the same hours run together, whole hours without
    minutes ("lun–ven 9–12, 14–18", "sab 9–11:30"). `intervals` are (weekday, opens, closes), 0 = Monday;
    the day names come from the active language."""
    from django.utils.dates import WEEKDAYS_ABBR

    by_day: dict[int, list[str]] = {}
    for weekday, opens, closes in sorted(intervals):
        by_day.setdefault(weekday, []).append(f"{_clock(opens)}–{_clock(closes)}")
    runs: list[tuple[int, int, str]] = []  # first day, last day, hours
    for weekday in sorted(by_day):
        hours = ", ".join(by_day[weekday])
        if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], weekday, hours)
        else:
            runs.append((weekday, weekday, hours))
    lines = []
    for first, last, hours in runs:
        days = str(WEEKDAYS_ABBR[first]) if first == last else f"{WEEKDAYS_ABBR[first]}–{WEEKDAYS_ABBR[last]}"
        lines.append(f"{days} {hours}")
    return lines


def _clock(time: dt.time) -> str:
    return f"{time.hour}" if time.minute == 0 else f"{time.hour}:{time.minute:02d}"
