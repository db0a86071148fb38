"""The desk's rules, written once: what a listing needs to enter the register, how long it stays, how well an
assistant fits a family's need, and what a domestic work contract costs. Pure functions of the rows they are given;
actions, pages and the commands all call these."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from welfare.family_assistants.models import (
    ITALIAN_LEVELS,
    ContractYear,
    Experience,
    Kind,
    Listing,
    Need,
    PayRate,
    Requirement,
    Training,
)
from welfare.lib.dates import add_months

REMINDER_DAYS = 30  # the assistant is reminded this long before their listing expires


def counted_hours(trainings: Iterable[Training], requirement: Requirement) -> int:
    """Training hours that count for a kind: with a certificate attached, when the district asks for one."""
    return sum(t.hours for t in trainings if t.has_certificate or not requirement.certificates_required)


def requirement_problems(listing: Listing, trainings: Sequence[Training], experiences: Sequence[Experience],
                         requirements: dict[str, Requirement], today: dt.date) -> list[str]:  # fmt: skip
    """Why this listing cannot (yet) enter the register: each a sentence the person can act on. Empty when it can."""
    problems = []
    if not listing.codice_fiscale and not listing.permit_number:
        problems.append(_("Give your codice fiscale or your residence permit."))
    if listing.permit_number and (listing.permit_expires_on is None or listing.permit_expires_on < today):
        problems.append(_("The residence permit has expired: renew it, then update it here."))
    if not listing.kinds:
        problems.append(_("Choose at least one kind of work."))
    labels = dict(Kind.choices)
    for kind in listing.kinds:
        requirement = requirements.get(kind)
        if requirement is None:
            continue
        hours = counted_hours(trainings, requirement)
        if hours < requirement.min_training_hours:
            problems.append(_(
                "%(kind)s: the district asks for at least %(minimum)s hours of training%(certified)s; yours add up "
                "to %(hours)s. Add a course or choose another kind of work."
            ) % {"kind": labels[kind], "minimum": requirement.min_training_hours, "hours": hours,
                 "certified": _(" with a certificate") if requirement.certificates_required else ""})  # fmt: skip
        months = sum(e.months for e in experiences if e.kind == kind)
        if months < requirement.min_experience_months:
            problems.append(_(
                "%(kind)s: the district asks for at least %(minimum)s months of experience in this work; you "
                "give %(months)s."
            ) % {"kind": labels[kind], "minimum": requirement.min_experience_months, "months": months})  # fmt: skip
    return problems


def listed_until(listing: Listing, requirements: dict[str, Requirement], today: dt.date) -> dt.date:
    """A listing lasts the shortest validity of its kinds, and never beyond the residence permit."""
    months = min((requirements[k].validity_months for k in listing.kinds if k in requirements), default=12)
    until = add_months(today, months)
    if listing.permit_expires_on is not None:
        until = min(until, listing.permit_expires_on)
    return until


# Matching


@dataclass
class Fit:
    """How well a listed assistant fits a need: the score orders the list, the reasons say why."""

    listing: Listing
    score: int = 0
    good: list[str] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)


def fits(need: Need, listing: Listing, trainings: Sequence[Training], experiences: Sequence[Experience],
         municipality_ids: set[int]) -> Fit | None:  # fmt: skip
    """None when the assistant cannot do this work at all (another kind of work, not in the family's municipality,
    not living in when the family needs it); otherwise what fits and what does not."""
    if need.kind not in listing.kinds or need.municipality_id not in municipality_ids:
        return None
    if need.live_in and not listing.live_in:
        return None
    fit = Fit(listing)
    fit.good.append(_("works in %(place)s") % {"place": need.municipality.name})
    if listing.hours_per_week >= need.hours_per_week:
        fit.score += 20
        fit.good.append(_("available %(hours)s hours a week") % {"hours": listing.hours_per_week})
    else:
        fit.bad.append(_("only %(hours)s hours a week") % {"hours": listing.hours_per_week})
    for wanted, has, yes, no in (
        (need.nights, listing.nights, _("available at night"), _("not available at night")),
        (need.weekends, listing.weekends, _("available at weekends"), _("not available at weekends")),
    ):
        if wanted:
            fit.score += 15 if has else 0
            (fit.good if has else fit.bad).append(yes if has else no)
    if listing.available_from <= need.starts_on:
        fit.score += 10
        fit.good.append(_("free from the start date"))
    else:
        fit.bad.append(
            _("free only from %(date)s") % {"date": date_format(listing.available_from, "SHORT_DATE_FORMAT")}
        )
    shared = [code for code in need.languages if code in listing.languages]
    if shared:
        fit.score += 15 * len(shared)
        labels = dict(zip(need.languages, need.language_labels(), strict=False))
        fit.good.append(_("speaks %(languages)s") % {"languages": ", ".join(labels.get(c, c) for c in shared)})
    elif need.languages:
        fit.bad.append(_("does not speak the languages asked for"))
    if ITALIAN_LEVELS.index(listing.italian_level) >= ITALIAN_LEVELS.index("B1"):
        fit.score += 5
    months = sum(e.months for e in experiences if e.kind == need.kind)
    if months:
        fit.score += min(months, 60) // 6
        fit.good.append(_("%(months)s months of experience in this work") % {"months": months})
    hours = sum(t.hours for t in trainings)
    if hours:
        fit.score += min(hours, 500) // 50
        fit.good.append(_("%(hours)s hours of training") % {"hours": hours})
    return fit


# The cost of a domestic work contract

CENT = Decimal("0.01")
WEEKS_A_YEAR = 52
MAX_HOURS = {False: 40, True: 54}  # the national contract's weekly maximum, not living in / living in


@dataclass(frozen=True)
class Cost:
    """What a contract costs the family and pays the worker, in cents, by the district's tables for `year`."""

    year: int
    live_in: bool
    weekly_hours: int
    pay_rate: int  # per hour, or per month when living in
    monthly_pay: int
    yearly_pay: int
    extra_month_pay: int  # the 13th month
    hourly_for_contributions: int
    employer_contributions: int  # a year
    worker_contributions: int  # a year
    severance: int  # the TFR set aside in a year
    family_monthly: int  # a usual month: pay and the family's contributions
    family_yearly: int  # everything in a year: pay, 13th month, contributions, severance
    net_monthly: int  # what the worker receives in a usual month
    net_yearly: int


class NoTable(Exception):
    """The district has no figures for this year, level or arrangement."""


def _cents(value: Decimal) -> int:
    """Euros to cents, rounded half up (every figure is rounded once, from the exact computation)."""
    return int(value.quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def simulate(table: ContractYear, level: str, weekly_hours: int, live_in: bool) -> Cost:
    """The yearly cost of a contract: pay at the level's minimum (per hour × weekly hours × 52 weeks, or per month × 12
    when living in), the 13th month, INPS contributions per paid hour by the band of the effective hourly pay (or
    the band for more than 24 hours a week), and the severance pay set aside (yearly pay with the 13th month
    divided by the table's divisor). Domestic workers' pay has no income tax withheld: the net is the pay less
    the worker's contributions."""
    rate = PayRate.objects.filter(table=table, level=level, live_in=live_in).first()
    bands = list(table.bands.all())
    if rate is None or not bands:
        raise NoTable
    hours_a_year = Decimal(weekly_hours * WEEKS_A_YEAR)
    yearly_pay = rate.amount * 12 if live_in else rate.amount * hours_a_year
    extra = yearly_pay / 12 * table.extra_months
    hourly = (yearly_pay + extra) / hours_a_year
    if weekly_hours > 24:
        band = next((b for b in bands if b.over_24_hours), None)
    else:
        band = next((b for b in bands if not b.over_24_hours and (b.up_to is None or hourly <= b.up_to)), None)
    if band is None:
        raise NoTable
    employer = band.employer_per_hour * hours_a_year
    worker = band.worker_per_hour * hours_a_year
    severance = (yearly_pay + extra) / table.severance_divisor
    return Cost(
        year=table.year, live_in=live_in, weekly_hours=weekly_hours, pay_rate=_cents(rate.amount),
        monthly_pay=_cents(yearly_pay / 12), yearly_pay=_cents(yearly_pay),
        extra_month_pay=_cents(extra), hourly_for_contributions=_cents(hourly),
        employer_contributions=_cents(employer), worker_contributions=_cents(worker), severance=_cents(severance),
        family_monthly=_cents((yearly_pay + employer) / 12),
        family_yearly=_cents(yearly_pay + extra + employer + severance),
        net_monthly=_cents((yearly_pay - worker) / 12), net_yearly=_cents(yearly_pay + extra - worker),
    )  # fmt: skip
