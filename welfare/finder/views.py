import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from welfare.accounts.access import request_user, require_role, scopes_for
from welfare.accounts.models import Role
from welfare.assistance.access import access_interview_for_operator
from welfare.assistance.actions import do_save_finder_answers
from welfare.finder.actions import do_save_finder_rule
from welfare.finder.engine import find_help
from welfare.finder.forms import FinderForm, FinderRuleForm
from welfare.finder.models import FinderRule
from welfare.lib.pdf import pdf_response
from welfare.territory.models import District
from welfare.territory.queries import current_district


@require_http_methods(["GET", "POST"])
def finder(request: HttpRequest) -> HttpResponse:
    """The questionnaire and its suggestions. Answers travel by POST and are never stored."""
    district = current_district()
    if district is None:
        raise Http404
    form = FinderForm(request.POST or None)
    result = find_help(district, form.answers()) if request.method == "POST" and form.is_valid() else None
    repost = [(name, value) for name in form.fields for value in request.POST.getlist(name)]
    return render(request, "finder/finder.html", {"form": form, "result": result, "repost": repost},
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
def summary_pdf(request: HttpRequest) -> HttpResponse:
    """The same suggestions as a printable PDF, from the answers posted again (still nothing stored)."""
    district = current_district()
    form = FinderForm(request.POST)
    if district is None or not form.is_valid():
        return redirect("finder:finder")
    result = find_help(district, form.answers())
    return pdf_response("finder/summary_pdf.html", {"result": result, "district": district}, request, "trova-aiuto.pdf")


def _district_for_admin(request: HttpRequest) -> District:
    require_role(request.user, Role.DISTRICT_ADMIN)
    districts = [scope for scope in scopes_for(request.user, Role.DISTRICT_ADMIN) if isinstance(scope, District)]
    return districts[0]


@login_required
@require_http_methods(["GET"])
def rules(request: HttpRequest) -> HttpResponse:
    district = _district_for_admin(request)
    return render(request, "finder/rules.html", {"rules": district.finder_rules.all()})


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    """The planning office changes what the finder suggests: conditions, kinds of service, wording."""
    district = _district_for_admin(request)
    rule = None
    if rule_id is not None:
        try:
            rule = district.finder_rules.get(pk=rule_id)
        except FinderRule.DoesNotExist as error:
            raise Http404 from error
    form = FinderRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_finder_rule(district, actor=request_user(request), fields=form.cleaned_data, rule=rule)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rule has been saved: the needs finder uses it from now on."))
            return redirect("finder:rules")
    return render(request, "finder/rule_edit.html", {"form": form, "rule": rule})


@login_required
@require_http_methods(["GET", "POST"])
def interview_finder(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """The needs finder used by an operator during an interview (assistance): the answers are saved to it."""
    user = request_user(request)
    found = access_interview_for_operator(user, interview_id)
    if request.method == "POST":
        form = FinderForm(request.POST)
    elif found.finder_answers:
        form = FinderForm.from_answers(found.finder_answers)
    else:
        form = FinderForm(initial={"municipality": found.resident.municipality_id})
    result = None
    if form.is_bound and form.is_valid():
        answers = form.answers()
        if request.method == "POST":
            do_save_finder_answers(found, actor=user, answers=answers.as_data())
        result = find_help(found.social_point.municipality.district, answers)
    return render(request, "finder/interview_finder.html", {"interview": found, "form": form, "result": result})
