"""People and roles: the planning office (and a provider's own administrator, for its staff) gives and takes roles,
invites people and deactivates accounts. Changes ask for the password or code again when the session has not
confirmed it recently."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from welfare.accounts.models import Role
from welfare.accounts.second_factor import changes_confirmed_recently
from welfare.network import access
from welfare.network.actions import do_give_role, do_set_account_active, do_take_role
from welfare.network.forms import RoleForm


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
