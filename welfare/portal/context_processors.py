from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from welfare.accounts.access import ACTING_SESSION_KEY, Acting, acting_of
from welfare.accounts.dashboards import dashboards_for
from welfare.lib.page_cache import csrf_token_for_template
from welfare.territory.queries import district_for_pages


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's header, navigation and footer need, computed only when a template uses it."""
    placeholder = csrf_token_for_template(request)
    return ({"csrf_token": placeholder} if placeholder else {}) | {
        "district": SimpleLazyObject(district_for_pages),
        "role_dashboards": SimpleLazyObject(lambda: dashboards_for(_user(request))),
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "resident_password_login": settings.RESIDENT_PASSWORD_LOGIN,
        "acting_for": SimpleLazyObject(lambda: _acting_for(request)),
    }


def _acting_for(request: HttpRequest) -> Acting | None:
    """For the "you are acting for …" banner: only when the user chose to act for someone."""
    if not _user(request).is_authenticated or ACTING_SESSION_KEY not in request.session:
        return None
    acting = acting_of(request)
    return acting if acting.is_delegate else None


def _user(request: HttpRequest) -> Any:
    """The visitor; anonymous on the error pages of requests refused before authentication (a bad Host)."""
    return getattr(request, "user", None) or AnonymousUser()
