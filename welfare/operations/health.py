"""What /healthz reports: the database, the cache, and how long ago the worker and the scheduler showed they were
alive. Nothing personal: states and ages in seconds."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from welfare.operations.heartbeat import last


def database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def shared_cache() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return bool(cache.get("healthz") == "ok")
    except Exception:  # a cache server that does not answer raises its client's own errors
        return False


def process(name: str, now: dt.datetime) -> dict[str, Any]:
    """`ok` when the process showed it was alive within HEALTH_STALE_SECONDS, `stale` when longer ago, `unknown`
    when it never did (a new installation whose scheduler has not started)."""
    try:
        at = last(name)
    except DatabaseError:  # the database's own state is reported beside
        at = None
    if at is None:
        return {"status": "unknown", "age_seconds": None}
    age = max(0, int((now - at).total_seconds()))
    return {"status": "ok" if age <= settings.HEALTH_STALE_SECONDS else "stale", "age_seconds": age}


def web_report() -> tuple[bool, dict[str, Any]]:
    """What a web process needs to answer pages: for a load balancer deciding where to send visitors."""
    report: dict[str, Any] = {
        "database": "ok" if database() else "unavailable",
        "cache": "ok" if shared_cache() else "unavailable",
    }
    healthy = all(value == "ok" for value in report.values())
    return healthy, {"status": "ok" if healthy else "error"} | report


def full_report() -> tuple[bool, dict[str, Any]]:
    """Everything: for monitoring. A stopped worker means emails stop; a stopped scheduler, the periodic work."""
    healthy, report = web_report()
    now = timezone.now()
    report |= {"worker": process("worker", now), "scheduler": process("scheduler", now)}
    healthy = healthy and report["worker"]["status"] == "ok" and report["scheduler"]["status"] == "ok"
    report["status"] = "ok" if healthy else "error"
    return healthy, report
