"""Both APIs' documentation as a page of the portal: read from their OpenAPI descriptions and rendered in the
portal's own template (no external script or host; the CSP stays intact), with the machine-readable file linked."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from welfare.api.hsds import api as hsds_api
from welfare.api.v1 import api as v1_api


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    components = schema.get("components", {}).get("parameters", {})
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if not isinstance(operation, dict):
                continue
            parameters = []
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    parameter = components.get(parameter["$ref"].rsplit("/", 1)[-1], {})
                parameters.append({
                    "name": parameter.get("name", ""), "where": parameter.get("in", ""),
                    "required": parameter.get("required", False),
                    "description": parameter.get("description") or parameter.get("schema", {}).get("description", ""),
                })  # fmt: skip
            operations.append({
                "method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                "parameters": parameters, "body": "requestBody" in operation,
                "responses": sorted(operation.get("responses", {})),
            })  # fmt: skip
    return operations


def _page(request: HttpRequest, api: NinjaAPI, base: str, openapi_name: str) -> HttpResponse:
    schema = api.get_openapi_schema()
    return render(request, "portal/api_docs.html", {
        "title": schema["info"]["title"], "description": schema["info"].get("description", ""),
        "version": schema["info"]["version"], "base": base, "operations": _operations(schema),
        "openapi_url": reverse(openapi_name),
    })  # fmt: skip


@require_safe
def hsds_docs(request: HttpRequest) -> HttpResponse:
    return _page(request, hsds_api, "/api/hsds", "hsds:openapi-json")


@require_safe
def v1_docs(request: HttpRequest) -> HttpResponse:
    return _page(request, v1_api, "/api/v1", "api-v1:openapi-json")
