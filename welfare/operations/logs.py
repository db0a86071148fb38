"""Structured logs: one JSON object a line (python-json-logger), each carrying the request it was written for.

`RequestLogMiddleware` (first in MIDDLEWARE) gives every request an id (the proxy's `X-Request-ID` when it is a
plain token, else a new one, sent back in the answer), keeps it for the log records written while the request is
answered, and writes one line when it is: method, path without the query string, status, duration. The
`RequestContext` filter adds `request_id`, `user_id` and `path` to every record. Personal values never get there:
the path has no query string, the user is a number, and `welfare.lib.redact` masks codici fiscali and emails in
every message and string field on every handler. This module is imported by the settings and by gunicorn's
configuration: it must stay light.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from welfare.lib.redact import redact

logger = logging.getLogger("welfare.request")

_request: ContextVar[Any] = ContextVar("welfare_request", default=None)
_request_id: ContextVar[str] = ContextVar("welfare_request_id", default="")
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        request_token, id_token = _request.set(request), _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method, request.path, response.status_code,
                extra={"method": request.method, "status": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1)},
            )  # fmt: skip
            return response
        finally:
            _request.reset(request_token)
            _request_id.reset(id_token)


def user_id(request: Any) -> int | None:
    """The user the request is for, once authentication has looked them up (never a query of its own)."""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestContext(logging.Filter):
    """Adds request_id, user_id and path (without query string) to every record; None outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        record.request_id = _request_id.get() or None
        record.user_id = user_id(request) if request is not None else None
        record.path = request.path if request is not None else None
        # Django's request loggers attach the request itself, whose text includes the query string.
        if hasattr(record, "request"):
            del record.request
        return True


# What python-json-logger writes: time, level, logger and message first, then any extra field of the record.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "{levelname}{name}{message}{request_id}{user_id}{path}",
    "style": "{",
    "timestamp": "time",
    "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "traceback"},
    "reserved_attrs": [
        "args", "created", "exc_info", "exc_text", "filename", "funcName", "levelno", "lineno", "module", "msecs",
        "msg", "pathname", "process", "processName", "relativeCreated", "stack_info", "thread", "threadName",
        "taskName",
        "server_time", "request", "color_message",
    ],
}  # fmt: skip
TEXT_FORMATTER = {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"}


def logging_config(level: str, json: bool, loggers: dict[str, Any] | None = None) -> dict[str, Any]:
    """The dictConfig of the portal's processes (settings.LOGGING) and of gunicorn's own messages."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "welfare.lib.redact.RedactPersonalData"},
            "context": {"()": "welfare.operations.logs.RequestContext"},
        },
        "formatters": {"json": JSON_FORMATTER, "text": TEXT_FORMATTER},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context", "redact"],
                "formatter": "json" if json else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": loggers or {},
    }


def scrub_sentry_event(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Sentry's before_send: no query string, cookies, body or headers of the request, and every string masked
    (codici fiscali, emails) wherever it is in the event, exception values and local variables included."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "cookies", "data", "headers", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    masked: dict[str, Any] = _masked(event)
    return masked


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value
