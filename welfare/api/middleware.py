"""Headers the open catalogue's users expect (Open Referral's API reference): any origin may read it (CORS), and
every answer carries an ETag and Last-Modified so that a client asks again cheaply (304 Not Modified)."""

import datetime as dt
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

OPEN_PREFIXES = ("/api/hsds/",)


def open_api_headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not request.path.startswith(OPEN_PREFIXES):
            return response
        response["Access-Control-Allow-Origin"] = "*"
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        newest = _newest_change()
        if newest is not None:
            response["Last-Modified"] = http_date(newest.timestamp())
        modified = int(newest.timestamp()) if newest is not None else None
        conditional = get_conditional_response(request, etag=etag, last_modified=modified, response=response)
        if conditional is None:
            return response
        conditional["Access-Control-Allow-Origin"] = "*"
        return conditional

    return middleware


def _newest_change() -> dt.datetime | None:
    """When the catalogue last changed, remembered for a minute (the ETag, from the content, is always exact)."""
    from welfare.catalogue.models import Service  # the catalogue's newest change dates every answer

    newest: dt.datetime | None = cache.get("hsds:newest")
    if newest is None:
        newest = Service.objects.aggregate(newest=Max("last_modified"))["newest"]
        cache.set("hsds:newest", newest, 60)
    return newest
