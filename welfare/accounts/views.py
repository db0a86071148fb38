import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import (
    ACTING_SESSION_KEY,
    access_api_token_for_user,
    access_delegation_for_user,
    access_household_member_for_citizen,
    acting_of,
    authority_over_resident,
    citizen_profile_of,
    may_use_api_tokens,
    people_i_act_for,
    request_user,
    require_role,
    support_needs_of,
)
from welfare.accounts.actions import (
    do_add_household_member,
    do_create_api_token,
    do_create_citizen_profile,
    do_grant_delegation,
    do_remove_household_member,
    do_revoke_api_token,
    do_revoke_delegation,
    do_start_acting,
    do_take_over_account,
    do_update_citizen_profile,
)
from welfare.accounts.dashboards import DASHBOARD_BY_ROLE
from welfare.accounts.forms import (
    ApiTokenForm,
    CitizenProfileForm,
    DelegationForm,
    HouseholdMemberForm,
    NewCitizenProfileForm,
    TakeOverForm,
    verified_fields,
)
from welfare.accounts.models import Delegation, Role
from welfare.accounts.notifications import send_codice_fiscale_owner_warning
from welfare.lib.client_address import client_address
from welfare.lib.throttle import over_limit


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The citizen's dashboard (or, when acting for someone, theirs), and the way to every role dashboard."""
    acting = acting_of(request)
    return render(request, "accounts/home.html", {
        "acting": acting,
        "profile": citizen_profile_of(acting.citizen),
        "acts_for_anyone": not acting.is_delegate and people_i_act_for(acting.actor).exists(),
        "offers_api_tokens": may_use_api_tokens(acting.actor),
    })  # fmt: skip


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
        "postal_address": existing.postal_address,
        "preferred_language": user.preferred_language,
    }
    form = CitizenProfileForm(request.POST or None, initial=initial, profile=existing)
    if request.method == "POST" and form.is_valid():
        changed = do_update_citizen_profile(existing, actor=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved.") if changed else _("Nothing to change."))
        return redirect("accounts:profile")
    labels = {"first_name": _("first name"), "last_name": _("last name"), "birth_date": _("date of birth"),
              "email": _("email"), "codice_fiscale": _("codice fiscale")}  # fmt: skip
    verified_labels = [labels[name] for name in verified_fields(existing) if name in labels]
    return render(request, "accounts/profile.html",
                  {"form": form, "profile": existing, "verified_labels": verified_labels})  # fmt: skip


# Adding a codice fiscale to an account: at most this many tries per account a day and per client address an
# hour, so that the page cannot be used to learn which codici fiscali are registered.
PROFILE_TRIES_PER_ACCOUNT, PROFILE_TRIES_PER_ADDRESS = 5, 20


def _new_profile(request: HttpRequest) -> HttpResponse:
    """An account without a profile (staff, say) adds one. A codice fiscale that cannot be used gets the same
    answer as a mistake, never "already registered"; its owner is warned; tries are limited."""
    user = request_user(request)
    form = NewCitizenProfileForm(
        request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and form.is_valid():
        if over_limit("profile_codice_fiscale", f"user:{user.pk}", limit=PROFILE_TRIES_PER_ACCOUNT, seconds=86400) or (
            over_limit("profile_codice_fiscale", f"address:{client_address(request)}", limit=PROFILE_TRIES_PER_ADDRESS,
                       seconds=3600)
        ):  # fmt: skip
            form.add_error(None, _("Too many attempts. Try again tomorrow, or ask a Social Point for help."))
            return render(request, "accounts/profile.html", {"form": form, "profile": None}, status=429)
        try:
            do_create_citizen_profile(user, actor=user, **form.profile_data())
        except ValidationError as error:
            if error.code != "codice_fiscale_taken":
                raise
            send_codice_fiscale_owner_warning(request, form.cleaned_data["codice_fiscale"])
            form.add_error(
                "codice_fiscale",
                _("We could not link this codice fiscale to your account. Check it, or ask a Social Point for help."),
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
        {
            "dashboard": DASHBOARD_BY_ROLE[role],
            "memberships": memberships,
            "manages_staff": any(m.manages_staff for m in memberships),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household(request: HttpRequest) -> HttpResponse:
    """The citizen's household: the people they may ask services for.

    A delegate sees the members their delegation covers and cannot change the household; the Social
    Point that still manages an assisted account can.
    """
    acting = acting_of(request)
    user = acting.actor
    profile = citizen_profile_of(acting.citizen)
    if profile is None:
        messages.info(request, _("First add your codice fiscale and residence."))
        return redirect("accounts:profile")
    may_change = not acting.is_delegate or acting.managed
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = HouseholdMemberForm(request.POST or None) if may_change else None
    # Coming from a request form ("someone is missing?"): back to that form, with the new member chosen.
    back_to = request.GET.get("servizio", "")
    back_to = back_to if re.fullmatch(r"[0-9a-f-]{36}", back_to) else ""
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            member = do_add_household_member(profile, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("codice_fiscale", error)
        else:
            messages.success(request, _("Added to your household."))
            if back_to:
                return redirect(f"{reverse('care:request_new', args=[back_to])}?per={member.pk}")
            return redirect("accounts:household")
    members = [
        (member, support_needs_of(member, reader=user)) for member in profile.household.all() if acting.covers(member)
    ]
    return render(request, "accounts/household.html", {
        "form": form, "members": members, "acting": acting, "back_to": back_to,
    })  # fmt: skip


@login_required
@require_POST
def household_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    user = request_user(request)
    member = access_household_member_for_citizen(user, member_id)
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
    offered = may_use_api_tokens(user)
    if not offered and (request.method == "POST" or not user.api_tokens.exists()):
        raise PermissionDenied  # a resident who still has a token from before may see and revoke it, not add one
    secret = None
    name_error = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            name_error = " ".join(str(message) for message in form.errors["name"])
        else:
            try:
                _token, secret = do_create_api_token(user, actor=user, name=form.cleaned_data["name"])
            except ValidationError as error:
                name_error = " ".join(error.messages)
    tokens = user.api_tokens.all()
    return render(request, "accounts/api_tokens.html", {"tokens": tokens, "secret": secret, "name_error": name_error})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request_user(request)
    do_revoke_api_token(access_api_token_for_user(user, token_id), actor=user)
    messages.success(request, _("The token has been revoked: it no longer works."))
    return redirect("accounts:api_tokens")


# Delegations: the citizen's own page. Delegates cannot manage delegations for the citizen.


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    profile = citizen_profile_of(user)
    if profile is None:
        messages.info(request, _("First add your codice fiscale and residence."))
        return redirect("accounts:profile")
    form = DelegationForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            do_grant_delegation(profile, actor=user, **form.delegation_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The delegation is active from its start date."))
            return redirect("accounts:delegations")
    granted = (
        profile.delegations_granted.filter(source=Delegation.Source.GRANTED)
        .select_related("delegate_user", "delegate_social_point")
        .prefetch_related("beneficiaries")
    )
    received = Delegation.objects.filter(delegate_user=user).select_related("granter__user")
    return render(request, "accounts/delegations.html", {
        "form": form, "granted": granted, "received": received, "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@require_POST
def delegation_revoke(request: HttpRequest, delegation_id: int) -> HttpResponse:
    """The citizen who granted it, or the delegate who no longer wants it, may revoke a delegation."""
    user = request_user(request)
    do_revoke_delegation(access_delegation_for_user(user, delegation_id), actor=user)
    messages.success(request, _("The delegation has been revoked: it no longer works."))
    if request.POST.get("next") == "consents":  # revoked from the page of consents
        return redirect("portal:consents")
    return redirect("accounts:delegations")


@login_required
@require_http_methods(["GET", "POST"])
def act_for(request: HttpRequest) -> HttpResponse:
    """Choose whom to act for (GET lists the people who delegated you); POST starts acting for them."""
    user = request_user(request)
    if request.method == "GET":
        return render(request, "accounts/act_for.html", {"people": people_i_act_for(user)})
    authority = authority_over_resident(user, request.POST.get("citizen", ""))
    if authority is None or not authority.is_delegate:
        raise Http404
    request.session[ACTING_SESSION_KEY] = authority.citizen.pk
    do_start_acting(authority)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("accounts:home")
    return redirect(next_url)


@login_required
@require_POST
def act_stop(request: HttpRequest) -> HttpResponse:
    request.session.pop(ACTING_SESSION_KEY, None)
    messages.info(request, _("You are back in your own area."))
    return redirect("accounts:home")


@require_http_methods(["GET", "POST"])
def take_over(request: HttpRequest) -> HttpResponse:
    """A resident registered at a Social Point takes the account over with the code from their letter."""
    form = TakeOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_take_over_account(
                codice_fiscale=form.cleaned_data["codice_fiscale"],
                code=form.cleaned_data["activation_code"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                client=client_address(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your account is yours now. Log in with your email and password: "
                    "we will ask you to confirm the email."
                ),
            )
            return redirect("account_login")
    return render(request, "accounts/take_over.html", {"form": form})
