from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation


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
