from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from welfare.accounts.access import citizen_profile_of, request_user
from welfare.accounts.actions import do_set_preferred_language
from welfare.portal.page_cache import public_page
from welfare.territory.access import public_social_points, territory_version


@require_safe
@public_page(territory_version)
def home(request: HttpRequest) -> HttpResponse:
    """The Social Points of the visitor's own municipality come first, when we know it."""
    points = list(public_social_points())
    profile = citizen_profile_of(request.user)
    if profile is not None:
        points.sort(key=lambda point: point.municipality_id != profile.municipality_id)
    return render(request, "portal/home.html", {"social_points": points})


@require_safe
@public_page(territory_version)
def social_points(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/social_points.html", {"social_points": public_social_points()})


def _legal_text(request: HttpRequest, name: str) -> HttpResponse:
    """Legal texts are whole documents per language (portal/<name>.<lang>.html), Italian as fallback."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(request, [f"portal/{name}.{language}.html", f"portal/{name}.it.html"])


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return _legal_text(request, "privacy")


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return _legal_text(request, "accessibility")


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """The language switch: Django's set_language, and the choice saved on the account when logged in."""
    # Django's view checks the language and keeps `next` on this site.
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user = request_user(request)
        do_set_preferred_language(user, language, actor=user)
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
