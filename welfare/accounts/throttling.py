from typing import Any

from django.http import HttpRequest


def login_identifier(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """What django-axes counts failures against: the email typed at login, case-insensitive."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or request.POST.get("login", "")
    return str(value).strip().lower()
