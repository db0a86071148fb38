"""Dates as people read them: ages, and Italian dates written out ("6 gennaio 2027", "venerdì 4 dicembre")."""

import datetime as dt


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def written_date(day: dt.date, language: str, *, weekday: bool = False) -> str:
    """A date as a person reads it in `language`, for emails rendered away from any page: "6 gennaio 2027",
    "venerdì 4 dicembre 2026" (Italian, config/formats/it), "6 January 2027" in English."""
    from django.utils import formats, translation

    with translation.override(language):
        return str(formats.date_format(day, "l j F Y" if weekday else "j F Y"))
