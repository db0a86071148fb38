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
