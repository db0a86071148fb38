"""Monthly statements: totals equal the ledger's movements, disputes held out, approved means locked."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from welfare.delivery.actions import (
    SessionInput,
    do_approve_statement,
    do_correct_session,
    do_dispute_session,
    do_generate_month,
    do_generate_statement,
    do_log_session,
    do_return_statement,
    do_submit_statement,
    do_withdraw_session,
)
from welfare.delivery.queries import report
from welfare.ledger.models import Account, Entry

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)


def log(request, actor, start, end):
    return do_log_session(request, actor=actor, data=SessionInput(
        day=TODAY, starts_at=dt.time(start), ends_at=dt.time(end), operator="Marta", activity="Compiti",
    ))  # fmt: skip


@pytest.fixture
def month_of_work(voucher_request, pietro, alice):
    confirmed = log(voucher_request, pietro, 9, 11)
    silent = log(voucher_request, pietro, 11, 12)
    disputed = log(voucher_request, pietro, 14, 15)
    from welfare.delivery.actions import do_confirm_session
    from welfare.delivery.models import Session

    do_confirm_session(confirmed, actor=alice)
    Session.objects.filter(pk=silent.pk).update(confirm_by=TODAY - dt.timedelta(days=1))  # nobody answered in time
    do_dispute_session(disputed, actor=alice, reason="Non è venuta")
    return confirmed, silent, disputed


def test_the_statement_takes_confirmed_and_silent_sessions_and_holds_disputes_out(
    month_of_work, voucher_request, pietro
):
    confirmed, silent, disputed = month_of_work
    statement = do_generate_statement(voucher_request.organization, voucher_request.voucher.programme, MONTH,
                                      actor=pietro)  # fmt: skip
    assert set(statement.sessions.values_list("pk", flat=True)) == {confirmed.pk, silent.pk}
    assert (statement.sessions_count, statement.minutes, statement.amount_cents) == (2, 180, 6600)
    assert (statement.voucher_cents, statement.copayment_cents) == (5940, 660)
    found = report(statement)
    assert [s.pk for s in found.held_out] == [disputed.pk]
    assert [(line.municipality, line.amount_cents) for line in found.by_municipality] == [("Tradate", 6600)]
    (voucher,) = found.vouchers
    assert voucher.balance_cents == 150_000 - 5940 - 1980  # the disputed session's money is still taken


def test_the_statements_figures_agree_and_each_says_what_it_includes(client, month_of_work, voucher_request, pietro):
    """Issue 17, defect 8: "used" mixed the held-out session's 19,80 € with the statement's 59,40 €."""
    statement = do_generate_statement(voucher_request.organization, voucher_request.voucher.programme, MONTH,
                                      actor=pietro)  # fmt: skip
    found = report(statement)
    (voucher,) = found.vouchers
    assert sum(line.in_statement_cents for line in found.vouchers) == statement.voucher_cents == 5940
    assert sum(line.voucher_cents for line in found.by_municipality) == statement.voucher_cents
    assert voucher.held_out_cents == sum(session.voucher_cents for session in found.held_out) == 1980
    assert voucher.other_cents == 0
    ledger_balance = Account.objects.get(voucher=voucher_request.voucher).balance_cents
    assert voucher.balance_cents == ledger_balance  # nothing after the month: the ledger agrees
    from welfare.vouchers.queries import budget_lines

    (tradate,) = [line for line in budget_lines(statement.programme) if line.municipality_name == "Tradate"]
    assert tradate.spent_cents == voucher.in_statement_cents + voucher.held_out_cents + voucher.other_cents
    client.force_login(pietro)
    page = client.get(reverse("delivery:provider_statement", args=[statement.pk]), HTTP_ACCEPT_LANGUAGE="it")
    assert "Escluse da questo rendiconto" in page.text
    assert "In questo rendiconto" in page.text


def test_the_statement_totals_equal_the_ledger_movements(month_of_work, voucher_request, pietro):
    statement = do_generate_statement(voucher_request.organization, voucher_request.voucher.programme, MONTH,
                                      actor=pietro)  # fmt: skip
    moved = Entry.objects.filter(transaction__session__statement=statement)
    assert moved.filter(account__kind=Account.Kind.PROVIDER).aggregate(t=Sum("amount_cents"))["t"] == (
        statement.amount_cents
    )
    assert -moved.filter(account__kind=Account.Kind.VOUCHER).aggregate(t=Sum("amount_cents"))["t"] == (
        statement.voucher_cents
    )
    assert -moved.filter(account__kind=Account.Kind.COPAYMENT).aggregate(t=Sum("amount_cents"))["t"] == (
        statement.copayment_cents
    )


def test_an_approved_statement_is_locked(month_of_work, voucher_request, pietro, diana):
    confirmed, _silent, _disputed = month_of_work
    statement = do_generate_statement(voucher_request.organization, voucher_request.voucher.programme, MONTH,
                                      actor=pietro)  # fmt: skip
    do_submit_statement(statement, actor=pietro)
    do_return_statement(statement, actor=diana, reason="Manca la firma del registro")
    do_submit_statement(statement, actor=pietro)
    approved = do_approve_statement(statement, actor=diana)
    assert approved.status == "approved"
    with pytest.raises(ValidationError) as locked:
        do_correct_session(confirmed, actor=pietro, data=SessionInput(
            day=TODAY, starts_at=dt.time(9), ends_at=dt.time(10), operator="M", activity="C"), reason="x")  # fmt: skip
    assert locked.value.code == "statement_locked"
    with pytest.raises(ValidationError):
        do_withdraw_session(confirmed, actor=pietro, reason="x")
    with pytest.raises(ValidationError):
        do_generate_statement(statement.organization, statement.programme, MONTH, actor=pietro)
    with pytest.raises(ValidationError):
        do_return_statement(statement, actor=diana, reason="ripensamento")
    with pytest.raises(ValidationError) as month_closed:
        log(voucher_request, pietro, 18, 19)
    assert month_closed.value.code == "month_locked"
    statement.refresh_from_db()
    assert statement.amount_cents == 6600


def test_a_month_is_generated_for_every_provider(month_of_work, voucher_request):
    (statement,) = do_generate_month(MONTH)
    assert statement.sessions_count == 2


def test_statement_pages_and_exports(client, month_of_work, voucher_request, pietro, rita, diana):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(pietro)
    response = client.post(reverse("delivery:provider_statements"), {
        "programme": voucher_request.voucher.programme_id, "month": f"{MONTH:%Y-%m}",
    })  # fmt: skip
    assert response.status_code == 302
    statement = voucher_request.organization.statements.get()
    page = client.get(reverse("delivery:provider_statement", args=[statement.pk]))
    assert "66,00 €" in page.text
    client.post(reverse("delivery:provider_statement", args=[statement.pk]), {"submit": "1"})
    statement.refresh_from_db()
    assert statement.status == "submitted"

    def workbook():
        export = client.get(
            reverse("delivery:statement_export", args=[statement.pk, "xlsx"]), HTTP_ACCEPT_LANGUAGE="it"
        )
        return load_workbook(BytesIO(export.content))

    submitted = workbook()
    assert submitted.sheetnames == ["Riepilogo", "Prestazioni", "Escluse", "Per comune"]
    facts = {row[0].value: row[1].value for row in submitted["Riepilogo"].iter_rows()}
    assert facts["Stato"] == "Inviato all'Ufficio di Piano"
    assert facts["Totale"] == 66  # euros, a number
    assert submitted["Riepilogo"]["B8"].number_format == '#,##0.00 "€"'
    sessions = submitted["Prestazioni"]
    assert sessions.freeze_panes == "A2"
    assert sessions.max_row == 4  # header, two sessions, totals
    assert isinstance(sessions["A2"].value, dt.datetime)  # a date, not text
    assert sessions["A2"].number_format == "d/m/yyyy"
    assert [cell.value for cell in sessions[4]][:1] == ["Totale"]
    assert sessions["H4"].value == 66
    assert sessions["I4"].value == pytest.approx(59.4)
    assert sessions.column_dimensions["E"].width >= 20
    held = submitted["Escluse"]
    assert held.max_row == 3  # header, the disputed session, totals
    assert held["M2"].value == "Non è venuta"
    pdf = client.get(reverse("delivery:statement_export", args=[statement.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")

    client.force_login(rita)  # another provider
    assert client.get(reverse("delivery:provider_statement", args=[statement.pk])).status_code == 404
    assert client.get(reverse("delivery:statement_export", args=[statement.pk, "pdf"])).status_code == 404

    client.force_login(diana)
    assert statement.organization.name in client.get(reverse("delivery:admin_statements")).text
    client.post(reverse("delivery:admin_statement", args=[statement.pk]), {"approve": "1"})
    statement.refresh_from_db()
    assert statement.status == "approved"
    approved = {row[0].value: row[1].value for row in workbook()["Riepilogo"].iter_rows()}
    assert approved["Stato"] == "Approvato"
    assert approved["Approvato da"] == diana.get_full_name()
    assert isinstance(approved["Approvato il"], dt.datetime)
    assert approved != facts  # a draft and an approved file differ


def test_the_commands_confirm_by_silence_and_generate_the_month(month_of_work, capsys):
    from django.core.management import call_command

    call_command("confirm_silent_sessions")
    assert "1." in capsys.readouterr().out  # the session whose deadline passed
    call_command("generate_statements", "--month", f"{MONTH:%Y-%m}")
    assert "Statements for" in capsys.readouterr().out
