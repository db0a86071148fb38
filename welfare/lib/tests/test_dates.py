import datetime as dt

import pytest

from welfare.lib.dates import age_on


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(1948, 7, 5), dt.date(2026, 7, 4), 77),
        (dt.date(1948, 7, 5), dt.date(2026, 7, 5), 78),
        (dt.date(2016, 2, 29), dt.date(2027, 2, 28), 10),
        (dt.date(2016, 2, 29), dt.date(2027, 3, 1), 11),
        (dt.date(2026, 11, 27), dt.date(2026, 11, 27), 0),
    ],
)
def test_age_in_completed_years(born, day, age):
    assert age_on(born, day) == age


def test_italian_dates_are_written_out_in_lower_case_without_leading_zeros():
    """Issue 17, defect 12: "06 Gennaio 2027" and "Venerdì 04 Dicembre" were Django's defaults."""
    from django.template import Context, Template
    from django.utils import translation

    from welfare.lib.dates import written_date

    assert written_date(dt.date(2027, 1, 6), "it") == "6 gennaio 2027"
    assert written_date(dt.date(2026, 12, 4), "it", weekday=True) == "venerdì 4 dicembre 2026"
    assert written_date(dt.date(2027, 1, 6), "en") == "6 January 2027"
    template = Template(
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"l j F" }}|{{ d|date:"F Y" }}'
    )
    with translation.override("it"):
        assert template.render(Context({"d": dt.date(2026, 12, 4)})) == (
            "4 dicembre 2026|4/12/2026|venerdì 4 dicembre|dicembre 2026"
        )


def test_opening_hours_are_compressed_as_people_write_them():
    from django.utils import translation

    from welfare.lib.dates import compact_hours

    t = dt.time
    week = [(day, t(9), t(12)) for day in range(5)] + [(day, t(14), t(18)) for day in (0, 2)] + [(5, t(9), t(11, 30))]
    with translation.override("it"):
        assert compact_hours(week) == ["lun 9–12, 14–18", "mar 9–12", "mer 9–12, 14–18", "gio–ven 9–12", "sab 9–11:30"]
        assert compact_hours([(day, t(9), t(12)) for day in range(5)]) == ["lun–ven 9–12"]
    assert compact_hours([]) == []
