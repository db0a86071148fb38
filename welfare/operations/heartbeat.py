"""Heartbeats: the scheduler ticks, the worker answers, each scheduled job leaves its mark (health.py reads them)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from welfare.operations.models import Heartbeat


def beat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def last(name: str) -> dt.datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()


def interval_seconds() -> int:
    """How often the scheduler ticks and sends the worker a heartbeat: often enough that a process is called stale
    only after several missed beats."""
    return max(5, settings.HEALTH_STALE_SECONDS // 4)
