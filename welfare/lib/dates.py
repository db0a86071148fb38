"""Dates as people read them: ages, and Italian dates written out ("6 gennaio 2027", "venerdì 4 dicembre")."""

import datetime as dt


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
