"""Tables as CSV and XLSX downloads that people can use in a spreadsheet.

Each column says what it holds (`Column.kind`): amounts arrive in cents and are written in euros, as numbers
with a euro format; dates and times as real dates and times; so sums, filters and sorting work at once. An
XLSX sheet has a bold, frozen header, column widths, and a totals row for the columns that add up; a workbook
may open with a summary sheet of facts (what the file is, its status, who approved it and when).

A cell that starts with =, +, -, @ (or a tab or carriage return) would be run as a formula by Excel or
LibreOffice (CSV/formula injection, OWASP): such text gets a leading apostrophe. Numbers stay numbers.
"""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    EUROS = "euros"  # the rows give cents
    PERCENT = "percent"  # the rows give whole percentages (30 for 30 %)
    DATE = "date"
    DATETIME = "datetime"  # aware datetimes, written in local time
    TIME = "time"


NUMBER_FORMATS = {
    Kind.EUROS: '#,##0.00 "€"',
    Kind.PERCENT: '0"%"',
    Kind.DATE: "d/m/yyyy",
    Kind.DATETIME: "d/m/yyyy hh:mm",
    Kind.TIME: "hh:mm",
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    width: int = 14  # in characters
    total: bool = False  # the totals row adds this column up


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Facts:
    """A summary sheet: one fact a line, as (label, value, kind)."""

    title: str
    lines: Sequence[tuple[str, Any, Kind]] = field(default_factory=list)


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | dt.date | dt.time):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value: Any, kind: Kind) -> Any:
    """A value as a spreadsheet should hold it: euros from cents, local naive datetimes, safe text."""
    if value is None or value == "":
        return None
    if kind is Kind.EUROS:
        return Decimal(int(value)) / 100
    if kind is Kind.DATETIME and isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return safe_cell(value)


def csv_response(filename: str, table: Table) -> HttpResponse:
    """Semicolons and decimal commas, as Italian spreadsheets expect; ISO dates, which they all read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(column.title) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_cell(cell_value(value, column.kind)) for value, column in zip(row, table.columns, strict=True)]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _download(response, f"{filename}.csv")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value.isoformat()
    return "" if value is None else value


def xlsx_response(filename: str, *sheets: Table | Facts) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        if isinstance(sheet, Facts):
            _write_facts(workbook, sheet)
        else:
            _write_table(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _download(response, f"{filename}.xlsx")


def _write_table(workbook: Any, table: Table) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(table.title[:31])
    sheet.append([safe_cell(column.title) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(column.width, min(len(column.title), 40)) + 2
    totals: list[Any] = [Decimal(0) if column.kind is Kind.EUROS else 0 for column in table.columns]
    for row in table.rows:
        values = [cell_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)]
        sheet.append(values)
        for index, (value, column) in enumerate(zip(values, table.columns, strict=True)):
            if column.total and value is not None:
                totals[index] += value
            if column.kind in NUMBER_FORMATS:
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = NUMBER_FORMATS[column.kind]
    if any(column.total for column in table.columns) and table.rows:
        sheet.append([_("Total") if index == 0 else (totals[index] if column.total else None)
                      for index, column in enumerate(table.columns)])  # fmt: skip
        for index, (cell, column) in enumerate(zip(sheet[sheet.max_row], table.columns, strict=True)):
            cell.font = Font(bold=True)
            if column.kind in NUMBER_FORMATS and index:
                cell.number_format = NUMBER_FORMATS[column.kind]


def _write_facts(workbook: Any, facts: Facts) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(facts.title[:31])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 48
    for label, value, kind in facts.lines:
        sheet.append([safe_cell(label), cell_value(value, kind)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        if kind in NUMBER_FORMATS:
            sheet.cell(row=sheet.max_row, column=2).number_format = NUMBER_FORMATS[kind]


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
