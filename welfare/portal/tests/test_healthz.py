from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse


def test_it_reports_the_database_up(client, db):
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_it_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def down(self, sql, params=None):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", down)  # the database server is outside this process
        response = client.get(reverse("portal:healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
