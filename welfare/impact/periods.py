"""The period a figure covers, as people name it in a URL: a year ("2026"), a quarter ("2026-T3") or a month
("2026-11")."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if re.fullmatch(r"\d{4}", self.code):
            return self.code
        if "-T" in self.code:
            year, quarter = self.code.split("-T")
            return _("quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year}
        return f"{self.start:%m/%Y}"

    def aware(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as [start, end) instants in the district's time zone."""
        start = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))
        return start, end


def period_from(code: str | None, today: dt.date | None = None) -> Period:
    """The period a code names; this year for anything else."""
    today = today or timezone.localdate()
    code = (code or "").strip()
    if match := re.fullmatch(r"(\d{4})-T([1-4])", code):
        year, quarter = int(match[1]), int(match[2])
        first = dt.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        return Period(code, first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))
    if match := re.fullmatch(r"(\d{4})-(\d{2})", code):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(code, dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
    if re.fullmatch(r"\d{4}", code) and 2000 <= int(code) <= 2100:
        return Period(code, dt.date(int(code), 1, 1), dt.date(int(code), 12, 31))
    return Period(str(today.year), dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


def quarters(year: int) -> list[Period]:
    return [period_from(f"{year}-T{quarter}") for quarter in range(1, 5)]
