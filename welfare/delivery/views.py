import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import Power, acting_of, chosen_place, request_user
from welfare.accounts.second_factor import changes_confirmed_recently
from welfare.care.access import access_request_for_provider
from welfare.catalogue.access import organizations_for_staff
from welfare.delivery import access
from welfare.delivery.actions import (
    do_approve_statement,
    do_confirm_session,
    do_correct_session,
    do_dispute_session,
    do_generate_statement,
    do_log_session,
    do_resolve_dispute,
    do_return_statement,
    do_submit_statement,
    do_withdraw_session,
)
from welfare.delivery.exports import statement_workbook
from welfare.delivery.forms import CorrectionForm, DisputeForm, SessionForm, SessionReasonForm, StatementForm
from welfare.delivery.models import Statement
from welfare.delivery.queries import report
from welfare.lib.exports import xlsx_response
from welfare.lib.forms import with_place_choice
from welfare.lib.pdf import pdf_response

# Providers


@login_required
@require_http_methods(["GET", "POST"])
def provider_sessions(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """The sessions of one request, and the form to log the next one."""
    user = request_user(request)
    service_request = access_request_for_provider(user, request_id)
    initial = {"day": timezone.localdate(), "operator": service_request.proposed_operator}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = do_log_session(service_request, actor=user, data=form.session_input())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session logged."))
            for label in session.flag_labels():
                messages.warning(request, label)
            return redirect("delivery:provider_sessions", request_id=service_request.pk)
    sessions = service_request.sessions.select_related("statement", "corrects").order_by("-day", "-starts_at")
    return render(request, "delivery/provider_sessions.html", {
        "service_request": service_request, "form": form, "sessions": sessions, "reason_form": SessionReasonForm(),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def session_correct(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    session = access.access_session_for_provider(user, session_id)
    initial = {
        name: getattr(session, name) for name in ("day", "starts_at", "ends_at", "operator", "activity", "place")
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_correct_session(session, actor=user, data=form.session_input(), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Session corrected: the old entry stays in the history."))
            return redirect("delivery:provider_sessions", request_id=session.request_id)
    return render(request, "delivery/session_correct.html", {"session": session, "form": form})


@login_required
@require_POST
def provider_session_action(request: HttpRequest, session_id: uuid.UUID, action: str) -> HttpResponse:
    user = request_user(request)
    session = access.access_session_for_provider(user, session_id)
    form = SessionReasonForm(request.POST)
    if action not in ("ritira", "rispondi"):
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Write the reason."))
    else:
        try:
            if action == "ritira":
                do_withdraw_session(session, actor=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Session withdrawn."))
            else:
                do_resolve_dispute(session, actor=user, note=form.cleaned_data["reason"])
                messages.success(request, _("Your answer has been recorded; the session goes into the statement."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("delivery:provider_sessions", request_id=session.request_id)


@login_required
@require_http_methods(["GET", "POST"])
def provider_statements(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organizations = organizations_for_staff(user)
    form = with_place_choice(StatementForm(request.POST or None), organizations, _("Organisation"))
    if request.method == "POST" and form.is_valid():
        organization = chosen_place(organizations, form.cleaned_data.get("luogo"))
        month = form.cleaned_data["month"].replace(day=1)
        try:
            statement = do_generate_statement(organization, form.cleaned_data["programme"], month, actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Statement prepared: check it, then submit it."))
            return redirect("delivery:provider_statement", statement_id=statement.pk)
    statements = access.statements_for_provider(user).select_related("programme", "organization")
    return render(request, "delivery/provider_statements.html", {"form": form, "statements": statements})


@login_required
@require_http_methods(["GET", "POST"])
def provider_statement(request: HttpRequest, statement_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    statement = access.access_statement_for_provider(user, statement_id)
    if request.method == "POST":
        try:
            if "submit" in request.POST:
                do_submit_statement(statement, actor=user)
                messages.success(request, _("Statement submitted to the planning office."))
            else:
                do_generate_statement(statement.organization, statement.programme, statement.month, actor=user)
                messages.success(request, _("Statement rebuilt with the latest sessions."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("delivery:provider_statement", statement_id=statement.pk)
    return render(request, "delivery/statement.html", {"report": report(statement), "side": "provider"})


@login_required
@require_safe
def statement_export(request: HttpRequest, statement_id: uuid.UUID, fmt: str) -> HttpResponse:
    statement = access.access_statement(request_user(request), statement_id)
    found = report(statement)
    filename = f"rendiconto-{statement.month:%Y-%m}-{statement.organization.tax_code}"
    if fmt == "pdf":
        return pdf_response("delivery/statement_pdf.html", {"report": found}, request, f"{filename}.pdf")
    if fmt != "xlsx":
        raise Http404
    return xlsx_response(filename, *statement_workbook(found))


# The family


@login_required
@require_POST
def citizen_session_action(request: HttpRequest, session_id: uuid.UUID, action: str) -> HttpResponse:
    acting = acting_of(request)
    acting.require(Power.REQUEST)
    session = access.access_session_for_acting(acting, session_id)
    try:
        if action == "conferma":
            do_confirm_session(session, actor=acting.actor, on_behalf_of=acting.on_behalf_of)
            messages.success(request, _("Session confirmed."))
        elif action == "contesta":
            form = DisputeForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say what is wrong with this session."))
            else:
                do_dispute_session(session, actor=acting.actor, on_behalf_of=acting.on_behalf_of,
                                   reason=form.cleaned_data["reason"])  # fmt: skip
                messages.success(request, _("Your objection has been sent to the provider."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("care:citizen_request", request_id=session.request_id)


# The planning office


@login_required
@require_safe
def admin_statements(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("stato", Statement.Status.SUBMITTED)
    statements = access.statements_for_admin(request.user).select_related("organization", "programme")
    if status in Statement.Status.values:
        statements = statements.filter(status=status)
    return render(request, "delivery/admin_statements.html", {
        "statements": statements, "status": status, "statuses": list(Statement.Status),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
@changes_confirmed_recently  # approving or returning a statement
def admin_statement(request: HttpRequest, statement_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    statement = access.access_statement_for_admin(user, statement_id)
    returning = SessionReasonForm(request.POST if "return" in request.POST else None)
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                do_approve_statement(statement, actor=user)
                messages.success(request, _("Statement approved: it is now locked."))
                return redirect("delivery:admin_statement", statement_id=statement.pk)
            if returning.is_valid():
                do_return_statement(statement, actor=user, reason=returning.cleaned_data["reason"])
                messages.success(request, _("Statement returned to the provider."))
                return redirect("delivery:admin_statement", statement_id=statement.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(request, "delivery/statement.html", {
        "report": report(statement), "side": "admin", "returning": returning,
    })  # fmt: skip
