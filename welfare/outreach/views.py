"""Pages of outreach: the work list, a task, the planning office's rules, campaigns and heat-wave switch, the
public report form and the resident's "call me"."""

import datetime as dt
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from welfare.accounts.access import (
    Power,
    acting_of,
    chosen_place,
    citizen_profile_of,
    request_user,
    require_places,
    require_role,
)
from welfare.accounts.models import Role
from welfare.accounts.second_factor import confirmed_recently
from welfare.audit.actions import record
from welfare.lib.paging import page_without_count
from welfare.lib.pdf import pdf_response
from welfare.lib.throttle import over_limit
from welfare.outreach import access
from welfare.outreach.actions import (
    GROUPS,
    Report,
    details_of,
    do_call_me,
    do_create_campaign,
    do_declare_heat_alert,
    do_mark_letters_sent,
    do_report,
    do_save_rule,
    do_stop_call_me,
    do_work_task,
    letters_for,
    notes_of,
    read_campaign,
)
from welfare.outreach.forms import CallMeForm, CampaignForm, HeatAlertForm, ReportForm, RuleForm, WorkForm
from welfare.outreach.models import CallMe, Campaign, HeatAlert, SignalRule, Task
from welfare.outreach.queries import campaign_counts
from welfare.territory.models import SocialPoint

PAGE_SIZE = 50


@login_required
@require_safe
def tasks(request: HttpRequest) -> HttpResponse:
    """The work list: open tasks by due time (overdue first), or the closed ones; a page at a time."""
    user = request_user(request)
    if not access.may_work_tasks(user):
        raise PermissionDenied
    closed = request.GET.get("stato") == "chiusi"
    found = access.tasks_for(user).select_related("municipality", "social_point", "rule", "campaign")
    found = found.exclude(outcome=Task.Outcome.OPEN).order_by("-closed_at") if closed else found.filter(
        outcome=Task.Outcome.OPEN).order_by("due_at", "created_at")  # fmt: skip
    page = page_without_count(found, request.GET.get("pagina", 1), PAGE_SIZE)
    return render(request, "outreach/tasks.html", {"page": page, "closed": closed, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
@confirmed_recently  # the person's details and the notes are decrypted
def task(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """One task: the person (only what the role may see; every view is recorded), the reason, the attempts; record
    an attempt or close it with its outcome."""
    user = request_user(request)
    found = access.access_task(user, task_id)
    form = WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_work_task(found, actor=user, outcome=form.cleaned_data["outcome"], notes=form.cleaned_data["notes"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("outreach:tasks")
    record(user, "task.person_viewed", found, on_behalf_of=found.resident.user if found.resident else None)
    details = json.loads(details_of(found)) if found.details_encrypted else None
    return render(request, "outreach/task.html", {
        "task": found, "form": form, "notes": notes_of(found), "details": details, "now": timezone.now(),
    }, status=400 if form.errors else 200)  # fmt: skip


# The planning office


@login_required
@require_safe
def rules(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    return render(request, "outreach/rules.html", {"rules": SignalRule.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def rule(request: HttpRequest, rule_id: int) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    try:
        found = SignalRule.objects.get(pk=rule_id)
    except SignalRule.DoesNotExist as error:
        raise Http404 from error
    form = RuleForm(request.POST or None, instance=SignalRule.objects.get(pk=rule_id))
    if request.method == "POST" and form.is_valid():
        try:
            do_save_rule(found, actor=request_user(request), **{name: form.cleaned_data[name] for name in form.fields})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rule is saved: it applies from the next check."))
            return redirect("outreach:rules")
    return render(request, "outreach/rule.html", {"rule": found, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    """Import a list (with its source, legal basis and expiry): every row checked before anything is saved."""
    require_role(request.user, Role.DISTRICT_ADMIN)
    form = CampaignForm(request.POST or None, request.FILES or None)
    rows, text = None, ""
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if form.cleaned_data["group"]:
            text = GROUPS[form.cleaned_data["group"]]()
        else:
            text = upload.read().decode("utf-8-sig", errors="replace") if upload else form.cleaned_data["text"]
        rows, problems = read_campaign(text)
        if "conferma" in request.POST and not problems and not any(row.problems for row in rows):
            try:
                made = do_create_campaign(
                    actor=request_user(request), name=form.cleaned_data["name"], source=form.cleaned_data["source"],
                    legal_basis=form.cleaned_data["legal_basis"], valid_from=form.cleaned_data["valid_from"],
                    expires_on=form.cleaned_data["expires_on"], message=form.cleaned_data["message"], text=text,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The campaign is saved: each person is a task for their Social Point."))
                return redirect("outreach:campaign", campaign_id=made.pk)
    valid = rows is not None and not problems and not any(row.problems for row in rows)
    return render(request, "outreach/campaigns.html", {
        "form": form, "rows": rows, "problems": problems, "valid": valid, "text": text,
        "campaigns": [(c, campaign_counts(c)) for c in Campaign.objects.all()[:50]],
    }, status=400 if (form.errors or problems or (rows and not valid)) else 200)  # fmt: skip


@login_required
@require_safe
def campaign(request: HttpRequest, campaign_id: uuid.UUID) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    try:
        found = Campaign.objects.get(pk=campaign_id)
    except Campaign.DoesNotExist as error:
        raise Http404 from error
    return render(request, "outreach/campaign.html", {"campaign": found, "counts": campaign_counts(found)})


@login_required
@require_http_methods(["GET", "POST"])
def heat(request: HttpRequest) -> HttpResponse:
    """Declare a heat-wave alert: the opted-in and listed residents of the municipalities become call tasks."""
    require_role(request.user, Role.DISTRICT_ADMIN)
    today = timezone.localdate()
    form = HeatAlertForm(request.POST or None, initial={"starts_on": today, "ends_on": today + dt.timedelta(days=3)})
    if request.method == "POST" and form.is_valid():
        try:
            _alert, made = do_declare_heat_alert(actor=request_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Alert declared: %(tasks)d calls for the Social Points.") % {"tasks": made})
            return redirect("outreach:heat")
    return render(request, "outreach/heat.html", {"form": form, "alerts": HeatAlert.objects.all()[:20],
                                                  "opted": CallMe.objects.count()},
                  status=400 if form.errors else 200)  # fmt: skip


# Anyone: report a person in difficulty


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = request.META.get("REMOTE_ADDR", "")
        if over_limit("sentinel", address, limit=5, seconds=3600):
            form.add_error(None, _("Too many reports from here in the last hour: call your municipality's social "
                                   "services instead."))  # fmt: skip
        else:
            data = form.cleaned_data
            code = do_report(Report(what=data["what"], person=data["person"], where=data["where"],
                                    municipality=data["municipality"], reporter=data["reporter"]))  # fmt: skip
            messages.success(request, _("Thank you. Your report reached the social services of %(place)s. Its "
                                        "receipt number is %(code)s.") % {"place": data["municipality"].name,
                                                                          "code": code})  # fmt: skip
            return redirect("outreach:report")
    return render(request, "outreach/report.html", {"form": form}, status=400 if form.errors else 200)


# The resident: call me in an emergency


@login_required
@require_http_methods(["GET", "POST"])
def call_me(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    acting.require(Power.REQUEST)
    profile = citizen_profile_of(acting.citizen)
    if profile is None:
        messages.info(request, _("First add your codice fiscale and residence."))
        return redirect("accounts:profile")
    current = CallMe.objects.filter(resident=profile).first()
    form = CallMeForm(request.POST or None, instance=current, initial={"phone": profile.phone})
    if request.method == "POST" and request.POST.get("azione") == "ritira":
        do_stop_call_me(profile, actor=acting.actor)
        messages.success(request, _("Done: you will not be called."))
        return redirect("outreach:call_me")
    if request.method == "POST" and form.is_valid():
        try:
            do_call_me(profile, actor=acting.actor, channel=form.cleaned_data["channel"],
                       phone=form.cleaned_data["phone"], lives_alone=form.cleaned_data["lives_alone"])  # fmt: skip
        except ValidationError as error:
            form.add_error("phone" if error.code == "phone_required" else None, error)
        else:
            messages.success(request, _("Done: in a heat wave or another emergency, your Social Point will reach "
                                        "you."))  # fmt: skip
            return redirect("outreach:call_me")
    return render(request, "outreach/call_me.html", {"form": form, "current": current},
                  status=400 if form.errors else 200)  # fmt: skip


# The Social Point's daily letters


def _operator_point(request: HttpRequest) -> SocialPoint:
    points = require_places(request.user, Role.OPERATOR, SocialPoint)
    return chosen_place(points, request.GET.get("luogo") or request.POST.get("luogo"))


@login_required
@require_http_methods(["GET", "POST"])
def letters(request: HttpRequest) -> HttpResponse:
    """Letters for residents who chose letters (or have no email): download today's batch, post it, mark it sent."""
    point = _operator_point(request)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("lettera") if pk.isdigit()]
        sent = do_mark_letters_sent(point, ids, actor=request_user(request))
        messages.success(request, _("%(letters)d letters marked as posted.") % {"letters": sent})
        return redirect(f"{reverse('outreach:letters')}?luogo={point.pk}")
    return render(request, "outreach/letters.html", {"point": point, "letters": letters_for(point)})


@login_required
@require_safe
def letters_pdf(request: HttpRequest) -> HttpResponse:
    point = _operator_point(request)
    batch = letters_for(point)
    if not batch:
        raise Http404
    return pdf_response("outreach/letters_pdf.html", {"point": point, "letters": batch, "today": timezone.localdate()},
                        request, f"lettere-{timezone.localdate():%Y-%m-%d}.pdf")  # fmt: skip
