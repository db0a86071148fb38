"""Welfare aziendale through the actions: the register, plans and wallets, three payers on one service,
reimbursements and the payroll, year-end expiry, and what each side sees."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from welfare.audit.models import AuditEntry
from welfare.employers import roster
from welfare.employers.actions import (
    AllowanceInput,
    ClaimInput,
    do_close_plan,
    do_create_plan,
    do_decide_claim,
    do_end_employee,
    do_import_employees,
    do_mark_payroll_paid,
    do_publish_plan,
    do_register_employer,
    do_submit_claim,
    do_update_plan,
)
from welfare.employers.models import Claim, Employee, Plan, Wallet
from welfare.employers.queries import company_figures, employer_spending, wallet_spending_in_ledger
from welfare.employers.tests.conftest import YEAR, roster_csv, wallet_of
from welfare.ledger.actions import reconcile
from welfare.ledger.models import Account, Entry, Transaction

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pdf(content: bytes = b"scontrino 1") -> SimpleUploadedFile:
    return SimpleUploadedFile("ricevuta.pdf", b"%PDF-1.4 " + content, content_type="application/pdf")


def test_an_employer_is_registered_with_a_valid_vat_number_only():
    with pytest.raises(ValidationError) as refused:
        do_register_employer(actor=None, name="Ditta", vat_number="12345678901")
    assert refused.value.code == "invalid_vat"
    employer = do_register_employer(actor=None, name="Ditta", vat_number="IT 01987650122")
    assert employer.vat_number == "01987650122"


# The register


def test_the_preview_names_every_row_problem_and_nothing_is_saved(employer, enzo, alice):
    text = roster_csv(alice, extra="NOTACODE;Mario;;mario@;impiegati;forse\n")
    preview = roster.read(employer, text)
    assert not preview.is_valid
    (bad,) = [row for row in preview.rows if row.problems]
    assert bad.line == 8
    assert len(bad.problems) == 4  # codice fiscale, name, email, children
    with pytest.raises(ValidationError):
        do_import_employees(employer, text, actor=enzo)
    assert not Employee.objects.exists()
    missing = roster.read(employer, "codice_fiscale;nome\nX;Y\n")
    assert "cognome, email, categoria" in missing.problems[0]


def test_a_reupload_updates_never_duplicates_and_a_leaver_is_ended(employer, enzo, alice):
    first = do_import_employees(employer, roster_csv(alice), actor=enzo)
    assert (first.created, first.updated) == (6, 0)
    assert first.invited == 5  # alice is a registered resident: linked by codice fiscale, not invited
    changed = roster_csv(alice).replace(
        "Marco;Verdi;marco@example.org;impiegati", "Marco;Verdi;marco@example.org;operai"
    )
    again = do_import_employees(employer, changed, actor=enzo)
    assert (again.created, again.updated) == (0, 1)
    assert Employee.objects.count() == 6
    assert Employee.objects.get(first_name="Marco").category == "operai"
    # The whole register without Marco: Marco has left, and is ended, not deleted.
    whole = "\n".join(line for line in changed.splitlines() if "Marco" not in line) + "\n"
    done = do_import_employees(employer, whole, actor=enzo, complete=True)
    assert done.ended == 1
    assert Employee.objects.get(first_name="Marco").ended_on == TODAY()


def test_a_semicolon_or_comma_file_in_windows_encoding_is_read(employer, alice):
    text = roster_csv(alice).replace(";", ",").replace("Rossi", "Rossì")
    data = roster.decode(text.encode("cp1252"))
    preview = roster.read(employer, data)
    assert preview.is_valid
    assert preview.count("new") == 6


# Plans and wallets


def test_publishing_credits_every_wallet_through_the_ledger(plan, alice):
    fringe = wallet_of(alice, "fringe")
    assert fringe.account.balance_cents == 150000  # alice declares dependent children: cap 2.000 €
    marco = Wallet.objects.get(employee__first_name="Marco", category="fringe")
    assert marco.account.balance_cents == 100000  # no children declared: capped at 1.000 €
    assert wallet_of(alice, "f_ter").account.balance_cents == 20000
    funding = Account.objects.get(kind=Account.Kind.EMPLOYER_FUNDING)
    credited = Wallet.objects.aggregate(total=Sum("allocated_cents"))["total"]
    assert funding.balance_cents == -credited
    assert Transaction.objects.filter(kind=Transaction.Kind.CREDIT).count() == 4  # one posting per category
    assert reconcile() == []


def test_a_plan_never_names_a_person(registered, enzo, alice):
    for target in ("Alice Rossi", "rossi alice", alice.citizen_profile.codice_fiscale):
        with pytest.raises(ValidationError) as refused:
            do_create_plan(registered, actor=enzo, year=YEAR, name="Piano", agreement_reference="Accordo",
                           residual="expire", productivity_bonus=False,
                           allowances=[AllowanceInput("f", target, 10000)])  # fmt: skip
        assert refused.value.code == "names_person"
    with pytest.raises(ValidationError) as unknown:
        do_create_plan(
            registered,
            actor=enzo,
            year=YEAR,
            name="Piano",
            agreement_reference="Accordo",
            residual="expire",
            productivity_bonus=False,
            allowances=[AllowanceInput("f", "dirigenti", 1)],
        )
    assert unknown.value.code == "unknown_category"
    assert not Plan.objects.exists()


def test_a_published_plan_is_amended_never_edited(plan, enzo, alice):
    with pytest.raises(ValidationError) as refused:
        do_update_plan(plan, actor=enzo, allowances=[AllowanceInput("f", "", 99900)])
    assert refused.value.code == "plan_published"
    amendment = do_create_plan(plan.employer, actor=enzo, year=YEAR, name="Integrazione", agreement_reference="Acc.",
                               residual="expire", productivity_bonus=False,
                               allowances=[AllowanceInput("f", "", 5000), AllowanceInput("fringe", "", 90000)],
                               amends=plan)  # fmt: skip
    do_publish_plan(amendment, actor=enzo)
    assert wallet_of(alice, "f").account.balance_cents == 15000  # the difference, posted into the same wallet
    assert wallet_of(alice, "fringe").account.balance_cents == 200000  # up to the 2.000 € cap, not beyond
    assert Wallet.objects.get(employee__first_name="Marco", category="fringe").account.balance_cents == 100000
    assert reconcile() == []


def test_closing_a_plan_gives_the_remainder_back_to_the_employer_never_cash(plan, enzo, alice):
    funding = Account.objects.get(kind=Account.Kind.EMPLOYER_FUNDING)
    before = funding.balance_cents
    left = sum(w.account.balance_cents for w in Wallet.objects.select_related("account"))
    assert do_close_plan(plan, actor=enzo) == left
    funding.refresh_from_db()
    assert funding.balance_cents == before + left
    assert not Account.objects.filter(kind=Account.Kind.EMPLOYER_WALLET).exclude(balance_cents=0).exists()
    assert reconcile() == []


def test_an_employee_who_leaves_loses_the_credit_to_the_employer(plan, enzo, alice):
    employee = Employee.objects.get(first_name="Marco")
    do_end_employee(employee, actor=enzo)
    assert not Wallet.objects.filter(employee=employee, closed_at__isnull=True).exists()
    assert sum(w.account.balance_cents for w in Wallet.objects.filter(employee=employee).select_related("account")) == 0
    assert reconcile() == []


# Three payers on one service


@pytest.fixture
def split_request(plan, programme, accredited, catalogue, alice, child, sofia, diana, pietro):
    """Luca's educational service: a 10% co-payment voucher, then alice's f-bis credit, then the family."""
    from conftest import issued_voucher
    from welfare.accounts.access import ALL_POWERS, Acting
    from welfare.care.actions import do_confirm, do_propose, do_start, do_submit_request
    from welfare.vouchers.queries import voucher_choices

    issued_voucher(programme, alice, sofia, diana, isee_cents=500_000, member=child)
    acting = Acting(actor=alice, citizen=alice, powers=ALL_POWERS)
    (choice,) = voucher_choices(acting, catalogue.educativa)
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti",
                                voucher=choice, wallet=wallet_of(alice, "f_bis"))  # fmt: skip
    do_propose(request, actor=pietro, start=TODAY(), schedule="Lun 15-17", operator="Marta",
               price_cents=choice.accreditation.hourly_tariff_cents, funding="voucher")  # fmt: skip
    do_confirm(request, actor=alice)
    do_start(request, actor=pietro)
    request.refresh_from_db()
    return request


def log(request, pietro, day, start, end):
    from welfare.delivery.actions import SessionInput, do_log_session

    return do_log_session(request, actor=pietro, data=SessionInput(day=day, starts_at=dt.time(start),
                                                                      ends_at=dt.time(end), operator="Marta",
                                                                      activity="Compiti"))  # fmt: skip


def test_voucher_then_credit_then_family_split_to_the_cent(split_request, alice, pietro):
    shares = split_request.hour_shares
    assert (shares.total_cents, shares.voucher_cents, shares.employer_cents, shares.family_cents) == (
        2200,
        1980,
        220,
        0,
    )
    session = log(split_request, pietro, TODAY(), 15, 17)
    assert (session.amount_cents, session.voucher_cents, session.employer_cents, session.copayment_cents) == (
        4400, 3960, 440, 0)  # fmt: skip
    entries = dict(Entry.objects.filter(transaction=session.transaction).values_list("account__kind", "amount_cents"))
    assert entries[Account.Kind.EMPLOYER_WALLET] == -440
    assert entries[Account.Kind.PROVIDER] == 4400
    assert wallet_of(alice, "f_bis").account.balance_cents == 30000 - 440
    assert reconcile() == []


def test_when_the_credit_runs_out_mid_session_the_family_pays_the_rest(split_request, alice, pietro, enzo):
    wallet = wallet_of(alice, "f_bis")  # 299 € of its 300 € reimbursed for a nursery receipt: 1 € left
    claim = do_submit_claim(wallet, actor=alice, data=claim_input(relation="child", amount_cents=29900), receipt=pdf())
    do_decide_claim(claim, actor=enzo, approve=True)
    session = log(split_request, pietro, TODAY(), 15, 17)
    assert (session.voucher_cents, session.employer_cents, session.copayment_cents) == (3960, 100, 340)
    assert "no_credit_left" in session.flags
    assert Account.objects.get(pk=wallet.account_id).balance_cents == 0
    assert reconcile() == []


def test_a_withdrawn_session_gives_the_credit_back_and_the_ledger_agrees(split_request, alice, pietro):
    from welfare.delivery.actions import do_withdraw_session

    session = log(split_request, pietro, TODAY(), 15, 17)
    do_withdraw_session(session, actor=pietro, reason="Errore")
    assert wallet_of(alice, "f_bis").account.balance_cents == 30000
    assert wallet_spending_in_ledger(split_request.wallet.plan.employer) == 0
    assert reconcile() == []


def test_the_statement_employer_column_equals_the_ledger_per_employer(split_request, alice, pietro, programme):
    from welfare.delivery.actions import do_confirm_session, do_generate_statement, month_of
    from welfare.delivery.queries import report

    first = log(split_request, pietro, TODAY(), 15, 17)
    second = log(split_request, pietro, TODAY(), 9, 10)
    for session in (first, second):
        do_confirm_session(session, actor=alice)
    statement = do_generate_statement(split_request.organization, programme, month_of(TODAY()), actor=pietro)
    assert statement.employer_cents == 440 + 220
    (line,) = report(statement).by_employer
    assert (line.employer, line.employer_cents, line.ledger_cents) == ("Manifattura Olona S.p.A.", 660, 660)
    (spent,) = employer_spending()
    assert (spent.employer, spent.municipality, spent.employer_cents) == ("Manifattura Olona S.p.A.", "Tradate", 660)


def test_a_credit_that_does_not_fit_the_person_or_the_service_is_refused(plan, catalogue, alice, child, bob):
    from welfare.care.actions import do_submit_request

    f_ter = wallet_of(alice, "f_ter")  # Luca is certified non-self-sufficient, but ADM is not an f-ter kind
    with pytest.raises(ValidationError) as kind:
        do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti", wallet=f_ter)
    assert kind.value.code == "no_employer_credit"
    with pytest.raises(ValidationError) as person:
        do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Compiti",
                          wallet=wallet_of(alice, "f_bis"))  # fmt: skip
    assert person.value.code == "no_employer_credit"  # f-bis is for a child, not for alice herself


def test_employer_funding_needs_the_credit_the_family_chose(catalogue, alice, pietro, plan):
    from welfare.care.actions import do_propose, do_submit_request

    request = do_submit_request(actor=alice, service=catalogue.sportello, beneficiary=None, needs="Ascolto")
    with pytest.raises(ValidationError) as refused:
        do_propose(request, actor=pietro, start=TODAY(), schedule="x", operator="y", price_cents=1000,
                   funding="employer")  # fmt: skip
    assert refused.value.code == "no_employer_credit"
    with_credit = do_submit_request(actor=alice, service=catalogue.sportello, beneficiary=None, needs="Ascolto",
                                    wallet=wallet_of(alice, "f"))  # fmt: skip
    with pytest.raises(ValidationError) as family:
        do_propose(with_credit, actor=pietro, start=TODAY(), schedule="x", operator="y", price_cents=1000,
                   funding="family")  # fmt: skip
    assert family.value.code == "employer_credit_chosen"


# Reimbursements and the payroll


def claim_input(**changes):
    data = {"relation": "parent", "beneficiary_name": "Anna Rossi", "beneficiary_birth_date": dt.date(1940, 2, 1),
            "amount_cents": 5000, "receipt_date": TODAY()} | changes  # fmt: skip
    return ClaimInput(**data)


def test_a_receipt_is_claimed_approved_exported_and_paid(plan, enzo, alice):
    wallet = wallet_of(alice, "f_ter")
    claim = do_submit_claim(wallet, actor=alice, data=claim_input(), receipt=pdf())
    assert wallet_of(alice, "f_ter").account.balance_cents == 20000  # held only when approved
    approved = do_decide_claim(claim, actor=enzo, approve=True)
    assert approved.payroll_month == TODAY().replace(day=1)
    assert wallet_of(alice, "f_ter").account.balance_cents == 15000
    payroll = Account.objects.get(kind=Account.Kind.PAYROLL)
    assert payroll.balance_cents == 5000
    paid = do_mark_payroll_paid(plan.employer, TODAY(), actor=enzo)
    assert paid.total_cents == 5000
    payroll.refresh_from_db()
    assert payroll.balance_cents == 0
    assert Claim.objects.get().status == Claim.Status.PAID
    with pytest.raises(ValidationError):
        do_mark_payroll_paid(plan.employer, TODAY(), actor=enzo)
    assert reconcile() == []


@pytest.mark.parametrize(
    ("category", "changes", "certificate", "code"),
    [
        ("f_ter", {"beneficiary_birth_date": dt.date(1960, 1, 1)}, False, "certificate_required"),
        ("f_ter", {"amount_cents": 20001}, False, "insufficient_funds"),
        ("f_ter", {"receipt_date": dt.date(YEAR - 1, 12, 31)}, False, "date_outside_plan"),
        ("f_bis", {"relation": "parent"}, False, "relation_not_allowed"),
        ("f_ter", {"relation": "self"}, False, "relation_not_allowed"),
        ("f", {}, False, "not_reimbursable"),
        ("fringe", {}, False, "not_reimbursable"),
    ],
)
def test_a_claim_breaking_a_rule_is_refused_and_nothing_is_saved(plan, alice, category, changes, certificate, code):
    with pytest.raises(ValidationError) as refused:
        do_submit_claim(wallet_of(alice, category), actor=alice, data=claim_input(**changes), receipt=pdf())
    assert refused.value.code == code
    assert not Claim.objects.exists()


def test_an_f_ter_claim_under_75_with_the_certificate_is_accepted(plan, alice):
    claim = do_submit_claim(wallet_of(alice, "f_ter"), actor=alice,
                            data=claim_input(beneficiary_birth_date=dt.date(1960, 1, 1)), receipt=pdf(),
                            certificate=pdf(b"certificato"))  # fmt: skip
    assert claim.certificate


def test_a_receipt_is_accepted_once_even_under_another_name(plan, alice):
    do_submit_claim(wallet_of(alice, "f_ter"), actor=alice, data=claim_input(), receipt=pdf())
    again = pdf()
    again.name = "altro-nome.pdf"
    with pytest.raises(ValidationError) as refused:
        do_submit_claim(wallet_of(alice, "f_bis"), actor=alice, data=claim_input(relation="child"), receipt=again)
    assert refused.value.code == "receipt_used"


def test_waiting_claims_count_against_the_balance(plan, alice):
    wallet = wallet_of(alice, "f_ter")
    do_submit_claim(wallet, actor=alice, data=claim_input(amount_cents=15000), receipt=pdf(b"a"))
    with pytest.raises(ValidationError) as refused:
        do_submit_claim(wallet, actor=alice, data=claim_input(amount_cents=6000), receipt=pdf(b"b"))
    assert refused.value.code == "insufficient_funds"


def test_a_rejection_needs_a_reason(plan, enzo, alice):
    claim = do_submit_claim(wallet_of(alice, "f_ter"), actor=alice, data=claim_input(), receipt=pdf())
    with pytest.raises(ValidationError):
        do_decide_claim(claim, actor=enzo, approve=False)
    rejected = do_decide_claim(claim, actor=enzo, approve=False, reason="Ricevuta illeggibile")
    assert rejected.status == Claim.Status.REJECTED
    assert wallet_of(alice, "f_ter").account.balance_cents == 20000
    assert AuditEntry.objects.filter(verb="claim.rejected").exists()


# What each side sees


def test_the_officer_sees_groups_only_and_small_groups_as_fewer_than_five(plan, enzo, alice):
    figures = company_figures(plan.employer, YEAR)
    f_ter = next(row for row in figures.rows if row.category == "f_ter")
    assert (f_ter.people, f_ter.too_few, f_ter.allocated_cents) == (6, False, 120000)
    do_import_employees(
        plan.employer,
        roster_csv(alice).replace("Marco;Verdi;marco@example.org;impiegati", "Marco;Verdi;marco@example.org;dirigenti"),
        actor=enzo,
    )
    amendment = do_create_plan(plan.employer, actor=enzo, year=YEAR, name="Dirigenti", agreement_reference="Acc.",
                               residual="expire", productivity_bonus=False,
                               allowances=[AllowanceInput("f", "dirigenti", 5000)], amends=plan)  # fmt: skip
    do_publish_plan(amendment, actor=enzo)
    rows = {(row.category, row.employee_category): row for row in company_figures(plan.employer, YEAR).rows}
    assert rows[("f", "dirigenti")].too_few


def test_last_years_expiring_plans_close_by_themselves_and_carry_over_plans_wait(plan, enzo):
    from django.core.management import call_command

    carry = do_create_plan(
        plan.employer,
        actor=enzo,
        year=YEAR,
        name="Altro",
        agreement_reference="Acc.",
        residual="carry_over",
        productivity_bonus=False,
        allowances=[AllowanceInput("f", "", 100)],
    )
    do_publish_plan(carry, actor=enzo)
    call_command("close_welfare_plans")  # still this year: nothing closes
    assert Plan.objects.filter(status=Plan.Status.CLOSED).count() == 0
    from welfare.employers.actions import do_close_ended_plans

    assert do_close_ended_plans(dt.date(YEAR + 1, 1, 1)) == 1
    assert set(Plan.objects.values_list("name", "status")) == {(plan.name, "closed"), ("Altro", "published")}
    with pytest.raises(ValidationError) as refused:
        do_close_plan(carry, actor=enzo)  # carries over: next year's plan first
    assert refused.value.code == "no_successor"
    assert reconcile() == []


def test_a_carry_over_plan_moves_the_remainder_into_next_years_wallets(registered, enzo, alice):
    def publish(year, residual, cents):
        made = do_create_plan(
            registered,
            actor=enzo,
            year=year,
            name=f"Piano {year}",
            agreement_reference="Acc.",
            residual=residual,
            productivity_bonus=False,
            allowances=[AllowanceInput("f", "", cents)],
        )
        do_publish_plan(made, actor=enzo)
        return made

    this_year, next_year = publish(YEAR, "carry_over", 10000), publish(YEAR + 1, "expire", 5000)
    assert do_close_plan(this_year, actor=enzo) == 6 * 10000
    following = Wallet.objects.select_related("account").get(employee__codice_fiscale=alice.citizen_profile
                                                              .codice_fiscale, plan=next_year)  # fmt: skip
    assert (following.account.balance_cents, following.allocated_cents) == (15000, 15000)
    assert Transaction.objects.filter(kind=Transaction.Kind.CARRY_OVER).count() == 6
    assert reconcile() == []
