"""/healthz (monitoring: database, cache, worker, scheduler) and /healthz/web (a load balancer: can this process
answer pages?). Answers carry states and ages only."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse
from django.utils import timezone

from welfare.operations.heartbeat import beat
from welfare.operations.models import Heartbeat


@pytest.fixture
def alive(db):
    beat("worker"), beat("scheduler")


def test_all_green_when_the_worker_and_the_scheduler_were_seen_lately(client, alive):
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == body["database"] == body["cache"] == "ok"
    assert body["worker"]["status"] == body["scheduler"]["status"] == "ok"
    assert 0 <= body["worker"]["age_seconds"] <= 5
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_stopped_worker_turns_it_503_after_the_stated_time(client, alive, settings):
    stale = timezone.now() - dt.timedelta(seconds=settings.HEALTH_STALE_SECONDS + 1)
    Heartbeat.objects.filter(name="worker").update(at=stale)
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["worker"]["status"] == "stale"
    assert response.json()["worker"]["age_seconds"] >= settings.HEALTH_STALE_SECONDS
    assert response.json()["scheduler"]["status"] == "ok"
    # A load balancer's check only asks whether this process can answer pages.
    assert client.get(reverse("portal:healthz_web")).status_code == 200


def test_a_scheduler_that_never_ticked_is_unknown_and_503(client, db):
    beat("worker")
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 503
    assert response.json()["scheduler"] == {"status": "unknown", "age_seconds": None}


def test_it_answers_503_when_the_database_is_down(client, alive, monkeypatch):
    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", down)  # the database server is outside this process
        response = client.get(reverse("portal:healthz"))
        web = client.get(reverse("portal:healthz_web"))
    assert response.status_code == web.status_code == 503
    assert response.json()["database"] == web.json()["database"] == "unavailable"
    assert response.json()["worker"]["status"] == "unknown"


def test_it_answers_503_when_the_cache_does_not_answer(client, alive, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "set", down)
    response = client.get(reverse("portal:healthz_web"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}
