"""Pages of welfare aziendale: the employee's credits and receipts, the company's welfare officer, and the planning
office's register of employers. Every fetch is scoped by `employers.access`; every change goes through an action."""

import csv
import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import Power, acting_of, request_user, require_role
from welfare.accounts.models import Role
from welfare.audit.actions import record
from welfare.employers import access, roster
from welfare.employers.actions import (
    ClaimInput,
    do_add_officer,
    do_close_plan,
    do_create_plan,
    do_decide_claim,
    do_end_employee,
    do_import_employees,
    do_mark_payroll_paid,
    do_publish_plan,
    do_register_employer,
    do_submit_claim,
)
from welfare.employers.forms import (
    ClaimForm,
    DecisionForm,
    EmployerForm,
    OfficerForm,
    PlanForm,
    RosterConfirmForm,
    RosterForm,
)
from welfare.employers.models import Claim, Employer, Plan
from welfare.employers.queries import (
    company_figures,
    employee_categories,
    employer_spending,
    expiry_of,
    movements_of,
    payroll_lines,
    payroll_months,
)
from welfare.employers.rules import REIMBURSABLE
from welfare.lib.feedback import run_and_tell

# The employee


@login_required
@require_safe
def wallets(request: HttpRequest) -> HttpResponse:
    """The resident's welfare credits from every employer: what each pays for, every movement, what expires when."""
    acting = acting_of(request)
    acting.require(Power.VOUCHERS)
    found = list(access.wallets_of(acting.citizen).order_by("-plan__year", "category"))
    rows = [{"wallet": wallet, "movements": movements_of(wallet), "expires_on": expiry_of(wallet)} for wallet in found]
    claims = Claim.objects.filter(employee__in=access.employments_of(acting.citizen)).select_related(
        "wallet__plan__employer")  # fmt: skip
    may_claim = any(w.is_open and w.category in REIMBURSABLE for w in found) and not acting.is_delegate
    return render(request, "employers/wallets.html", {
        "rows": rows, "claims": claims, "may_claim": may_claim, "employments": access.employments_of(acting.citizen),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request: HttpRequest) -> HttpResponse:
    """The employee asks for a receipt to be reimbursed (their own account only: a receipt is their declaration)."""
    user = request_user(request)
    acting = acting_of(request)
    if acting.is_delegate:
        raise PermissionDenied
    reimbursable = [w for w in access.wallets_of(user).filter(closed_at__isnull=True, employee__ended_on__isnull=True,
                                                              plan__status=Plan.Status.PUBLISHED)
                    if w.category in REIMBURSABLE]  # fmt: skip
    if not reimbursable:
        raise Http404
    form = ClaimForm(request.POST or None, request.FILES or None, wallets=reimbursable)
    if request.method == "POST" and form.is_valid():
        data = ClaimInput(
            relation=form.cleaned_data["relation"], beneficiary_name=form.cleaned_data["beneficiary_name"],
            beneficiary_birth_date=form.cleaned_data["beneficiary_birth_date"], amount_cents=form.amount_cents(),
            receipt_date=form.cleaned_data["receipt_date"],
        )  # fmt: skip
        try:
            do_submit_claim(form.chosen_wallet(), actor=user, data=data, receipt=form.cleaned_data["receipt"],
                            certificate=form.cleaned_data["certificate"])  # fmt: skip
        except ValidationError as error:
            field = {"certificate_required": "certificate", "receipt_used": "receipt", "insufficient_funds": "amount",
                     "date_outside_plan": "receipt_date", "relation_not_allowed": "relation",
                     "relation_required": "relation"}.get(error.code or "")  # fmt: skip
            form.add_error(field, error)
        else:
            messages.success(request, _("Your receipt has been sent to your employer's welfare officer."))
            return redirect("employers:wallets")
    return render(request, "employers/claim_new.html", {"form": form}, status=400 if form.errors else 200)


# The employer's welfare officer


def _officer_employer(request: HttpRequest, employer_id: int) -> Employer:
    return access.access_employer_for_officer(request.user, employer_id)


@login_required
@require_safe
def officer_home(request: HttpRequest, employer_id: int) -> HttpResponse:
    """The company's welfare at a glance: aggregates only, and what waits for the officer."""
    employer = _officer_employer(request, employer_id)
    year = _year(request)
    return render(request, "employers/officer_home.html", {
        "employer": employer, "figures": company_figures(employer, year), "year": year,
        "waiting": Claim.objects.filter(wallet__plan__employer=employer, status=Claim.Status.SUBMITTED).count(),
        "plans": employer.plans.filter(amends__isnull=True),
    })  # fmt: skip


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("anno", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def officer_employees(request: HttpRequest, employer_id: int) -> HttpResponse:
    """The register of employees: upload a CSV, see every row's problem, then confirm; nothing is saved before."""
    employer = _officer_employer(request, employer_id)
    user = request_user(request)
    form = RosterForm()
    preview = None
    confirm = None
    if request.method == "POST" and "text" in request.POST:  # the confirmation of a preview
        confirm_form = RosterConfirmForm(request.POST)
        if confirm_form.is_valid():
            text, complete = confirm_form.cleaned_data["text"], confirm_form.cleaned_data["complete"]
            try:
                done = do_import_employees(employer, text, actor=user, complete=complete)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                preview = roster.read(employer, text, complete=complete)
            else:
                messages.success(request, _("Register saved: %(created)d new, %(updated)d updated, %(ended)d ended, "
                                            "%(invited)d invited to register.") % done.__dict__)  # fmt: skip
                return redirect("employers:officer_employees", employer_id=employer.pk)
    elif request.method == "POST":
        form = RosterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                text = roster.decode(form.cleaned_data["file"].read())
            except ValidationError as error:
                form.add_error("file", error)
            else:
                preview = roster.read(employer, text, complete=form.cleaned_data["complete"])
                confirm = RosterConfirmForm(initial={"text": text, "complete": form.cleaned_data["complete"]})
    employees = employer.employees.all()
    return render(request, "employers/officer_employees.html", {
        "employer": employer, "form": form, "preview": preview, "confirm": confirm, "employees": employees,
    }, status=400 if (form.errors or (preview is not None and not preview.is_valid)) else 200)  # fmt: skip


@login_required
@require_safe
def officer_roster_template(request: HttpRequest, employer_id: int) -> HttpResponse:
    _officer_employer(request, employer_id)
    response = HttpResponse(roster.TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dipendenti.csv"'
    return response


@login_required
@require_POST
def officer_employee_end(request: HttpRequest, employer_id: int, employee_id: int) -> HttpResponse:
    employer = _officer_employer(request, employer_id)
    employee = access.access_employee_for_officer(request.user, employee_id)
    if employee.employer_id != employer.pk:
        raise Http404
    run_and_tell(request, lambda: do_end_employee(employee, actor=request_user(request)),
         _("The employee is ended; what was left of their credits went back to the company."))  # fmt: skip
    return redirect("employers:officer_employees", employer_id=employer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def officer_plans(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _officer_employer(request, employer_id)
    form = PlanForm(request.POST or None, employee_categories=employee_categories(employer),
                    initial={"year": timezone.localdate().year, "residual": Plan.Residual.EXPIRE})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            plan = do_create_plan(
                employer, actor=request_user(request), year=form.cleaned_data["year"], name=form.cleaned_data["name"],
                agreement_reference=form.cleaned_data["agreement_reference"], residual=form.cleaned_data["residual"],
                productivity_bonus=form.cleaned_data["productivity_bonus"], allowances=form.allowances(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan is saved as a draft: check it, then publish it."))
            return redirect("employers:officer_plan", employer_id=employer.pk, plan_id=plan.pk)
    return render(request, "employers/officer_plans.html", {
        "employer": employer, "form": form, "plans": employer.plans.all(),
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def officer_plan(request: HttpRequest, employer_id: int, plan_id: uuid.UUID) -> HttpResponse:
    """A plan's amounts; publish a draft (credits everyone), close a year, or amend a published plan."""
    employer = _officer_employer(request, employer_id)
    plan = access.access_plan_for_officer(request.user, plan_id)
    if plan.employer_id != employer.pk:
        raise Http404
    user = request_user(request)
    amendment = PlanForm(request.POST or None, employee_categories=employee_categories(employer), amendment=True,
                         initial={"name": _("Amendment to “%(plan)s”") % {"plan": plan.name},
                                  "agreement_reference": plan.agreement_reference})  # fmt: skip
    if request.method == "POST":
        action = request.POST.get("azione", "")
        if action == "publish":
            done = _("Published: every employee's credits are in their wallets.")
            run_and_tell(request, lambda: do_publish_plan(plan, actor=user), done)
            return redirect("employers:officer_plan", employer_id=employer.pk, plan_id=plan.pk)
        if action == "close":
            run_and_tell(request, lambda: do_close_plan(plan, actor=user), _("The plan is closed."))
            return redirect("employers:officer_plan", employer_id=employer.pk, plan_id=plan.pk)
        if action != "amend":
            raise Http404
        if amendment.is_valid():
            try:
                created = do_create_plan(
                    employer, actor=user, year=plan.year, name=amendment.cleaned_data["name"],
                    agreement_reference=amendment.cleaned_data["agreement_reference"], residual=plan.residual,
                    productivity_bonus=amendment.cleaned_data["productivity_bonus"],
                    allowances=amendment.allowances(), amends=plan,
                )  # fmt: skip
            except ValidationError as error:
                amendment.add_error(None, error)
            else:
                messages.success(request, _("The amendment is saved as a draft: publish it to credit the difference."))
                return redirect("employers:officer_plan", employer_id=employer.pk, plan_id=created.pk)
    return render(request, "employers/officer_plan.html", {
        "employer": employer, "plan": plan, "allowances": plan.allowances.all(), "amendment": amendment,
        "amendments": plan.amendments.all(),
    }, status=400 if amendment.errors else 200)  # fmt: skip


@login_required
@require_safe
def officer_claims(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = _officer_employer(request, employer_id)
    claims = Claim.objects.filter(wallet__plan__employer=employer).select_related("employee", "wallet")
    return render(request, "employers/officer_claims.html", {
        "employer": employer, "waiting": claims.filter(status=Claim.Status.SUBMITTED).order_by("created_at"),
        "decided": claims.exclude(status=Claim.Status.SUBMITTED).order_by("-decided_at")[:50],
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def officer_claim(request: HttpRequest, employer_id: int, claim_id: uuid.UUID) -> HttpResponse:
    employer = _officer_employer(request, employer_id)
    claim = access.access_claim_for_officer(request.user, claim_id)
    if claim.wallet.plan.employer_id != employer.pk:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            do_decide_claim(claim, actor=request_user(request), approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason" if error.code == "reason_required" else None, error)
        else:
            messages.success(request, _("Approved: the amount is in the payroll export.") if approve
                             else _("Rejected: the employee sees your reason."))  # fmt: skip
            return redirect("employers:officer_claims", employer_id=employer.pk)
    return render(request, "employers/officer_claim.html", {"employer": employer, "claim": claim, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_safe
def officer_claim_file(request: HttpRequest, employer_id: int, claim_id: uuid.UUID, which: str) -> FileResponse:
    """The receipt, or the medical certificate (health data: every opening is audited), to the employer's officer."""
    employer = _officer_employer(request, employer_id)
    claim = access.access_claim_for_officer(request.user, claim_id)
    if claim.wallet.plan.employer_id != employer.pk or which not in ("ricevuta", "certificato"):
        raise Http404
    stored = claim.receipt if which == "ricevuta" else claim.certificate
    if not stored:
        raise Http404
    if which == "certificato":
        record(request_user(request), "claim.certificate_read", claim)
    response = FileResponse(stored.open("rb"), as_attachment=False, filename=f"{which}{(stored.name or '.pdf')[-4:]}")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def officer_payroll(request: HttpRequest, employer_id: int) -> HttpResponse:
    """Approved claims by month: download the export for the payroll, then mark the month paid."""
    employer = _officer_employer(request, employer_id)
    if request.method == "POST":
        month = _month(request.POST.get("mese", ""))
        if month is None:
            raise Http404
        run_and_tell(request, lambda: do_mark_payroll_paid(employer, month, actor=request_user(request)),
             _("The month is marked as paid."))  # fmt: skip
        return redirect("employers:officer_payroll", employer_id=employer.pk)
    return render(request, "employers/officer_payroll.html", {"employer": employer, "months": payroll_months(employer)})


def _month(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None


def payroll_csv(employer: Employer, month: dt.date) -> HttpResponse:
    """The payroll export: codice fiscale, category, amount in euros (with a dot), one line per approved claim."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="welfare-rimborsi-{month:%Y-%m}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["codice_fiscale", "categoria", "importo"])
    for claim in payroll_lines(employer, month):
        writer.writerow([claim.employee.codice_fiscale, claim.wallet.category, f"{claim.amount_cents / 100:.2f}"])
    return response


@login_required
@require_safe
def officer_payroll_csv(request: HttpRequest, employer_id: int, month: str) -> HttpResponse:
    employer = _officer_employer(request, employer_id)
    when = _month(month)
    if when is None:
        raise Http404
    return payroll_csv(employer, when)


# The planning office


@login_required
@require_http_methods(["GET", "POST"])
def admin_employers(request: HttpRequest) -> HttpResponse:
    """The district's employers: register one, see employer money spent at the district's providers."""
    require_role(request.user, Role.DISTRICT_ADMIN)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = do_register_employer(actor=request_user(request), name=form.cleaned_data["name"],
                                            vat_number=form.cleaned_data["vat_number"])  # fmt: skip
        except ValidationError as error:
            form.add_error("vat_number" if error.code == "invalid_vat" else None, error)
        else:
            messages.success(request, _("The employer is registered: now add its welfare officer."))
            return redirect("employers:admin_employer", employer_id=employer.pk)
    return render(request, "employers/admin_employers.html", {
        "form": form, "employers": Employer.objects.all(), "spending": employer_spending(),
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def admin_employer(request: HttpRequest, employer_id: int) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    try:
        employer = Employer.objects.get(pk=employer_id)
    except Employer.DoesNotExist as error:
        raise Http404 from error
    form = OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_add_officer(employer, actor=request_user(request), **form.cleaned_data)
        messages.success(request, _("The welfare officer can now log in (with “Forgot your password?” the first "
                                    "time)."))  # fmt: skip
        return redirect("employers:admin_employer", employer_id=employer.pk)
    officers = employer.membership_set.filter(role=Role.EMPLOYER_HR).select_related("user")
    return render(request, "employers/admin_employer.html", {
        "employer": employer, "form": form, "officers": officers,
        "figures": company_figures(employer, timezone.localdate().year),
    }, status=400 if form.errors else 200)  # fmt: skip
