from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from welfare.accounts.dashboards import dashboards_for
from welfare.territory.access import current_district


def portal(request: HttpRequest) -> dict[str, Any]:
    """What every page's header, navigation and footer need, computed only when a template uses it."""
    return {
        "district": SimpleLazyObject(current_district),
        "role_dashboards": SimpleLazyObject(lambda: dashboards_for(request.user)),
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
    }
