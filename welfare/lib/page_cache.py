"""Whole-page cache for what anonymous visitors read: the public catalogue, the open HSDS API, the home
page and the Social Points page.

Most visits to the catalogue are anonymous searches and service pages; rendering them costs tens of
milliseconds (search, facets, the base template) for data that changes a few times a day. A page is
cached per language and full URL, under a version that changes as soon as the data behind it does
(`version()`: a few cheap queries, asked at most once a second by each process:
`settings.PUBLIC_PAGE_VERSION_SECONDS`), and for `PAGE_SECONDS` at most. So a change shows to
anonymous visitors within a second, and a cached page costs no database round trip. Nothing
personal can be in it:

- only GET requests by visitors who are not logged in, with no pending message, are served from it
  or stored in it; a response is stored only if it is a 200 that sets no cookie and did not change
  the session;
- the CSRF token (the language switch is a form) is rendered as a placeholder and replaced on every
  response with the visitor's own token. The CSP nonce is never in the HTML: there is no inline script.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PAGE_SECONDS = 120
CSRF_PLACEHOLDER = "wiPageCacheCsrfPlaceholder0"
RENDERING_FOR_CACHE = "_wi_rendering_for_page_cache"

type View = Callable[..., HttpResponse]
clock = time.time  # replaced in tests


def cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    return not len(messages.get_messages(request))  # len() reads the messages without consuming them


def csrf_token_for_template(request: HttpRequest) -> str | None:
    """For the portal's context processor: the placeholder while a page is rendered for the cache."""
    return CSRF_PLACEHOLDER if getattr(request, RENDERING_FOR_CACHE, False) else None


def public_page(version: Callable[[], str]) -> Callable[[View], View]:
    """Serve the view's page from the cache for anonymous visitors (see the module's docstring)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            where = f"{view.__module__}.{view.__qualname__}|{request.get_full_path()}"
            raw = f"{where}|{current_version(version)}|{get_language()}"
            key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
            stored = _cached(key)
            if stored is None:
                setattr(request, RENDERING_FOR_CACHE, True)
                try:
                    response = view(request, *args, **kwargs)
                    if hasattr(response, "render"):
                        response.render()
                finally:
                    setattr(request, RENDERING_FOR_CACHE, False)
                session = getattr(request, "session", None)
                if (
                    response.status_code != 200
                    or response.streaming
                    or response.cookies
                    or (session and session.modified)
                ):
                    return _with_token(response, request)
                stored = (response.content, response["Content-Type"])
                cache.set(key, stored, PAGE_SECONDS)
                caches["local"].set(key, stored, PAGE_SECONDS)
            content, content_type = stored
            return _with_token(HttpResponse(content, content_type=content_type), request)

        return wrapper

    return decorator


def current_version(version: Callable[[], str]) -> str:
    """`version()`, asked at most once per `PUBLIC_PAGE_VERSION_SECONDS` by this process (0: every time).

    Also for other caches keyed by the same version (the search facets), so that a page rendered on a
    miss asks the database once."""
    seconds = settings.PUBLIC_PAGE_VERSION_SECONDS
    if not seconds:
        return version()
    key = f"page-version:{version.__module__}.{version.__qualname__}:{int(clock() // seconds)}"
    local = caches["local"]
    found: str | None = local.get(key)
    if found is None:
        found = version()
        local.set(key, found, seconds * 2 + 1)
    return found


def _cached(key: str) -> tuple[bytes, str] | None:
    """This process's copy first, then the shared cache (Redis, when configured), copied here on a hit.

    Safe because the key includes the data's version: a copy is never served after a change."""
    local = caches["local"]
    found: tuple[bytes, str] | None = local.get(key)
    if found is None and cache is not local:
        found = cache.get(key)
        if found is not None:
            local.set(key, found, PAGE_SECONDS)
    return found


def _with_token(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response
