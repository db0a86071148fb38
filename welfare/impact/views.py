"""The figures: the planning office's dashboard (a social worker sees their municipality, a provider its own
services), every table as CSV and XLSX, and the public open data."""

import json
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from welfare.accounts.access import AnyUser, chosen_place, roles_of, scopes_for
from welfare.accounts.models import Role
from welfare.catalogue.models import Organization
from welfare.impact.charts import bar_chart
from welfare.impact.indicators import (
    Figure,
    Published,
    all_figures,
    hours_by_kind,
    published,
    published_figures,
    reach,
    requests_by_state,
)
from welfare.impact.periods import Period, period_from, quarters
from welfare.lib.exports import Column, Kind, Table, csv_response, xlsx_response
from welfare.territory.models import District, Municipality
from welfare.territory.queries import current_district

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.it"


@dataclass(frozen=True)
class Scope:
    municipalities: list[Municipality]
    organization: Organization | None
    organizations: list[Organization]


def scope_of(request: HttpRequest) -> Scope:
    """What the figures may cover for this person: the district (planning office), their municipalities (social
    worker), or their own organisation's services (provider). Anyone else is refused."""
    user: AnyUser = request.user
    roles = roles_of(user)
    if Role.DISTRICT_ADMIN in roles:
        districts = [d for d in scopes_for(user, Role.DISTRICT_ADMIN) if isinstance(d, District)]
        return Scope(list(Municipality.objects.filter(district__in=districts).order_by("name")), None, [])
    if Role.SOCIAL_WORKER in roles:
        places = [m for m in scopes_for(user, Role.SOCIAL_WORKER) if isinstance(m, Municipality)]
        return Scope(sorted(places, key=lambda m: m.name), None, [])
    if Role.PROVIDER_STAFF in roles:
        organizations = [o for o in scopes_for(user, Role.PROVIDER_STAFF) if isinstance(o, Organization)]
        chosen = chosen_place(organizations, request.GET.get("luogo") or (organizations[0].pk if organizations
                                                                          else None))  # fmt: skip
        return Scope(list(Municipality.objects.order_by("name")), chosen, organizations)
    raise PermissionDenied


def _filtered(request: HttpRequest, scope: Scope) -> tuple[Period, list[Municipality]]:
    period = period_from(request.GET.get("periodo"))
    wanted = request.GET.get("comune", "")
    places = [m for m in scope.municipalities if str(m.pk) == wanted] or scope.municipalities
    return period, places


def _period_choices(today_year: int) -> list[tuple[str, str]]:
    choices = []
    for year in (today_year, today_year - 1):
        choices.append((str(year), str(year)))
        choices += [(p.code, p.label) for p in quarters(year)]
    return choices


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    period, places = _filtered(request, scope)
    figures = published_figures(period, places, scope.organization)
    return render(request, "impact/dashboard.html", {
        "scope": scope, "period": period, "places": places, "figures": [(p, bar_chart(p)) for p in figures],
        "periods": _period_choices(timezone.localdate().year), "chosen_place": request.GET.get("comune", ""),
        "query": request.GET.urlencode(),
    })  # fmt: skip


def table_of(shown: Published) -> Table:
    """A published figure as an export table: the same cells the page shows, "<5" included."""
    figure = shown.figure
    kind = Kind.NUMBER
    columns = [Column(figure.row_title, width=30), *[Column(title, kind, 16) for title in figure.columns]]
    rows = [[label, *cells] for label, cells in zip(figure.rows, shown.cells, strict=True)]
    if figure.counts and shown.cells:
        columns.append(Column(_("Total"), kind, 12))
        rows = [[*row, total] for row, total in zip(rows, shown.row_totals, strict=True)]
        rows.append([_("Total"), *shown.column_totals, shown.total])
    return Table(figure.title[:31], columns, rows)


@login_required
@require_safe
def export(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    scope = scope_of(request)
    period, places = _filtered(request, scope)
    found = [f for f in all_figures(period, places, scope.organization) if f.key == key]
    if not found or extension not in ("csv", "xlsx"):
        raise Http404
    table = table_of(published(found[0]))
    filename = f"{key}-{period.code}.{extension}"
    return csv_response(filename, table) if extension == "csv" else xlsx_response(filename, table)


# Open data: anyone, no count under 5, by quarter


def open_figures(period: Period) -> list[Figure]:
    places = list(Municipality.objects.filter(district=current_district()).order_by("name"))
    return [reach(period, places), requests_by_state(period, places), hours_by_kind(period, places)]


def _open_period(request: HttpRequest) -> Period:
    code = request.GET.get("periodo") or f"{timezone.localdate().year}-T{(timezone.localdate().month - 1) // 3 + 1}"
    period = period_from(code)
    if "-T" not in period.code:
        raise Http404  # open data is published by quarter
    return period


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    period = _open_period(request)
    year = timezone.localdate().year
    return render(request, "impact/open_data.html", {
        "period": period, "figures": [published(figure) for figure in open_figures(period)],
        "quarters": quarters(year) + quarters(year - 1), "licence": LICENCE, "licence_url": LICENCE_URL,
    })  # fmt: skip


def open_data_document(period: Period) -> dict[str, object]:
    """The open data of a quarter as one JSON document: each table with its definition, counts under 5 hidden."""
    return {
        "title": "Welfare Integrato – " + str(current_district()),
        "licence": LICENCE, "licence_url": LICENCE_URL, "period": period.code,
        "from": period.start.isoformat(), "to": period.end.isoformat(),
        "small_numbers": "Counts from 1 to 4 are published as \"<5\"; \"*\" is a count withheld so that a \"<5\" "
                         "cannot be worked out from the totals.",
        "tables": [{
            "key": shown.figure.key, "title": shown.figure.title, "definition": shown.figure.definition,
            "row_title": shown.figure.row_title, "columns": shown.figure.columns,
            "rows": [{"label": label, "values": cells} for label, cells in zip(shown.figure.rows, shown.cells,
                                                                                strict=True)],
            "column_totals": shown.column_totals, "total": shown.total,
        } for shown in (published(figure) for figure in open_figures(period))],
    }  # fmt: skip


@require_safe
def open_data_json(request: HttpRequest) -> HttpResponse:
    document = open_data_document(_open_period(request))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def open_data_csv(request: HttpRequest, key: str) -> HttpResponse:
    period = _open_period(request)
    found = [figure for figure in open_figures(period) if figure.key == key]
    if not found:
        raise Http404
    response = csv_response(f"{key}-{period.code}.csv", table_of(published(found[0])))
    response["Access-Control-Allow-Origin"] = "*"
    return response
