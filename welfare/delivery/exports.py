"""A statement as a workbook: a summary (what, whose, which month, status, totals, who submitted and approved it
and when), the sessions billed, the sessions held out, and the totals by municipality."""

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from welfare.delivery.models import Session, Statement
from welfare.delivery.queries import StatementReport
from welfare.lib.exports import Column, Facts, Kind, Table


def statement_workbook(found: StatementReport) -> list[Table | Facts]:
    return [summary(found.statement), billed(found), held_out(found), by_municipality(found)]


def summary(statement: Statement) -> Facts:
    def person(user: object) -> str:
        return user.get_full_name() if user is not None else ""  # type: ignore[attr-defined]

    lines: list[tuple[str, object, Kind]] = [
        (_("Provider"), statement.organization.name, Kind.TEXT),
        (_("Tax code"), statement.organization.tax_code, Kind.TEXT),
        (_("Programme"), statement.programme.name, Kind.TEXT),
        (_("Month"), date_format(statement.month, "F Y"), Kind.TEXT),
        (_("Status"), statement.get_status_display(), Kind.TEXT),
        (_("Sessions"), statement.sessions_count, Kind.NUMBER),
        (_("Hours"), Decimal(statement.minutes) / 60, Kind.NUMBER),
        (_("Total"), statement.amount_cents, Kind.EUROS),
        (_("Voucher pays"), statement.voucher_cents, Kind.EUROS),
        (_("Families pay"), statement.copayment_cents, Kind.EUROS),
        (_("Employer credits"), statement.employer_cents, Kind.EUROS),
        (_("Prepared on"), statement.generated_at, Kind.DATETIME),
    ]
    if statement.submitted_at:
        lines += [(_("Submitted on"), statement.submitted_at, Kind.DATETIME),
                  (_("Submitted by"), person(statement.submitted_by), Kind.TEXT)]  # fmt: skip
    if statement.status == Statement.Status.APPROVED:
        lines += [(_("Approved on"), statement.decided_at, Kind.DATETIME),
                  (_("Approved by"), person(statement.decided_by), Kind.TEXT)]  # fmt: skip
    elif statement.status == Statement.Status.RETURNED:
        lines += [(_("Returned on"), statement.decided_at, Kind.DATETIME),
                  (_("Returned by"), person(statement.decided_by), Kind.TEXT),
                  (_("Reason for returning"), statement.returned_reason, Kind.TEXT)]  # fmt: skip
    else:
        lines.append((_("Approved on"), _("not approved yet"), Kind.TEXT))
    return Facts(_("Summary"), lines)


def session_columns() -> list[Column]:
    return [
    Column(_("Date"), Kind.DATE, 11), Column(_("Start time"), Kind.TIME, 8), Column(_("End time"), Kind.TIME, 8),
    Column(_("Minutes"), Kind.NUMBER, 8, total=True), Column(_("Operator"), width=20),
    Column(_("Municipality"), width=18), Column(_("Voucher"), width=14),
    Column(_("Amount"), Kind.EUROS, 12, total=True), Column(_("Voucher pays"), Kind.EUROS, 12, total=True),
    Column(_("Family pays"), Kind.EUROS, 12, total=True), Column(_("Employer credits"), Kind.EUROS, 12, total=True),
    Column(_("Family's answer"), width=18),
    ]  # fmt: skip


def _session_row(session: Session) -> list[object]:
    voucher = session.voucher
    return [session.day, session.starts_at, session.ends_at, session.minutes, session.operator,
            voucher.municipality.name if voucher else "", voucher.verification_code if voucher else "",
            session.amount_cents, session.voucher_cents, session.copayment_cents, session.employer_cents,
            session.get_confirmation_display()]  # fmt: skip


def billed(found: StatementReport) -> Table:
    columns = [*session_columns(), Column(_("Flags"), width=30)]
    rows = [[*_session_row(session), "; ".join(session.flag_labels())] for session in found.sessions]
    return Table(_("Sessions"), columns, rows)


def held_out(found: StatementReport) -> Table:
    columns = [*session_columns(), Column(_("What is wrong"), width=40)]
    rows = [[*_session_row(session), session.dispute_reason] for session in found.held_out]
    return Table(_("Held out"), columns, rows)


def by_municipality(found: StatementReport) -> Table:
    columns = [Column(_("Municipality"), width=20), Column(_("Sessions"), Kind.NUMBER, 9, total=True),
               Column(_("Minutes"), Kind.NUMBER, 9, total=True), Column(_("Total"), Kind.EUROS, 12, total=True),
               Column(_("Voucher pays"), Kind.EUROS, 12, total=True),
               Column(_("Families pay"), Kind.EUROS, 12, total=True)]  # fmt: skip
    rows = [[line.municipality, line.sessions, line.minutes, line.amount_cents, line.voucher_cents,
             line.copayment_cents] for line in found.by_municipality]  # fmt: skip
    return Table(_("By municipality"), columns, rows)
