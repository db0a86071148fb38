from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import citizen_profile_of, request_user, require_role, support_needs_of
from welfare.accounts.actions import (
    do_add_household_member,
    do_create_api_token,
    do_create_citizen_profile,
    do_remove_household_member,
    do_revoke_api_token,
    do_update_citizen_profile,
)
from welfare.accounts.dashboards import DASHBOARD_BY_ROLE
from welfare.accounts.forms import CitizenProfileForm, HouseholdMemberForm, NewCitizenProfileForm
from welfare.accounts.models import ApiToken, HouseholdMember, Role


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The citizen's dashboard, and the way to every role dashboard the user holds."""
    return render(request, "accounts/home.html", {"profile": citizen_profile_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    existing = citizen_profile_of(user)
    if existing is None:
        return _new_profile(request)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "birth_date": existing.birth_date,
        "municipality": existing.municipality,
        "phone": existing.phone,
        "contact_channel": existing.contact_channel,
        "preferred_language": user.preferred_language,
    }
    form = CitizenProfileForm(request.POST or None, initial=initial, profile=existing)
    if request.method == "POST" and form.is_valid():
        changed = do_update_citizen_profile(existing, actor=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved.") if changed else _("Nothing to change."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "profile": existing})


def _new_profile(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = NewCitizenProfileForm(
        request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_create_citizen_profile(user, actor=user, **form.profile_data())
        except ValidationError as error:
            if error.code != "codice_fiscale_taken":
                raise
            form.add_error(
                "codice_fiscale",
                _("This codice fiscale cannot be used for this account. A Social Point can help you."),
            )
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:home")
    return render(request, "accounts/profile.html", {"form": form, "profile": None})


@login_required
@require_safe
def dashboard(request: HttpRequest, role: Role) -> HttpResponse:
    """A role's dashboard (the role comes from the URL pattern); 403 for users who do not hold it."""
    memberships = require_role(request.user, role)
    return render(
        request,
        f"accounts/dashboards/{role.value}.html",
        {"dashboard": DASHBOARD_BY_ROLE[role], "memberships": memberships},
    )


@login_required
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest) -> HttpResponse:
    """The citizen's household: the people they may ask services for."""
    user = request_user(request)
    profile = citizen_profile_of(user)
    if profile is None:
        messages.info(request, _("First add your codice fiscale and residence."))
        return redirect("accounts:profile")
    form = HouseholdMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_add_household_member(profile, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("codice_fiscale", error)
        else:
            messages.success(request, _("Added to your household."))
            return redirect("accounts:household")
    members = [(member, support_needs_of(member, reader=user)) for member in profile.household.all()]
    return render(request, "accounts/household.html", {"form": form, "members": members})


@login_required
@require_POST
def household_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    user = request_user(request)
    profile = citizen_profile_of(user)
    if profile is None:
        raise Http404
    try:
        member = profile.household.get(pk=member_id)
    except HouseholdMember.DoesNotExist as error:
        raise Http404 from error
    try:
        do_remove_household_member(member, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from your household."))
    return redirect("accounts:household")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: the secret is shown once, in the answer to the POST that creates it."""
    user = request_user(request)
    secret = None
    name_error = None
    if request.method == "POST":
        try:
            _token, secret = do_create_api_token(user, actor=user, name=request.POST.get("name", ""))
        except ValidationError as error:
            name_error = " ".join(error.messages)
    tokens = user.api_tokens.all()
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "secret": secret, "name_error": name_error})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request_user(request)
    try:
        token = user.api_tokens.get(pk=token_id)
    except ApiToken.DoesNotExist as error:
        raise Http404 from error
    do_revoke_api_token(token, actor=user)
    messages.success(request, _("The token has been revoked: it no longer works."))
    return redirect("accounts:api_tokens")
