import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import Power, acting_of, chosen_place, citizen_profile_of, request_user
from welfare.accounts.second_factor import confirmed_recently
from welfare.catalogue.access import accredited, organizations_for_staff
from welfare.catalogue.models import Accreditation, AccreditationCall
from welfare.ledger.models import Entry
from welfare.lib.exports import Column, Kind, Table, csv_response, xlsx_response
from welfare.lib.forms import ReasonForm
from welfare.lib.mail import absolute_url
from welfare.lib.paging import page_without_count
from welfare.lib.pdf import pdf_response
from welfare.lib.uploads import download
from welfare.territory.queries import current_district
from welfare.vouchers import access
from welfare.vouchers.actions import (
    do_add_application_document,
    do_apply_for_accreditation,
    do_approve_accreditation,
    do_assess_application,
    do_cancel_voucher,
    do_compute_ranking,
    do_issue_vouchers,
    do_publish_programme,
    do_publish_ranking,
    do_return_accreditation,
    do_save_accreditation_call,
    do_save_application,
    do_save_programme,
    do_set_budgets,
    do_withdraw_application,
    missing_for_submission,
)
from welfare.vouchers.forms import (
    AccreditationApplyForm,
    ApplicationDocumentForm,
    ApplicationForm,
    ApprovalForm,
    AssessmentForm,
    BandFormSet,
    BudgetForm,
    CallForm,
    ProgrammeForm,
)
from welfare.vouchers.models import Application, Programme, Ranking, Voucher
from welfare.vouchers.queries import budget_lines, offers_for_voucher, waiting_counts

# Everyone


@require_safe
def programmes(request: HttpRequest) -> HttpResponse:
    return render(request, "vouchers/programmes.html", {"programmes": access.published_programmes()})


@require_safe
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.access_published_programme(slug)
    rankings = Ranking.objects.filter(programme=found, published_at__isnull=False).select_related("municipality")
    accreditations = accredited().filter(kind__in=found.kinds.all()).order_by("organization__name")
    return render(request, "vouchers/programme.html", {
        "programme": found, "rankings": rankings, "accreditations": accreditations,
    })  # fmt: skip


@require_safe
def public_ranking(request: HttpRequest, slug: str, istat_code: str) -> HttpResponse:
    """The published graduatoria: protocol, position and outcome only. No name, no ISEE."""
    found = access.access_published_programme(slug)
    ranking = access.access_published_ranking(found, istat_code)
    rows = found.applications.filter(municipality=ranking.municipality, rank_position__isnull=False).order_by(
        "rank_position"
    )
    return render(request, "vouchers/ranking_public.html", {"programme": found, "ranking": ranking, "rows": rows})


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a voucher's code (a provider, an office) can check that it is genuine and active."""
    code = request.GET.get("codice", "").strip().upper().replace(" ", "").replace("-", "")
    voucher = Voucher.objects.select_related("programme", "municipality").filter(verification_code=code).first()
    return render(request, "vouchers/verify.html", {"code": code, "voucher": voucher, "searched": bool(code)})


# The family (or whoever acts for them with the vouchers scope)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    applications = access.applications_for_acting(acting).select_related("programme", "beneficiary_member")
    vouchers = access.vouchers_for_acting(acting).select_related("programme", "beneficiary_member", "account")
    return render(request, "vouchers/mine.html", {
        "applications": applications, "vouchers": vouchers, "open_programmes": [
            p for p in access.published_programmes() if p.is_open_for_applications()
        ],
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    found = access.access_published_programme(slug)
    if not found.is_open_for_applications():
        messages.info(request, _("Applications are not open."))
        return redirect("vouchers:programme", slug=found.slug)
    acting = acting_of(request)
    acting.require(Power.VOUCHERS)
    profile = citizen_profile_of(acting.citizen)
    if profile is None:
        messages.info(request, _("To apply, first add your codice fiscale and residence."))
        return redirect("accounts:profile")
    form = ApplicationForm(request.POST or None, profile=profile, acting=acting, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            created = do_save_application(
                actor=acting.actor, on_behalf_of=acting.on_behalf_of, programme=found,
                beneficiary=form.beneficiary_member(), fields=form.application_fields(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved. Attach the documents, then send the application."))
            return redirect("vouchers:application", application_id=created.pk)
    return render(request, "vouchers/apply.html", {"programme": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    """The application: while a draft (or when information is asked) it is edited and sent from here."""
    acting = acting_of(request)
    found = access.access_application_for_acting(acting, application_id)
    profile = citizen_profile_of(acting.citizen)
    assert profile is not None
    initial = {
        "isee": found.isee_cents / 100 if found.isee_cents is not None else None,
        "dsu_protocol": found.dsu_protocol, "dsu_expires_on": found.dsu_expires_on,
        "household_situation": found.household_situation,
    }  # fmt: skip
    form = ApplicationForm(request.POST or None, initial=initial, profile=profile, acting=acting, new=False)
    document_form = ApplicationDocumentForm(programme=found.programme)
    if request.method == "POST":
        if not found.is_editable:
            messages.error(request, _("This application has been sent and can no longer be changed."))
            return redirect("vouchers:application", application_id=found.pk)
        if form.is_valid():
            try:
                do_save_application(actor=acting.actor, on_behalf_of=acting.on_behalf_of,
                                    programme=found.programme, beneficiary=found.beneficiary_member,
                                    fields=form.application_fields(), application=found,
                                    send="send" in request.POST)  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                sent = "send" in request.POST
                messages.success(request, _("Application sent.") if sent else _("Draft saved."))
                return redirect("vouchers:application", application_id=found.pk)
    ranking = Ranking.objects.filter(
        programme=found.programme, municipality=found.municipality, published_at__isnull=False
    ).first()
    return render(request, "vouchers/application.html", {
        "application": found, "form": form, "document_form": document_form, "ranking": ranking,
        "missing": missing_for_submission(found) if found.is_editable else [],
        "voucher": Voucher.objects.filter(application=found).first(),
    })  # fmt: skip


@login_required
@require_POST
def application_document_add(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    acting = acting_of(request)
    found = access.access_application_for_acting(acting, application_id)
    form = ApplicationDocumentForm(request.POST, request.FILES, programme=found.programme)
    if form.is_valid():
        try:
            do_add_application_document(found, uploaded_by=acting.actor, on_behalf_of=acting.on_behalf_of,
                                        upload=form.cleaned_data["document"], label=form.document_label())  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Document attached."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("vouchers:application", application_id=found.pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    acting = acting_of(request)
    found = access.access_application_for_acting(acting, application_id)
    try:
        do_withdraw_application(found, actor=acting.actor, on_behalf_of=acting.on_behalf_of)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("vouchers:application", application_id=found.pk)


@login_required
@require_safe
def application_document(request: HttpRequest, document_id: uuid.UUID) -> FileResponse:
    return download(access.access_application_document(acting_of(request), document_id))


@login_required
@require_safe
def voucher(request: HttpRequest, voucher_id: uuid.UUID) -> HttpResponse:
    acting = acting_of(request)
    found = access.access_voucher_for_acting(acting, voucher_id)
    history = Entry.objects.filter(account=found.account).select_related("transaction").order_by("id")
    return render(request, "vouchers/voucher.html", {
        "voucher": found, "history": history, "offers": offers_for_voucher(found),
        "usable": found.is_usable_on(timezone.localdate()),
        "requests": found.requests.select_related("service", "organization"),
    })  # fmt: skip


@login_required
@require_safe
def voucher_pdf(request: HttpRequest, voucher_id: uuid.UUID) -> HttpResponse:
    found = access.access_voucher_for_acting(acting_of(request), voucher_id)
    verify_url = absolute_url(f"{reverse('vouchers:verify')}?codice={found.verification_code}", request)
    return pdf_response("vouchers/voucher_pdf.html", {
        "voucher": found, "district": current_district(), "verify_url": verify_url,
    }, request, f"voucher-{found.verification_code}.pdf")  # fmt: skip


# The municipal social worker

ACTIONABLE = [Application.Status.SUBMITTED, Application.Status.INFO_REQUESTED]
QUEUE_PAGE_SIZE = 25  # oldest first: the page a worker starts from stays the same size at any scale


@login_required
@require_safe
def assessment_queue(request: HttpRequest) -> HttpResponse:
    applications = access.applications_for_social_worker(request.user)
    status = request.GET.get("stato", "submitted")
    if status not in Application.Status.values:
        status = "submitted"
    # Counted only where work waits: the other tabs grow with every year of history.
    counts = waiting_counts(applications, ACTIONABLE)
    found = (
        applications.filter(status=status)
        .select_related("programme", "applicant", "beneficiary_member", "municipality")
        .order_by("submitted_at", "pk")
    )
    page = page_without_count(found, request.GET.get("pagina", 1), QUEUE_PAGE_SIZE)
    return render(request, "vouchers/assessment_queue.html", {
        "applications": page.object_list, "page": page, "status": status, "counts": counts,
        "statuses": [s for s in Application.Status if s != Application.Status.DRAFT],
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
@confirmed_recently  # the assessment notes are decrypted
def assessment(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    found = access.access_application_for_social_worker(user, application_id)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_assess_application(found, actor=user, decision=form.cleaned_data["decision"],
                                  need_score=form.cleaned_data["need_score"], notes=form.cleaned_data["notes"],
                                  reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assessment recorded; the family has been told."))
            return redirect("vouchers:assessment_queue")
    return render(request, "vouchers/assessment.html", {
        "application": found, "form": form, "notes": access.assessment_notes_of(found, reader=user),
    })  # fmt: skip


# The planning office


@login_required
@require_safe
def admin_programmes(request: HttpRequest) -> HttpResponse:
    found = access.programmes_for_admin(request.user).annotate(
        submitted=Count("applications", filter=~Q(applications__status="draft"))
    )
    return render(request, "vouchers/admin_programmes.html", {"programmes": found})


def _save_programme(request: HttpRequest, found: Programme | None) -> HttpResponse:
    user = request_user(request)
    district = access.admin_district(user)
    form = ProgrammeForm(request.POST or None, instance=found)
    initial = [
        {"isee_up_to": b.isee_up_to_cents / 100 if b.isee_up_to_cents is not None else None,
         "copay_percent": b.copay_percent, "max_voucher": b.max_voucher_cents / 100}
        for b in (found.bands.all() if found else [])
    ]  # fmt: skip
    bands = BandFormSet(request.POST or None, initial=initial, prefix="bands")
    if request.method == "POST" and form.is_valid() and bands.is_valid():
        specs = [spec for band in bands.forms if (spec := band.band()) is not None]
        try:
            saved = do_save_programme(actor=user, district=district, fields=form.programme_fields(),
                                      kinds=form.cleaned_data["kinds"], bands=specs, programme=found)  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("vouchers:admin_programme", programme_id=saved.pk)
    return render(request, "vouchers/admin_programme_edit.html", {"programme": found, "form": form, "bands": bands})


@login_required
@require_http_methods(["GET", "POST"])
def admin_programme_new(request: HttpRequest) -> HttpResponse:
    access.admin_district(request.user)
    return _save_programme(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def admin_programme_edit(request: HttpRequest, programme_id: uuid.UUID) -> HttpResponse:
    found = access.access_programme_for_admin(request.user, programme_id)
    if found.is_published:
        messages.error(request, _("A published programme cannot be changed."))
        return redirect("vouchers:admin_programme", programme_id=found.pk)
    return _save_programme(request, found)


@login_required
@require_http_methods(["GET", "POST"])
def admin_programme(request: HttpRequest, programme_id: uuid.UUID) -> HttpResponse:
    """The programme at a glance: rules, budgets (allocated, committed, spent, available), rankings."""
    user = request_user(request)
    found = access.access_programme_for_admin(user, programme_id)
    municipalities = list(access.admin_district(user).municipalities.order_by("name"))
    current = {budget.municipality_id: budget.allocated_cents for budget in found.budget_list}  # type: ignore[attr-defined]
    form = BudgetForm(request.POST or None, municipalities=municipalities, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_budgets(found, form.amounts(), actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Budgets saved."))
            return redirect("vouchers:admin_programme", programme_id=found.pk)
    rankings = {r.municipality_id: r for r in Ranking.objects.filter(programme=found)}
    counts = dict(
        found.applications.exclude(status="draft").values_list("municipality").annotate(n=Count("pk")).order_by()
    )
    return render(request, "vouchers/admin_programme.html", {
        "programme": found, "form": form, "lines": budget_lines(found),
        "municipalities": [(m, rankings.get(m.pk), counts.get(m.pk, 0)) for m in municipalities],
    })  # fmt: skip


@login_required
@require_POST
def admin_programme_publish(request: HttpRequest, programme_id: uuid.UUID) -> HttpResponse:
    found = access.access_programme_for_admin(request.user, programme_id)
    try:
        do_publish_programme(found, actor=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Programme published: families can now see it and apply."))
    return redirect("vouchers:admin_programme", programme_id=found.pk)


def _ranking_rows(found: Programme, istat_code: str) -> Any:
    return (
        found.applications.filter(municipality__istat_code=istat_code, rank_position__isnull=False)
        .select_related("applicant", "beneficiary_member", "voucher")
        .order_by("rank_position")
    )


@login_required
@require_safe
def admin_ranking(request: HttpRequest, programme_id: uuid.UUID, istat_code: str) -> HttpResponse:
    user = request_user(request)
    found = access.access_programme_for_admin(user, programme_id)
    municipality = access.access_municipality_for_admin(user, istat_code)
    ranking = Ranking.objects.filter(programme=found, municipality=municipality).first()
    pending = found.applications.filter(municipality=municipality, status=Application.Status.SUBMITTED).count()
    asked = found.applications.filter(municipality=municipality, status=Application.Status.INFO_REQUESTED).count()
    line = next((line for line in budget_lines(found) if line.istat_code == istat_code), None)
    return render(request, "vouchers/admin_ranking.html", {
        "programme": found, "municipality": municipality, "ranking": ranking, "rows": _ranking_rows(found, istat_code),
        "pending": pending, "asked": asked, "line": line,
    })  # fmt: skip


RANKING_ACTIONS = {"calcola": do_compute_ranking, "pubblica": do_publish_ranking}


@login_required
@require_POST
def admin_ranking_action(request: HttpRequest, programme_id: uuid.UUID, istat_code: str, action: str) -> HttpResponse:
    user = request_user(request)
    found = access.access_programme_for_admin(user, programme_id)
    municipality = access.access_municipality_for_admin(user, istat_code)
    try:
        if action == "emetti":
            issued = do_issue_vouchers(found, municipality, actor=user)
            messages.success(request, _("Vouchers issued: %(count)s.") % {"count": len(issued)})
        elif action in RANKING_ACTIONS:
            RANKING_ACTIONS[action](found, municipality, actor=user)
            messages.success(request, _("Ranking computed.") if action == "calcola" else _("Ranking published."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("vouchers:admin_ranking", programme_id=found.pk, istat_code=istat_code)


def _export(fmt: str, filename: str, table: Table) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(filename, table)
    if fmt == "csv":
        return csv_response(filename, table)
    raise Http404


@login_required
@require_safe
def admin_ranking_export(request: HttpRequest, programme_id: uuid.UUID, istat_code: str, fmt: str) -> HttpResponse:
    user = request_user(request)
    found = access.access_programme_for_admin(user, programme_id)
    access.access_municipality_for_admin(user, istat_code)
    columns = [Column(_("Position"), Kind.NUMBER, 8), Column(_("Protocol"), width=16),
               Column(_("Beneficiary"), width=24), Column(_("ISEE"), Kind.EUROS, 12),
               Column(_("Need score"), Kind.NUMBER, 8), Column(_("Sent on"), Kind.DATETIME, 16),
               Column(_("Outcome"), width=18), Column(_("Voucher value"), Kind.EUROS, 12, total=True)]  # fmt: skip
    rows = [
        [a.rank_position, a.protocol, a.beneficiary_name, a.isee_cents, a.need_score, a.submitted_at,
         a.get_outcome_display(), a.voucher_value_cents]
        for a in _ranking_rows(found, istat_code)
    ]  # fmt: skip
    return _export(fmt, f"graduatoria-{found.slug}-{istat_code}", Table(_("Ranking"), columns, rows))


@login_required
@require_safe
def admin_vouchers_export(request: HttpRequest, programme_id: uuid.UUID, fmt: str) -> HttpResponse:
    found = access.access_programme_for_admin(request.user, programme_id)
    vouchers = found.vouchers.select_related("holder", "beneficiary_member", "municipality", "account").order_by(
        "municipality__name", "issued_at"
    )
    columns = [Column(_("Verification code"), width=14), Column(_("Municipality"), width=18),
               Column(_("Beneficiary"), width=24), Column(_("Value"), Kind.EUROS, 12, total=True),
               Column(_("Co-payment"), Kind.PERCENT, 10), Column(_("Balance"), Kind.EUROS, 12, total=True),
               Column(_("Valid from"), Kind.DATE, 11), Column(_("Valid until"), Kind.DATE, 11),
               Column(_("Status"), width=14)]  # fmt: skip
    rows = [
        [v.verification_code, v.municipality.name, v.beneficiary_name, v.value_cents, v.copay_percent,
         v.account.balance_cents, v.valid_from, v.valid_until, v.get_status_display()]
        for v in vouchers
    ]  # fmt: skip
    return _export(fmt, f"voucher-{found.slug}", Table(_("Vouchers"), columns, rows))


@login_required
@require_POST
@confirmed_recently
def admin_voucher_cancel(request: HttpRequest, voucher_id: uuid.UUID) -> HttpResponse:
    found = access.access_voucher_for_admin(request.user, voucher_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the voucher is cancelled."))
    else:
        try:
            do_cancel_voucher(found, actor=request_user(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Voucher cancelled; what was left went back to the budget."))
    return redirect("vouchers:admin_ranking", programme_id=found.programme_id, istat_code=found.municipality.istat_code)


@login_required
@require_http_methods(["GET", "POST"])
def admin_calls(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    district = access.admin_district(user)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("title", "description", "opens_on", "closes_on")}
        call = do_save_accreditation_call(
            actor=user, district=district, fields=fields, kinds=form.cleaned_data["kinds"]
        )
        messages.success(request, _("Accreditation call opened."))
        return redirect("vouchers:admin_call", call_id=call.pk)
    calls = access.calls_for_admin(user).annotate(
        waiting=Count("accreditations", filter=Q(accreditations__status=Accreditation.Status.SUBMITTED))
    )
    return render(request, "vouchers/admin_calls.html", {"calls": calls, "form": form})


@login_required
@require_safe
def admin_call(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    call = access.access_call_for_admin(request.user, call_id)
    accreditations = call.accreditations.select_related("organization", "kind").prefetch_related("services")
    return render(request, "vouchers/admin_call.html", {"call": call, "accreditations": accreditations})


@login_required
@require_http_methods(["GET", "POST"])
def admin_accreditation(request: HttpRequest, accreditation_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    found = access.access_accreditation_for_admin(user, accreditation_id)
    two_years = found.call.closes_on.replace(year=found.call.closes_on.year + 2)
    initial = {"valid_from": timezone.localdate(), "valid_until": two_years}
    approval = ApprovalForm(request.POST if "approve" in request.POST else None, initial=initial)
    returning = ReasonForm(request.POST if "return" in request.POST else None)
    try:
        if "approve" in request.POST and approval.is_valid():
            do_approve_accreditation(found, actor=user, **approval.cleaned_data)
            messages.success(request, _("Provider accredited."))
            return redirect("vouchers:admin_call", call_id=found.call_id)
        if "return" in request.POST and returning.is_valid():
            do_return_accreditation(found, actor=user, reason=returning.cleaned_data["reason"])
            messages.success(request, _("Application returned to the provider."))
            return redirect("vouchers:admin_call", call_id=found.call_id)
    except ValidationError as error:
        approval.add_error(None, error)
    return render(request, "vouchers/admin_accreditation.html", {
        "accreditation": found, "approval": approval, "returning": returning,
    })  # fmt: skip


# Providers


@login_required
@require_safe
def provider_accreditations(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for_staff(request.user)
    district = current_district()
    calls = list(AccreditationCall.objects.filter(district=district).prefetch_related("kinds"))
    mine = Accreditation.objects.filter(organization__in=organizations).select_related("call", "kind", "organization")
    return render(request, "vouchers/provider_accreditations.html", {
        "calls": [call for call in calls if call.is_open()], "accreditations": mine, "organizations": organizations,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def provider_accreditation_apply(request: HttpRequest, call_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    # An organisation's services are listed in the form: one with several names it in the address (?ente=).
    organization = chosen_place(organizations_for_staff(user), request.GET.get("ente"))
    call = access.access_call_for_provider(user, call_id)
    form = AccreditationApplyForm(request.POST or None, call=call, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            do_apply_for_accreditation(actor=user, call=call, organization=organization, kind=form.cleaned_data["kind"],
                                       services=list(form.cleaned_data["services"]),
                                       hourly_tariff_cents=form.cleaned_data["tariff"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Application sent to the planning office."))
            return redirect("vouchers:provider_accreditations")
    return render(request, "vouchers/provider_accreditation_apply.html", {
        "call": call, "form": form, "organization": organization,
    })  # fmt: skip
