"""People and roles: the planning office (and a provider's own administrator, for its staff) gives and takes roles,
invites people and deactivates accounts. Changes ask for the password or code again when the session has not
confirmed it recently."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.models import Role
from welfare.accounts.second_factor import changes_confirmed_recently
from welfare.lib.client_address import client_address
from welfare.lib.throttle import over_limit
from welfare.network import access
from welfare.network.actions import (
    application_for_applicant,
    application_path,
    do_apply_to_join,
    do_approve_application,
    do_correct_application,
    do_give_role,
    do_refuse_application,
    do_register_municipal_services,
    do_request_application_changes,
    do_set_account_active,
    do_take_role,
)
from welfare.network.forms import ApplicationForm, MunicipalServicesForm, ReviewForm, RoleForm
from welfare.network.models import ProviderApplication
from welfare.territory.queries import current_district


@login_required
@require_http_methods(["GET", "POST"])
@changes_confirmed_recently
def people(request: HttpRequest) -> HttpResponse:
    """Who holds which role at the places the user manages, with their last login; the form to give a role."""
    manager = access.manager_of(request.user)
    form = RoleForm(request.POST or None, places=access.grantable_places(manager))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership, invited = do_give_role(
                manager, email=data["email"], role=data["role"], place=data["place"], first_name=data["first_name"],
                last_name=data["last_name"], manages_staff=data.get("manages_staff", False))  # fmt: skip
        except ValidationError as error:
            form.add_error("first_name" if error.code == "name_required" else None, error)
        else:
            messages.success(request, _("Invited: %(email)s gets an email to set a password.") % {
                "email": membership.user.email} if invited else _("Role given: %(name)s is told by email.") % {
                "name": membership.user.get_full_name() or membership.user.email})  # fmt: skip
            return redirect("network:people")
    held = access.managed_memberships(manager).order_by("user__last_name", "user__first_name", "role")
    role = request.GET.get("ruolo", "")
    if role in Role.values:
        held = held.filter(role=role)
    return render(request, "network/people.html", {
        "form": form, "memberships": held, "manager": manager, "role": role,
        "roles": [r for r in Role if r in access.grantable_places(manager)],
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
@changes_confirmed_recently
def membership_revoke(request: HttpRequest, membership_id: int) -> HttpResponse:
    manager = access.manager_of(request.user)
    membership = access.access_membership_to_manage(request.user, membership_id)
    try:
        do_take_role(manager, membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role taken away: the person is told by email."))
    return redirect("network:people")


@login_required
@require_POST
@changes_confirmed_recently
def person_active(request: HttpRequest, person_id: int) -> HttpResponse:
    manager = access.manager_of(request.user)
    person = access.access_person_to_manage(request.user, person_id)
    active = request.POST.get("attivo") == "1"
    try:
        do_set_account_active(manager, person, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Account reactivated: the person can log in again.") if active else
                         _("Account deactivated: the person can no longer log in."))  # fmt: skip
    return redirect("network:people")


# Joining the network.

APPLICATIONS_PER_ADDRESS = 5  # a day, from one connection: enough for honest mistakes, not for a flood


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """A cooperative or association asks to join the district's network of providers (no account needed)."""
    district = current_district()
    if district is None:
        raise Http404
    form = ApplicationForm(request.POST or None, district=district)
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit("provider-application", client_address(request), limit=APPLICATIONS_PER_ADDRESS,
                      seconds=86400):  # fmt: skip
            form.add_error(None, _("Too many applications from this connection today: write to the planning office."))
            status = 429
        else:
            try:
                application = do_apply_to_join(district=district, values=form.cleaned_data,
                                                municipalities=list(form.cleaned_data["municipalities"]),
                                                language=translation.get_language() or "it")  # fmt: skip
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Sent: we have emailed you the link to follow the application."))
                return redirect(application_path(application))
    return render(request, "network/apply.html", {"form": form, "district": district},
                  status=400 if form.errors and status == 200 else status)  # fmt: skip


@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: uuid.UUID, token: str) -> HttpResponse:
    """The applicant's private page: where the application stands, and the form to correct it when asked."""
    found = application_for_applicant(application_id, token)
    if found is None:
        raise Http404
    correcting = found.state == ProviderApplication.State.CHANGES_REQUESTED
    form = ApplicationForm(request.POST or None, instance=found, district=found.district) if correcting else None
    if request.method == "POST":
        if form is None:
            return redirect(request.path)
        if form.is_valid():
            try:
                do_correct_application(found, values=form.cleaned_data,
                                       municipalities=list(form.cleaned_data["municipalities"]))  # fmt: skip
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Sent again: the planning office reviews it."))
                return redirect(request.path)
    found.refresh_from_db()
    return render(request, "network/application.html", {"application": found, "form": form},
                  status=400 if form is not None and form.errors else 200)  # fmt: skip


@login_required
@require_safe
def applications(request: HttpRequest) -> HttpResponse:
    return _applications_page(request, None)


def _applications_page(request: HttpRequest, municipal_form: MunicipalServicesForm | None) -> HttpResponse:
    found = access.applications_for_review(request.user).prefetch_related("municipalities")
    state = request.GET.get("stato", "")
    if state in ProviderApplication.State.values:
        found = found.filter(state=state)
    districts = access.manager_of(request.user).districts
    return render(request, "network/applications.html", {
        "applications": found, "state": state, "states": list(ProviderApplication.State),
        "municipal_form": municipal_form or MunicipalServicesForm(districts=districts),
    }, status=400 if municipal_form is not None else 200)  # fmt: skip


@login_required
@require_POST
def municipal_services(request: HttpRequest) -> HttpResponse:
    """A municipality of the district puts its own services in the catalogue (as a provider of kind "municipal")."""
    access.applications_for_review(request.user)  # the planning office only
    manager = access.manager_of(request.user)
    form = MunicipalServicesForm(request.POST, districts=manager.districts)
    if form.is_valid():
        try:
            organization = do_register_municipal_services(manager, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Registered: %(name)s can offer services; give its staff the role on “People "
                                        "and roles”.") % {"name": organization.name})  # fmt: skip
            return redirect("network:people")
    return _applications_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
@changes_confirmed_recently  # approving gives a role
def application_review(request: HttpRequest, application_id: uuid.UUID) -> HttpResponse:
    found = access.access_application_for_review(request.user, application_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        manager = access.manager_of(request.user)
        decision, message = request.POST.get("decision"), form.cleaned_data["message"]
        try:
            if decision == "approve":
                organization = do_approve_application(manager, found)
                messages.success(request, _("Approved: %(name)s is in the network and its applicant has been invited.")
                                 % {"name": organization.name})  # fmt: skip
            elif decision == "changes":
                do_request_application_changes(manager, found, message=message)
                messages.success(request, _("Sent: the applicant is asked to change the application."))
            elif decision == "refuse":
                do_refuse_application(manager, found, message=message)
                messages.success(request, _("Refused: the applicant is told why."))
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("network:application_review", application_id=found.pk)
    return render(request, "network/application_review.html", {"application": found, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip
