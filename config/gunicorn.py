"""gunicorn's settings for the web process: `gunicorn -c config/gunicorn.py config.wsgi` (docs/deploy.md).

Each can be changed in the environment (GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_TIMEOUT) or on the command line.
Requests are logged by the portal itself (welfare/operations/logs.py), so gunicorn writes no access log; its own
messages (workers starting, a worker killed) are JSON lines like the portal's.
"""

import os

from welfare.operations.logs import logging_config


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


bind = _env("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(_env("WEB_CONCURRENCY", "3"))
timeout = int(_env("GUNICORN_TIMEOUT", "60"))  # a PDF or a large export may take a while
graceful_timeout = 30
max_requests = 2000  # each worker is replaced after this many requests (with some jitter): memory stays flat
max_requests_jitter = 200
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
_debug = _env("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
logconfig_dict = logging_config(
    _env("LOG_LEVEL", "INFO"),
    json=_env("LOG_FORMAT", "text" if _debug else "json") == "json",
    loggers={"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
)
