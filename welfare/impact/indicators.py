"""The figures the district answers for, computed from the portal's own records. Each `Figure` carries its
definition (what is counted, from which records), written beside it on the page and in the open data.

Counts go through `lib.small_numbers.suppress` before anyone sees them (pages, exports, open data: `published`);
figures that are not counts (hours, days, euros) are withheld for any row resting on fewer than 5 people.
"""

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from welfare.accounts.models import CitizenProfile
from welfare.assistance.models import Interview
from welfare.care.models import Complaint, RequestEvent, ServiceRequest
from welfare.catalogue.models import Organization, Review
from welfare.delivery.models import Session
from welfare.family_assistants.models import Need, Proposal
from welfare.impact.periods import Period
from welfare.lib.small_numbers import HIDDEN, THRESHOLD, suppress
from welfare.outreach.models import Task
from welfare.territory.models import Municipality

Places = Sequence[Municipality]
Provider = Organization | None


@dataclass
class Figure:
    key: str
    title: str
    definition: str
    row_title: str
    columns: list[str]
    rows: list[str]
    values: list[list[float]]
    counts: bool = True  # counts are suppressed as a table; other values by the people behind each row
    people: list[int] = field(default_factory=list)  # for value tables: how many people each row rests on
    unit: str = ""  # "€", "h", "days": how the values read


@dataclass(frozen=True)
class Published:
    """A figure as it may be shown: every cell an int, a number or "<5" / "*", with totals for counts."""

    figure: Figure
    cells: Sequence[Sequence[object]]
    row_totals: Sequence[object]
    column_totals: Sequence[object]
    total: object


def published(figure: Figure) -> Published:
    """The one door from a figure to a page, an export or the open data."""
    if figure.counts:
        counts = [[int(value) for value in row] for row in figure.values]
        if not counts or not counts[0]:
            return Published(figure, [], [], [], 0)
        result = suppress(counts)
        return Published(figure, list(result.cells), list(result.row_totals), list(result.column_totals),
                         result.total)  # fmt: skip
    cells = [
        [HIDDEN for _ in row] if people < THRESHOLD else list(row)
        for row, people in zip(figure.values, figure.people or [THRESHOLD] * len(figure.values), strict=True)
    ]
    return Published(figure, cells, [], [], "")


def _places(municipalities: Sequence[Municipality]) -> list[str]:
    return [municipality.name for municipality in municipalities]


def reach(period: Period, municipalities: Sequence[Municipality]) -> Figure:
    start, end = period.aware()
    ids = [m.pk for m in municipalities]
    interviewed = set(
        Interview.objects.filter(
            held_on__gte=period.start, held_on__lte=period.end, resident__municipality__in=ids
        ).values_list("resident", flat=True)
    )
    requested = set(ServiceRequest.objects.filter(created_at__gte=start, created_at__lt=end, municipality__in=ids)
                    .values_list("requester__citizen_profile", flat=True))  # fmt: skip
    reached = set(Task.objects.filter(outcome=Task.Outcome.REACHED, closed_at__gte=start, closed_at__lt=end,
                                      resident__municipality__in=ids).values_list("resident", flat=True))  # fmt: skip
    contacted = (interviewed | requested | reached) - {None}
    columns = [_("Residents with any contact"), _("First contact at a Social Point"),
               _("First contact by a request"), _("Reached by outreach"), _("Aged 75 or more, with any contact"),
               _("Aged 75 or more, registered")]  # fmt: skip
    table: dict[str, list[float]] = {name: [0] * len(columns) for name in _places(municipalities)}
    cutoff = period.end.replace(year=period.end.year - 75)  # born on or before: 75 at the end of the period
    # Only the residents with a contact are read one by one: the work grows with the activity, not the population.
    for profile in CitizenProfile.objects.filter(pk__in=contacted, municipality__in=ids).annotate(
        first_interview=Min("interviews__held_on"), first_request=Min("user__service_requests__created_at"),
    ).values("pk", "municipality__name", "birth_date", "first_interview", "first_request"):  # fmt: skip
        row = table[profile["municipality__name"]]
        row[0] += 1
        row[3] += profile["pk"] in reached
        row[4] += profile["birth_date"] <= cutoff
        request_day = profile["first_request"].date() if profile["first_request"] else None
        firsts = [day for day in (profile["first_interview"], request_day) if day is not None]
        if firsts and period.start <= min(firsts) <= period.end:
            row[1 if profile["first_interview"] == min(firsts) else 2] += 1
    for place in (CitizenProfile.objects.filter(municipality__in=ids, birth_date__lte=cutoff)
                  .values("municipality__name").annotate(n=Count("pk")).order_by()):  # fmt: skip
        table[place["municipality__name"]][5] = place["n"]
    return Figure(
        "reach", _("Reach"), _(
            "Residents registered in the portal, by municipality of residence. “Any contact”: an interview at a "
            "Social Point, a request for a service, or an outreach task closed as reached, within the period. A "
            "first contact is the earliest interview or request a resident ever had, if it falls within the period. "
            "Age at the end of the period."),
        _("Municipality"), columns, list(table), list(table.values()),
    )  # fmt: skip


def requests_by_state(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    start, end = period.aware()
    found = ServiceRequest.objects.filter(created_at__gte=start, created_at__lt=end,
                                          municipality__in=[m.pk for m in municipalities])  # fmt: skip
    if organization is not None:
        found = found.filter(organization=organization)
    states = list(ServiceRequest.State)
    table = {name: [0.0] * len(states) for name in _places(municipalities)}
    for row in found.values("municipality__name", "state").annotate(n=Count("pk")).order_by():
        table[row["municipality__name"]][states.index(ServiceRequest.State(row["state"]))] = row["n"]
    return Figure(
        "requests", _("Requests by state"),
        _("Requests for a service made within the period, by the municipality of the family and by their state "
          "today (a proposal refused by the provider is “not accepted”; one the family let lapse is “expired”)."),
        _("Municipality"), [str(state.label) for state in states], list(table), list(table.values()),
    )  # fmt: skip


def delivered(period: Period, municipalities: Places, organization: Provider = None) -> QuerySet[Session]:
    """The one rule for "sessions delivered": valid (not corrected or withdrawn), dated within the period, for
    families of these municipalities, of this provider when one is named."""
    found = Session.objects.filter(day__gte=period.start, day__lte=period.end, status=Session.Status.VALID,
                                   request__municipality__in=[m.pk for m in municipalities])  # fmt: skip
    return found.filter(organization=organization) if organization is not None else found


def _median_p90(days: list[float]) -> tuple[float, float]:
    if not days:
        return 0.0, 0.0
    ordered = sorted(days)
    return round(statistics.median(ordered), 1), round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1)


def waiting_times(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    start, end = period.aware()
    found = RequestEvent.objects.filter(
        request__created_at__gte=start, request__created_at__lt=end,
        request__municipality__in=[m.pk for m in municipalities],
        to_state__in=[ServiceRequest.State.PROPOSED, ServiceRequest.State.ACTIVE],
    )  # fmt: skip
    if organization is not None:
        found = found.filter(request__organization=organization)
    to_proposal: dict[str, list[float]] = defaultdict(list)
    to_active: dict[str, list[float]] = defaultdict(list)
    for row in found.values("request", "to_state", "request__created_at", "request__municipality__name").annotate(
            first=Min("at")).order_by():  # fmt: skip
        days = (row["first"] - row["request__created_at"]).total_seconds() / 86400
        target = to_proposal if row["to_state"] == ServiceRequest.State.PROPOSED else to_active
        target[row["request__municipality__name"]].append(days)
    names = _places(municipalities)
    values, people = [], []
    for name in names:
        values.append([*_median_p90(to_proposal[name]), *_median_p90(to_active[name])])
        people.append(min(len(to_proposal[name]), len(to_active[name])) if to_active[name] else
                      len(to_proposal[name]))  # fmt: skip
    return Figure(
        "waiting", _("Time to a proposal and to the service"),
        _("Days from a request made within the period to the provider's first proposal, and to the service under "
          "way: the median (half the families waited less) and the 90th percentile (nine in ten waited less). "
          "Withheld where fewer than 5 requests got that far."),
        _("Municipality"), [_("To the proposal, median"), _("To the proposal, 90th percentile"),
                            _("To the service, median"), _("To the service, 90th percentile")],
        names, values, counts=False, people=people, unit=_("days"),
    )  # fmt: skip


def waiting_now(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    """Today's waiting list, whatever the period: requests sent and not yet answered with a proposal."""
    found = ServiceRequest.objects.filter(state=ServiceRequest.State.SUBMITTED,
                                          municipality__in=[m.pk for m in municipalities])  # fmt: skip
    if organization is not None:
        found = found.filter(organization=organization)
    now = timezone.now()
    waited: dict[str, list[float]] = defaultdict(list)
    for place, created in found.values_list("municipality__name", "created_at"):
        waited[place].append((now - created).total_seconds() / 86400)
    names = _places(municipalities)
    values = [[len(waited[name]), _median_p90(waited[name])[0], _median_p90(waited[name])[1]] for name in names]
    return Figure(
        "waiting_now", _("Waiting today"),
        _("Requests sent and still waiting for the provider's answer today, by the municipality of the family, and "
          "how many days they have waited (median and 90th percentile). Withheld under 5 requests."),
        _("Municipality"), [_("Waiting"), _("Days waited, median"), _("Days waited, 90th percentile")], names,
        values, counts=False, people=[len(waited[name]) for name in names],
    )  # fmt: skip


def budgets(period: Period, municipalities: Places, organization: Provider = None) -> list[Figure]:
    """Each voucher programme's budget per municipality, from the ledger (no person behind these sums)."""
    from welfare.vouchers.models import Programme
    from welfare.vouchers.queries import budget_lines

    names = {m.name for m in municipalities}
    figures = []
    for programme in Programme.objects.filter(vouchers_valid_until__gte=period.start,
                                              applications_open_on__lte=period.end).order_by("name"):  # fmt: skip
        lines = [line for line in budget_lines(programme) if line.municipality_name in names]
        figures.append(Figure(
            f"budget-{programme.pk}", _("Budget: %(programme)s") % {"programme": programme.name},
            _("What the planning office allocated to each municipality in this voucher programme, what active "
              "vouchers still hold (committed), what vouchers paid for sessions (spent) and what is left to issue "
              "(available), read from the ledger today."),
            _("Municipality"), [_("Allocated"), _("Committed"), _("Spent"), _("Available")],
            [line.municipality_name for line in lines],
            [[line.allocated_cents / 100, line.committed_cents / 100, line.spent_cents / 100,
              line.available_cents / 100] for line in lines],
            counts=False, people=[THRESHOLD] * len(lines), unit="€",
        ))  # fmt: skip
    return figures


def employer_money(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    """Each employer's welfare credits spent on the district's services (all time, from the ledger)."""
    from welfare.employers.queries import employer_spending

    names = {m.name for m in municipalities}
    table: dict[str, float] = defaultdict(float)
    for line in employer_spending():
        if line.municipality in names:
            table[line.employer] += line.employer_cents / 100
    return Figure(
        "employers", _("Employer credits spent, by employer"),
        _("What each employer's welfare credits paid for services at the district's providers, net of reversals, "
          "for families of the municipalities shown, from the ledger."),
        _("Employer"), [_("Spent")], list(table), [[value] for value in table.values()], counts=False,
        people=[THRESHOLD] * len(table), unit="€",
    )  # fmt: skip


def hours_by_kind(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    found = delivered(period, municipalities, organization)
    rows = (
        found.values("request__service__kinds__name_it")
        .annotate(minutes=Sum("minutes"), sessions=Count("pk", distinct=True),
                  disputes=Count("pk", filter=Q(confirmation=Session.Confirmation.DISPUTED), distinct=True),
                  services=Count("request", distinct=True))
        .order_by("request__service__kinds__name_it")
    )  # fmt: skip
    names, values, people = [], [], []
    for row in rows:
        names.append(row["request__service__kinds__name_it"] or "—")
        per_service = round(row["sessions"] / row["services"], 1) if row["services"] else 0
        values.append([round((row["minutes"] or 0) / 60, 1), row["sessions"], row["disputes"], row["services"],
                       per_service])  # fmt: skip
        people.append(row["services"])
    return Figure(
        "delivery", _("Hours delivered by kind of service"),
        _("Sessions logged by providers with a date within the period (corrected or withdrawn sessions excluded), "
          "by the kind of the service; a service of two kinds counts in both. Disputes: sessions the family said "
          "did not happen as logged. Withheld where fewer than 5 services were delivered."),
        _("Kind of service"), [_("Hours"), _("Sessions"), _("Disputed"), _("Services delivered"),
                               _("Sessions per service")],
        names, values, counts=False, people=people,
    )  # fmt: skip


def funders(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    found = delivered(period, municipalities, organization)
    table = {name: [0.0, 0.0, 0.0, 0.0] for name in _places(municipalities)}
    families: dict[str, set[object]] = defaultdict(set)
    for row in found.values("request__municipality__name").annotate(
        total=Sum("amount_cents"), voucher=Sum("voucher_cents"), employer=Sum("employer_cents"),
        family=Sum("copayment_cents"),
    ).order_by():  # fmt: skip
        table[row["request__municipality__name"]] = [row["total"] / 100, row["voucher"] / 100,
                                                     row["employer"] / 100, row["family"] / 100]  # fmt: skip
    for place, requester in found.values_list("request__municipality__name", "request__requester").distinct():
        families[place].add(requester)
    return Figure(
        "funders", _("Who paid for the services delivered"),
        _("The price of the sessions delivered within the period, by the municipality of the family, split among "
          "who paid it: municipal vouchers, employers' welfare credits and the families. From the sessions' split, "
          "which equals the ledger's movements. Withheld where fewer than 5 families were served."),
        _("Municipality"), [_("Total"), _("Municipal vouchers"), _("Employer credits"), _("Families")],
        list(table), list(table.values()), counts=False, people=[len(families[name]) for name in table], unit="€",
    )  # fmt: skip


def cost_per_hour(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    found = delivered(period, municipalities, organization)
    rows = (
        found.values("organization__name", "request__service__kinds__name_it")
        .annotate(minutes=Sum("minutes"), amount=Sum("amount_cents"), services=Count("request", distinct=True))
        .order_by("organization__name", "request__service__kinds__name_it")
    )
    names, values, people = [], [], []
    for row in rows:
        hours = (row["minutes"] or 0) / 60
        names.append(f"{row['organization__name']} – {row['request__service__kinds__name_it'] or '—'}")
        values.append([round(hours, 1), round((row["amount"] or 0) / 100 / hours, 2) if hours else 0])
        people.append(row["services"])
    return Figure(
        "cost", _("Cost per hour by provider and kind"),
        _("The price of the sessions delivered within the period divided by their hours, for each provider and kind "
          "of service. Withheld where fewer than 5 services were delivered."),
        _("Provider and kind"), [_("Hours"), _("Euros per hour")], names, values, counts=False, people=people,
    )  # fmt: skip


def reviews(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    start, end = period.aware()
    found = Review.objects.filter(created_at__gte=start, created_at__lt=end, hidden_at__isnull=True,
                                  request__municipality__in=[m.pk for m in municipalities])  # fmt: skip
    if organization is not None:
        found = found.filter(organization=organization)
    rows = (
        found.values("organization__name")
        .annotate(n=Count("pk"), p=Avg("punctuality"), k=Avg("kindness"), c=Avg("competence"),
                  r=Count("pk", filter=Q(would_recommend=True)))
        .order_by("organization__name")
    )  # fmt: skip
    return Figure(
        "reviews", _("Families' ratings"),
        _("Ratings written within the period by families who received a service (hidden ones excluded), by provider: "
          "the averages from 1 to 5 and the share who would recommend it. Withheld under 5 ratings."),
        _("Provider"), [_("Ratings"), _("Punctuality"), _("Kindness"), _("Competence"), _("Would recommend it (%)")],
        [row["organization__name"] for row in rows],
        [[row["n"], round(row["p"], 1), round(row["k"], 1), round(row["c"], 1), round(100 * row["r"] / row["n"])]
         for row in rows],
        counts=False, people=[row["n"] for row in rows],
    )  # fmt: skip


def complaints(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    start, end = period.aware()
    found = Complaint.objects.filter(created_at__gte=start, created_at__lt=end)
    if organization is not None:
        found = found.filter(organization=organization)
    today = timezone.localdate()
    table: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for complaint in found.select_related("organization").order_by("organization__name"):
        row = table[complaint.organization.name]
        if complaint.answered_at is None:
            row[3 if complaint.deadline < today else 2] += 1
        elif timezone.localtime(complaint.answered_at).date() <= complaint.deadline:
            row[0] += 1
        else:
            row[1] += 1
    return Figure(
        "complaints", _("Complaints and answers"),
        _("Complaints filed within the period, by provider: answered within the 30 days, answered late, still within "
          "the deadline, and past it without an answer."),
        _("Provider"), [_("Answered in time"), _("Answered late"), _("Waiting, in time"), _("Waiting, overdue")],
        list(table), list(table.values()),
    )  # fmt: skip


def family_assistance(period: Period, municipalities: Places, organization: Provider = None) -> Figure:
    """The family assistance desk, by the municipality where the work is: needs, matches, hires, regular contracts."""
    start, end = period.aware()
    ids = [m.pk for m in municipalities]
    table: dict[str, list[float]] = {name: [0, 0, 0, 0] for name in _places(municipalities)}
    needs = Need.objects.filter(municipality__in=ids)
    for column, found, name in (
        (0, needs.filter(created_at__gte=start, created_at__lt=end), "municipality__name"),
        (1, Proposal.objects.filter(need__municipality__in=ids, contacts_shared_at__gte=start,
                                    contacts_shared_at__lt=end), "need__municipality__name"),
        (2, needs.filter(hired_on__gte=period.start, hired_on__lte=period.end), "municipality__name"),
        (3, needs.filter(hired_on__gte=period.start, hired_on__lte=period.end, regular_contract=True),
         "municipality__name"),
    ):  # fmt: skip
        for row in found.values(name).annotate(n=Count("pk")).order_by():
            table[row[name]][column] = row["n"]
    return Figure(
        "family_assistance", _("Family assistants: matches and hires"),
        _("The Social Points' desk for family assistance, by the municipality where the work is: families' needs "
          "described within the period, proposals an assistant accepted (contacts shared), hires recorded with their "
          "date within the period, and those with a regular contract communicated to INPS."),
        _("Municipality"), [_("Needs described"), _("Matches"), _("Hires"), _("With a regular contract")],
        list(table), list(table.values()),
    )  # fmt: skip


def all_figures(period: Period, municipalities: Places, organization: Provider = None) -> list[Figure]:
    """The dashboard's figures, in the order the page shows them. A provider's view has no reach (it is the
    district's) and only its own services."""
    figures = [] if organization is not None else [reach(period, municipalities)]
    return [
        *figures,
        requests_by_state(period, municipalities, organization),
        waiting_times(period, municipalities, organization),
        waiting_now(period, municipalities, organization),
        hours_by_kind(period, municipalities, organization),
        funders(period, municipalities, organization),
        *(
            []
            if organization is not None
            else [employer_money(period, municipalities), *budgets(period, municipalities)]
        ),
        cost_per_hour(period, municipalities, organization),
        reviews(period, municipalities, organization),
        complaints(period, municipalities, organization),
        *([] if organization is not None else [family_assistance(period, municipalities)]),
    ]


FIGURES_SECONDS = 15 * 60  # figures are recomputed at most this often (and by `manage.py refresh_figures`)


def published_figures(period: Period, municipalities: Places, organization: Provider = None, *,
                      refresh: bool = False) -> list[Published]:  # fmt: skip
    """The dashboard's figures as shown, computed once per period, places, provider and language, then read from
    the cache: a page costs the same however many residents and requests the district has. `refresh_figures`
    (every 15 minutes) recomputes the district's own so that nobody waits for them."""
    key = "figures:" + "|".join([period.code, ",".join(str(m.pk) for m in municipalities),
                                 str(organization.pk if organization else ""), get_language() or ""])  # fmt: skip
    if not refresh:
        found = cache.get(key)
        if found is not None:
            return list(found)
    figures = [published(figure) for figure in all_figures(period, municipalities, organization)]
    cache.set(key, figures, FIGURES_SECONDS)
    return figures
