"""Every change to welfare aziendale: employers, registers, plans, wallets, reimbursements and payroll months.

Money moves only through the ledger: publishing a plan credits every employee's wallets from the employer's
funding account; a closed plan's remainder goes back to the employer or on to the next plan; an approved receipt
leaves the wallet for the payroll account, and a month marked paid leaves that for good. Nothing here pays anyone.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import Membership, Role, User
from welfare.accounts.notices import notify_resident
from welfare.audit.actions import Person, record
from welfare.employers import roster
from welfare.employers.access import resident_for
from welfare.employers.models import (
    ALL_EMPLOYEES,
    Allowance,
    Category,
    Claim,
    Employee,
    Employer,
    PayrollMonth,
    Plan,
    Wallet,
)
from welfare.employers.rules import REIMBURSABLE, fringe_cap, needs_certificate
from welfare.ledger.actions import InsufficientFunds, Leg, account_for, do_post
from welfare.ledger.chart import (
    employer_funding_account,
    paid_payroll_account,
    payroll_account,
    wallet_account_key,
)
from welfare.ledger.models import Account, Transaction
from welfare.lib.codice_fiscale import normalise_codice_fiscale
from welfare.lib.mail import absolute_url, send_after_commit
from welfare.lib.money import format_euros
from welfare.lib.tax_numbers import clean_vat_number
from welfare.lib.uploads import check_upload


@transaction.atomic
def do_register_employer(*, actor: Person | None, name: str, vat_number: str) -> Employer:
    """Register an employer, or return the one already registered with this VAT number."""
    if not name.strip():
        raise ValidationError(_("Write the company's name."), code="name_required")
    employer, created = Employer.objects.get_or_create(
        vat_number=clean_vat_number(vat_number), defaults={"name": name.strip()}
    )
    if created:
        record(actor, "employer.registered", employer)
    return employer


@transaction.atomic
def do_add_officer(employer: Employer, *, actor: User, email: str, first_name: str, last_name: str) -> Membership:
    """Give someone the welfare-officer role for this employer (an account is opened for a new address; they set
    their password with "forgot password")."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    membership, created = Membership.objects.get_or_create(user=user, role=Role.EMPLOYER_HR, employer=employer)
    if created:
        record(actor, "employer.officer_added", membership, employer=employer.pk)
        context = {"employer": employer.name, "link": absolute_url(reverse("account_reset_password")),
                   "area": absolute_url(reverse("accounts:employer_dashboard"))}  # fmt: skip
        send_after_commit("employers/email/officer", user.email, context, user.preferred_language)
    return membership


# The register of employees


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int
    ended: int
    invited: int


@transaction.atomic
def do_import_employees(
    employer: Employer, text: str, *, actor: User, complete: bool = False, today: dt.date | None = None
) -> Imported:
    """Save a register that `roster.read` finds no problem in; refused whole otherwise. A re-upload updates by
    codice fiscale, never duplicates; a leaver is ended and their unspent credit goes back to the employer."""
    Employer.objects.select_for_update().get(pk=employer.pk)  # one import of an employer at a time
    preview = roster.read(employer, text, complete=complete)
    if not preview.is_valid:
        raise ValidationError(_("The file has problems: correct them and upload it again. Nothing was saved."),
                              code="invalid_file")  # fmt: skip
    today = today or timezone.localdate()
    existing = {e.codice_fiscale: e for e in employer.employees.select_for_update()}
    created = updated = ended = invited = 0
    for row in preview.rows:
        employee = existing.get(row.codice_fiscale)
        if row.change == "same":
            continue
        if employee is None:
            employee = Employee.objects.create(
                employer=employer, codice_fiscale=row.codice_fiscale, first_name=row.first_name,
                last_name=row.last_name, email=row.email, category=row.category,
                dependent_children=row.dependent_children, ended_on=row.ended_on,
            )  # fmt: skip
            created += 1
            invited += _invite(employee)
            continue
        was_current = employee.ended_on is None
        employee.first_name, employee.last_name, employee.email = row.first_name, row.last_name, row.email
        employee.category, employee.dependent_children = row.category, row.dependent_children
        employee.ended_on = row.ended_on or employee.ended_on
        employee.save()
        updated += 1
        if was_current and employee.ended_on is not None:
            _close_wallets_of(employee, actor=actor, reason="employee left")
            ended += 1
    for employee in preview.leavers:
        _end(employee, today, actor)
        ended += 1
    record(actor, "employer.employees_imported", employer, created=created, updated=updated, ended=ended)
    return Imported(created, updated, ended, invited)


def _invite(employee: Employee) -> int:
    """An employee who is not a registered resident yet is invited to register: the wallet links by codice fiscale."""
    if resident_for(employee) is not None:
        return 0
    Employee.objects.filter(pk=employee.pk).update(invited_at=timezone.now())
    context = {"employer": employee.employer.name, "first_name": employee.first_name,
               "link": absolute_url(reverse("account_signup"))}  # fmt: skip
    send_after_commit("employers/email/invitation", employee.email, context, "it")
    return 1


def _end(employee: Employee, day: dt.date, actor: User) -> None:
    Employee.objects.filter(pk=employee.pk).update(ended_on=day)
    _close_wallets_of(employee, actor=actor, reason="employee left")


@transaction.atomic
def do_end_employee(employee: Employee, *, actor: User, day: dt.date | None = None) -> Employee:
    """A leaver is ended, never deleted: their open wallets close and what is left goes back to the employer."""
    locked = Employee.objects.select_for_update().get(pk=employee.pk)
    if locked.ended_on is not None:
        raise ValidationError(_("This employee has already left."), code="already_ended")
    _end(locked, day or timezone.localdate(), actor)
    record(actor, "employee.ended", locked)
    locked.refresh_from_db()
    return locked


# Plans


@dataclass(frozen=True)
class AllowanceInput:
    category: str
    employee_category: str
    amount_cents: int


def _check_allowances(employer: Employer, allowances: list[AllowanceInput]) -> None:
    """A plan is offered to all employees or to categories of them, never to named persons."""
    if not allowances:
        raise ValidationError(_("Give at least one amount."), code="no_allowance")
    categories = set(employer.employees.values_list("category", flat=True))
    people = {code.upper() for code in employer.employees.values_list("codice_fiscale", flat=True)}
    for first, last in employer.employees.values_list("first_name", "last_name"):
        people |= {f"{first} {last}".lower(), f"{last} {first}".lower()}
    seen = set()
    for line in allowances:
        target = line.employee_category.strip()
        if line.category not in Category.values:
            raise ValidationError(_("Choose a welfare category."), code="invalid_category")
        if line.amount_cents <= 0:
            raise ValidationError(_("Every amount must be more than zero."), code="invalid_amount")
        if target.upper() in people or target.lower() in people or _looks_like_codice_fiscale(target):
            raise ValidationError(
                _("A plan is offered to all employees or to categories of them, never to named persons: "
                  "“%(target)s” names a person."), code="names_person", params={"target": target},
            )  # fmt: skip
        if target != ALL_EMPLOYEES and target not in categories:
            raise ValidationError(
                _("No employee is in the category “%(target)s”: use a category of the register of employees."),
                code="unknown_category", params={"target": target},
            )  # fmt: skip
        if (line.category, target) in seen:
            raise ValidationError(_("The same category and employee category are given twice."), code="duplicate")
        seen.add((line.category, target))


def _looks_like_codice_fiscale(text: str) -> bool:
    from welfare.lib.codice_fiscale import validate_codice_fiscale

    try:
        validate_codice_fiscale(normalise_codice_fiscale(text))
    except ValidationError:
        return False
    return True


@transaction.atomic
def do_create_plan(
    employer: Employer, *, actor: User, year: int, name: str, agreement_reference: str, residual: str,
    productivity_bonus: bool, allowances: list[AllowanceInput], amends: Plan | None = None,
) -> Plan:  # fmt: skip
    """A draft plan. An amendment of a published plan gives, per line, the difference to add (never less)."""
    if not name.strip() or not agreement_reference.strip():
        raise ValidationError(_("Give the plan a name and the agreement it follows."), code="details_required")
    if residual not in Plan.Residual.values:
        raise ValidationError(_("Say what happens to unspent credit."), code="invalid_residual")
    if amends is not None and (amends.employer_id != employer.pk or not amends.is_published):
        raise ValidationError(_("Only a published plan of this employer can be amended."), code="invalid_amendment")
    _check_allowances(employer, allowances)
    plan = Plan.objects.create(
        employer=employer, year=amends.year if amends else year, name=name.strip(),
        agreement_reference=agreement_reference.strip(), residual=amends.residual if amends else residual,
        productivity_bonus=productivity_bonus, amends=amends,
    )  # fmt: skip
    Allowance.objects.bulk_create(
        Allowance(plan=plan, category=a.category, employee_category=a.employee_category.strip(),
                  amount_cents=a.amount_cents) for a in allowances
    )  # fmt: skip
    record(actor, "plan.created", plan, year=plan.year, amends=str(amends.pk) if amends else None)
    return plan


@transaction.atomic
def do_update_plan(plan: Plan, *, actor: User, allowances: list[AllowanceInput]) -> Plan:
    """A draft's amounts may change; a published plan's never do (amend it: the amendment posts the difference)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != Plan.Status.DRAFT:
        raise ValidationError(
            _("A published plan's amounts cannot change: create an amendment, which credits the difference."),
            code="plan_published",
        )
    _check_allowances(locked.employer, allowances)
    locked.allowances.all().delete()
    Allowance.objects.bulk_create(
        Allowance(plan=locked, category=a.category, employee_category=a.employee_category.strip(),
                  amount_cents=a.amount_cents) for a in allowances
    )  # fmt: skip
    record(actor, "plan.updated", locked)
    return locked


def amount_for(allowances: list[Allowance], category: str, employee: Employee) -> int:
    """What a plan gives this employee in `category`: the line for their employee category, else the one for all."""
    specific = general = 0
    for allowance in allowances:
        if allowance.category != category:
            continue
        if allowance.employee_category == employee.category:
            specific = allowance.amount_cents
        elif allowance.employee_category == ALL_EMPLOYEES:
            general = allowance.amount_cents
    amount = specific or general
    if category == Category.FRINGE:
        amount = min(amount, fringe_cap(employee.dependent_children))
    return amount


@transaction.atomic
def do_publish_plan(plan: Plan, *, actor: User) -> int:
    """Credit every current employee's wallets through the ledger. Returns the cents credited.

    An amendment credits its amounts into the wallets of the plan it amends and is then part of it."""
    locked = Plan.objects.select_for_update(of=("self",)).select_related("employer", "amends").get(pk=plan.pk)
    if locked.status != Plan.Status.DRAFT:
        raise ValidationError(_("This plan is already published."), code="invalid_transition")
    target = locked.amends or locked
    if locked.amends is not None and not Plan.objects.filter(pk=target.pk, status=Plan.Status.PUBLISHED).exists():
        raise ValidationError(_("The plan this amends is closed."), code="invalid_amendment")
    allowances = list(locked.allowances.all())
    employees = list(locked.employer.employees.filter(ended_on__isnull=True).order_by("pk"))
    if not employees:
        raise ValidationError(_("Upload the register of employees first: the plan has nobody to credit."),
                              code="no_employees")  # fmt: skip
    funding = employer_funding_account(locked.employer)
    total = 0
    for category in sorted({a.category for a in allowances}):
        legs = []
        for employee in employees:
            amount = amount_for(allowances, category, employee)
            if locked.amends is not None and category == Category.FRINGE:
                already = Wallet.objects.filter(employee=employee, plan=target, category=category).aggregate(
                    n=Sum("allocated_cents"))["n"] or 0  # fmt: skip
                amount = max(0, min(amount, fringe_cap(employee.dependent_children) - already))
            if amount <= 0:
                continue
            wallet = _wallet(employee, target, category)
            Wallet.objects.filter(pk=wallet.pk).update(allocated_cents=wallet.allocated_cents + amount)
            legs.append(Leg(wallet.account, amount))
            total += amount
        if legs:
            do_post(Transaction.Kind.CREDIT, [Leg(funding, -sum(leg.amount_cents for leg in legs)), *legs],
                    actor=actor, memo=f"plan {locked.pk} {category}")  # fmt: skip
    Plan.objects.filter(pk=locked.pk).update(status=Plan.Status.PUBLISHED, published_at=timezone.now())
    record(actor, "plan.published", locked, credited_cents=total, employees=len(employees))
    for employee in employees:
        resident = resident_for(employee)
        if resident is not None:
            context = {"employer": locked.employer.name, "plan": target.name,
                       "link": absolute_url(reverse("employers:wallets"))}  # fmt: skip
            notify_resident(resident, "employers/email/credited", context)
    return total


def _wallet(employee: Employee, plan: Plan, category: str) -> Wallet:
    wallet = Wallet.objects.filter(employee=employee, plan=plan, category=category).select_related("account").first()
    if wallet is not None:
        return wallet
    account = account_for(Account.Kind.EMPLOYER_WALLET, wallet_account_key(employee, plan, category),
                          employer=plan.employer)  # fmt: skip
    return Wallet.objects.create(employee=employee, plan=plan, category=category, account=account)


@transaction.atomic
def do_close_plan(plan: Plan, *, actor: User | None, successor: Plan | None = None) -> int:
    """The end of a plan's year: every wallet closes. What is left goes back to the employer ("expire"), or on to
    the same category's wallet in the next published plan ("carry over"). Never cash. Returns the cents moved."""
    locked = Plan.objects.select_for_update(of=("self",)).select_related("employer").get(pk=plan.pk)
    if locked.status != Plan.Status.PUBLISHED or locked.amends_id is not None:
        raise ValidationError(_("Only a published plan can be closed."), code="invalid_transition")
    if locked.residual == Plan.Residual.CARRY_OVER:
        successor = (
            successor
            or Plan.objects.filter(
                employer=locked.employer, year__gt=locked.year, status=Plan.Status.PUBLISHED, amends__isnull=True
            )
            .order_by("year")
            .first()
        )
        if successor is None:
            raise ValidationError(_("Unspent credit carries over: publish next year's plan first."),
                                  code="no_successor")  # fmt: skip
    moved = 0
    for wallet in Wallet.objects.filter(plan=locked, closed_at__isnull=True).select_related("employee"):
        onward = None
        if successor is not None and wallet.employee.ended_on is None:
            onward = _wallet(wallet.employee, successor, wallet.category)
        moved += _close_wallet(wallet, actor=actor, onward=onward, reason=f"plan {locked.pk} closed")
    Plan.objects.filter(pk=locked.pk).update(status=Plan.Status.CLOSED, closed_at=timezone.now())
    Plan.objects.filter(amends=locked).update(status=Plan.Status.CLOSED)
    record(actor, "plan.closed", locked, moved_cents=moved, residual=locked.residual)
    return moved


def do_close_ended_plans(today: dt.date | None = None) -> int:
    """After 31 December, the year's plans that expire close by themselves (carry-over plans wait for the next
    plan and the officer). Returns how many closed."""
    today = today or timezone.localdate()
    closed = 0
    for plan in Plan.objects.filter(status=Plan.Status.PUBLISHED, year__lt=today.year, residual=Plan.Residual.EXPIRE,
                                    amends__isnull=True):  # fmt: skip
        do_close_plan(plan, actor=None)
        closed += 1
    return closed


def _close_wallet(wallet: Wallet, *, actor: User | None, onward: Wallet | None, reason: str) -> int:
    account = Account.objects.select_for_update().get(pk=wallet.account_id)
    left = account.balance_cents
    Wallet.objects.filter(pk=wallet.pk).update(closed_at=timezone.now())
    if left <= 0:
        return 0
    if onward is not None:
        Wallet.objects.filter(pk=onward.pk).update(allocated_cents=onward.allocated_cents + left)
        do_post(Transaction.Kind.CARRY_OVER, [Leg(account, -left), Leg(onward.account, left)], actor=actor,
                memo=reason)  # fmt: skip
    else:
        funding = employer_funding_account(wallet.plan.employer)
        do_post(Transaction.Kind.EXPIRE, [Leg(account, -left), Leg(funding, left)], actor=actor, memo=reason)
    return left


def _close_wallets_of(employee: Employee, *, actor: User, reason: str) -> None:
    for wallet in Wallet.objects.filter(employee=employee, closed_at__isnull=True).select_related("plan__employer"):
        _close_wallet(wallet, actor=actor, onward=None, reason=reason)


# Reimbursements on receipts


@dataclass(frozen=True)
class ClaimInput:
    relation: str
    beneficiary_name: str
    beneficiary_birth_date: dt.date
    amount_cents: int
    receipt_date: dt.date


def file_hash(upload: UploadedFile[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def do_submit_claim(
    wallet: Wallet, *, actor: User, data: ClaimInput, receipt: UploadedFile[bytes],
    certificate: UploadedFile[bytes] | None = None,
) -> Claim:  # fmt: skip
    """An employee asks for a receipt to be reimbursed from one of their wallets. Refused whole, with the reason,
    when a rule is not met; the amount is held only when the officer approves."""
    wallet = Wallet.objects.select_related("plan", "employee", "account").get(pk=wallet.pk)
    if wallet.category not in REIMBURSABLE:
        raise ValidationError(_("Credits of this category pay services directly: they are not reimbursed on "
                                "receipts."), code="not_reimbursable")  # fmt: skip
    if not wallet.is_open or wallet.employee.ended_on is not None:
        raise ValidationError(_("This credit is closed."), code="wallet_closed")
    if data.relation not in Claim.Relation.values or not data.beneficiary_name.strip():
        raise ValidationError(_("Say for whom the expense was, with their name."), code="relation_required")
    if data.relation == Claim.Relation.SELF and wallet.category in (Category.F_BIS, Category.F_TER):
        raise ValidationError(_("This category is for expenses of family members, not your own."),
                              code="relation_not_allowed")  # fmt: skip
    if wallet.category == Category.F_BIS and data.relation != Claim.Relation.CHILD:
        raise ValidationError(_("Education and childcare expenses are reimbursed for your children."),
                              code="relation_not_allowed")  # fmt: skip
    if data.receipt_date.year != wallet.plan.year or data.receipt_date > timezone.localdate():
        raise ValidationError(_("The receipt must be dated within the plan's year %(year)d, and not in the future.")
                              % {"year": wallet.plan.year}, code="date_outside_plan")  # fmt: skip
    if needs_certificate(wallet.category, data.beneficiary_birth_date, data.receipt_date) and certificate is None:
        raise ValidationError(_("For a family member under 75, attach the medical certificate of "
                                "non-self-sufficiency."), code="certificate_required")  # fmt: skip
    if data.amount_cents <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="invalid_amount")
    if data.amount_cents > wallet.account.balance_cents - _held(wallet):
        raise ValidationError(_("The amount is more than what is left of this credit (%(left)s).")
                              % {"left": format_euros(wallet.account.balance_cents - _held(wallet))},
                              code="insufficient_funds")  # fmt: skip
    checked = check_upload(receipt)
    digest = file_hash(receipt)
    if Claim.objects.filter(content_hash=digest).exclude(status=Claim.Status.REJECTED).exists():
        raise ValidationError(_("This receipt has already been submitted."), code="receipt_used")
    claim = Claim(
        wallet=wallet, employee=wallet.employee, relation=data.relation,
        beneficiary_name=data.beneficiary_name.strip(), beneficiary_birth_date=data.beneficiary_birth_date,
        amount_cents=data.amount_cents, receipt_date=data.receipt_date, submitted_by=actor,
        name=Path(receipt.name or "ricevuta").name[:200], content_type=checked.content_type, size=checked.size,
        content_hash=digest,
    )  # fmt: skip
    claim.receipt.save(f"ricevuta.{checked.extension}", receipt, save=False)
    if certificate is not None:
        certified = check_upload(certificate)
        claim.certificate.save(f"certificato.{certified.extension}", certificate, save=False)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise ValidationError(_("This receipt has already been submitted."), code="receipt_used") from None
    record(actor, "claim.submitted", claim, amount_cents=claim.amount_cents, category=wallet.category)
    return claim


def _held(wallet: Wallet) -> int:
    """What claims waiting for the officer would take from the wallet: a new claim cannot count on it."""
    return Claim.objects.filter(wallet=wallet, status=Claim.Status.SUBMITTED).aggregate(n=Sum("amount_cents"))["n"] or 0


def payroll_month_for(employer: Employer, today: dt.date) -> dt.date:
    """The first month, from this one on, whose payroll has not been marked paid."""
    month = today.replace(day=1)
    paid = set(PayrollMonth.objects.filter(employer=employer, month__gte=month).values_list("month", flat=True))
    while month in paid:
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return month


@transaction.atomic
def do_decide_claim(claim: Claim, *, actor: User, approve: bool, reason: str = "") -> Claim:
    """The officer approves (the amount leaves the wallet and waits in the payroll export) or rejects with a reason."""
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("wallet__plan__employer", "wallet__account")
        .get(pk=claim.pk)
    )
    if locked.status != Claim.Status.SUBMITTED:
        raise ValidationError(_("This claim has already been decided."), code="invalid_transition")
    if not approve:
        if not reason.strip():
            raise ValidationError(_("Tell the employee why the claim is rejected."), code="reason_required")
        locked.status, locked.reason = Claim.Status.REJECTED, reason.strip()
    else:
        employer = locked.wallet.plan.employer
        try:
            locked.transaction = do_post(
                Transaction.Kind.REIMBURSE,
                [Leg(locked.wallet.account, -locked.amount_cents), Leg(payroll_account(employer), locked.amount_cents)],
                actor=actor, memo=f"claim {locked.pk}",
            )  # fmt: skip
        except InsufficientFunds:
            raise ValidationError(_("What is left of the credit no longer covers this claim: reject it with the "
                                    "reason."), code="insufficient_funds") from None  # fmt: skip
        locked.status, locked.reason = Claim.Status.APPROVED, reason.strip()
        locked.payroll_month = payroll_month_for(employer, timezone.localdate())
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save()
    record(actor, f"claim.{locked.status}", locked, amount_cents=locked.amount_cents)
    return locked


@transaction.atomic
def do_mark_payroll_paid(employer: Employer, month: dt.date, *, actor: User) -> PayrollMonth:
    """The officer says the employer's payroll of `month` paid the approved claims in its export."""
    Employer.objects.select_for_update().get(pk=employer.pk)
    month = month.replace(day=1)
    if PayrollMonth.objects.filter(employer=employer, month=month).exists():
        raise ValidationError(_("This month is already marked as paid."), code="already_paid")
    claims = Claim.objects.filter(wallet__plan__employer=employer, status=Claim.Status.APPROVED, payroll_month=month)
    total = claims.aggregate(n=Sum("amount_cents"))["n"] or 0
    if total == 0:
        raise ValidationError(_("There is nothing to pay for this month."), code="empty")
    posted = do_post(Transaction.Kind.PAYROLL, [Leg(payroll_account(employer), -total),
                                                Leg(paid_payroll_account(employer), total)],
                     actor=actor, memo=f"payroll {month:%Y-%m}")  # fmt: skip
    paid = PayrollMonth.objects.create(employer=employer, month=month, paid_at=timezone.now(), paid_by=actor,
                                       total_cents=total, transaction=posted)  # fmt: skip
    claims.update(status=Claim.Status.PAID)
    record(actor, "payroll.paid", paid, total_cents=total)
    return paid
