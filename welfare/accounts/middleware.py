from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from welfare.accounts.access import roles_of
from welfare.accounts.second_factor import has_second_factor, has_totp, session_ended, staff_seen


class PreferredLanguageMiddleware:
    """Use the language a logged-in user chose, unless this browser has picked one with the switch.

    Order of precedence: the language switch (cookie), then the user's saved choice,
    then the browser's Accept-Language (LocaleMiddleware), then Italian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
            and user.preferred_language != request.LANGUAGE_CODE
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


# The fields of the forms a delegate writes in (a message, a request's needs, a reason) that are given back.
KEPT_FIELDS = ("body", "needs", "reason", "notes", "preferred_times")


class ActingEndedMiddleware:
    """When the delegation someone was acting under ends (revoked, expired) while they are on the resident's
    pages, the next page they open or form they send is refused: say why, rather than "not found", and give
    back what they had typed so that nothing is lost (the text is shown to its author only, never stored)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        citizen_id = getattr(request, "acting_ended_for", None)
        if citizen_id is None or not isinstance(exception, Http404 | PermissionDenied):
            return None
        from welfare.accounts.models import User

        citizen = User.objects.filter(pk=citizen_id).first()
        kept = [request.POST[name] for name in KEPT_FIELDS if request.method == "POST" and request.POST.get(name)]
        return render(request, "accounts/acting_ended.html", {
            "name": citizen.get_full_name() if citizen is not None else "", "kept": kept,
        }, status=403)  # fmt: skip


# Staff pages: the personal area and the private API, when reached with a session.
STAFF_PREFIXES = ("/area-riservata/", "/api/v1/")
SEEN_EVERY_SECONDS = 60  # the last-seen time is written at most once a minute (a session save per request saved)


class StaffSessionMiddleware:
    """Staff (anyone holding a role) see health and money data: they use a second factor (TOTP from allauth.mfa,
    with recovery codes) before any staff page, and their sessions end after `STAFF_IDLE_SECONDS` without a request
    and `STAFF_SESSION_SECONDS` in all. Residents are not asked for a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not roles_of(user):
            return self.get_response(request)
        if session_ended(request):
            logout(request)
            messages.info(request, _("Your session has ended: log in again to go on."))
            return _to("account_login", request)
        staff_seen(request, SEEN_EVERY_SECONDS)
        if request.path.startswith(STAFF_PREFIXES) and not has_second_factor(request, user):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "second_factor_required", "message": "Log in with a second factor."},
                                    status=403)  # fmt: skip
            return _to("mfa_reauthenticate" if has_totp(user) else "mfa_activate_totp", request)
        return self.get_response(request)


def _to(url_name: str, request: HttpRequest) -> HttpResponse:
    wanted = request.get_full_path() if request.method == "GET" else request.path
    return redirect(f"{reverse(url_name)}?{urlencode({'next': wanted})}")
