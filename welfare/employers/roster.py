"""Reading an employer's register of employees from a CSV file: every row checked, every problem named, before
anything is saved (`employers.actions.do_import_employees` saves a file only when it has none)."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from welfare.employers.models import Employee, Employer
from welfare.lib.codice_fiscale import normalise_codice_fiscale, validate_codice_fiscale

MAX_ROWS = 5000
MAX_BYTES = 1_000_000
# Column names, Italian first (the template offered for download), English accepted.
COLUMNS = {
    "codice_fiscale": ("codice_fiscale", "codice fiscale", "cf", "tax_code"),
    "first_name": ("nome", "first_name"),
    "last_name": ("cognome", "last_name"),
    "email": ("email", "e-mail"),
    "category": ("categoria", "category"),
    "dependent_children": ("figli_a_carico", "figli a carico", "dependent_children"),
    "ended_on": ("cessato_il", "cessazione", "ended_on", "left_on"),
}
REQUIRED = ("codice_fiscale", "first_name", "last_name", "email", "category")
TEMPLATE = "codice_fiscale;nome;cognome;email;categoria;figli_a_carico;cessato_il\n"
YES = {"si", "sì", "s", "yes", "y", "true", "1", "x"}
NO = {"", "no", "n", "false", "0"}


@dataclass
class Row:
    line: int
    codice_fiscale: str
    first_name: str
    last_name: str
    email: str
    category: str
    dependent_children: bool
    ended_on: dt.date | None
    problems: list[str] = field(default_factory=list)
    change: str = ""  # "new", "update", "same", "end"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class Preview:
    rows: list[Row]
    problems: list[str]  # about the whole file
    leavers: list[Employee]  # when the file is the whole register: those not in it, ended by the import

    @property
    def is_valid(self) -> bool:
        return not self.problems and not any(row.problems for row in self.rows)

    def count(self, change: str) -> int:
        return sum(1 for row in self.rows if row.change == change)


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large: at most 1 MB."), code="too_large")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not a text CSV file."), code="not_text")  # pragma: no cover (cp1252 reads all)


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    wanted = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
    for index, title in enumerate(header):
        name = wanted.get(title.strip().lower())
        if name is not None:
            columns.setdefault(name, index)
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in columns]
    return columns, missing


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def read(employer: Employer, text: str, *, complete: bool = False) -> Preview:
    """Every row of the file with its problems and what importing it would change. `complete`: the file is the
    whole register, so current employees missing from it are ended (never deleted)."""
    if not text.strip():
        return Preview([], [_("The file is empty.")], [])
    dialect = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=dialect))
    columns, missing = _header_map(lines[0])
    if missing:
        return Preview([], [_("The first line must name the columns; missing: %(columns)s.")
                            % {"columns": ", ".join(missing)}], [])  # fmt: skip
    body = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    if len(body) > MAX_ROWS:
        return Preview([], [_("At most %(rows)d employees in one file.") % {"rows": MAX_ROWS}], [])
    existing = {employee.codice_fiscale: employee for employee in employer.employees.all()}
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, cells in body:

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row = Row(number, normalise_codice_fiscale(cell("codice_fiscale")), cell("first_name"), cell("last_name"),
                  cell("email"), cell("category"), False, None)  # fmt: skip
        try:
            validate_codice_fiscale(row.codice_fiscale)
        except ValidationError:
            row.problems.append(_("The codice fiscale is not valid."))
        if row.codice_fiscale in seen:
            row.problems.append(_("The same codice fiscale is on line %(line)d.") % {"line": seen[row.codice_fiscale]})
        seen.setdefault(row.codice_fiscale, number)
        if not row.first_name or not row.last_name:
            row.problems.append(_("First name and last name are required."))
        try:
            validate_email(row.email)
        except ValidationError:
            row.problems.append(_("The email address is not valid."))
        if not row.category:
            row.problems.append(_("The employee category is required (e.g. “impiegati”, “operai”)."))
        elif len(row.category) > 60:
            row.problems.append(_("The employee category has at most 60 characters."))
        children = cell("dependent_children").lower()
        if children in YES:
            row.dependent_children = True
        elif children not in NO:
            row.problems.append(_("Dependent children: write “sì” or “no”."))
        try:
            row.ended_on = _date(cell("ended_on"))
        except ValueError:
            row.problems.append(_("The date the employee left must be written as 31/12/2026."))
        row.change = _change(existing.get(row.codice_fiscale), row)
        rows.append(row)
    leavers = []
    if complete:
        in_file = {row.codice_fiscale for row in rows}
        leavers = [e for code, e in existing.items() if code not in in_file and e.ended_on is None]
    return Preview(rows, [], leavers)


def _change(employee: Employee | None, row: Row) -> str:
    if employee is None:
        return "new"
    if row.ended_on is not None and employee.ended_on is None:
        return "end"
    same = (employee.first_name, employee.last_name, employee.email, employee.category, employee.dependent_children,
            employee.ended_on) == (row.first_name, row.last_name, row.email, row.category, row.dependent_children,
                                   row.ended_on or employee.ended_on)  # fmt: skip
    return "same" if same else "update"
