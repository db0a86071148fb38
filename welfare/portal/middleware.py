"""Requests whose query string carries a NUL character are refused before any view sees them.

PostgreSQL cannot hold NUL in text, not even in a query's parameter: a search, a filter or a verification code
with %00 would otherwise end in a 500. Forms refuse NUL in what is posted (Django's CharField does); the API's
schemas refuse it in bodies; this closes the query strings of every page and API at once.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string


class RefuseNulInQuery:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                detail = "The query string contains a NUL character."
                return JsonResponse({"code": "invalid_input", "detail": detail}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)
