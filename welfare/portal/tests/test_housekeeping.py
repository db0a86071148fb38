"""The nightly housekeeping deletes what is kept only for a while, and nothing else."""

import datetime as dt
import io

from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from welfare.accounts.actions import do_store_idempotent_answer
from welfare.accounts.models import IdempotencyRecord
from welfare.portal.models import PersonalDataExport

NOW = timezone.now


def task_result(finished_days_ago: int, status: str = "SUCCESSFUL") -> DBTaskResult:
    finished = NOW() - dt.timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        status=status, finished_at=finished, args_kwargs={"args": [], "kwargs": {}}, task_path="welfare.lib.mail.x",
        queue_name="default", backend_name="default",
    )  # fmt: skip


def test_housekeeping_deletes_only_what_has_had_its_time(alice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old_key = do_store_idempotent_answer(alice, key="old", fingerprint="f", status=201, body={})
    IdempotencyRecord.objects.filter(pk=old_key.pk).update(created_at=NOW() - dt.timedelta(days=8))
    do_store_idempotent_answer(alice, key="new", fingerprint="f", status=201, body={})
    Session.objects.create(session_key="expired", session_data="", expire_date=NOW() - dt.timedelta(seconds=1))
    Session.objects.create(session_key="alive", session_data="", expire_date=NOW() + dt.timedelta(hours=1))
    old_task, recent_task, failed_task = task_result(15), task_result(1), task_result(20, status="FAILED")
    expired = PersonalDataExport.objects.create(user=alice, ready_at=NOW(), expires_at=NOW() - dt.timedelta(hours=1))
    expired.file.save("dati.zip", ContentFile(b"zip"))
    path = expired.file.path
    current = PersonalDataExport.objects.create(user=alice, ready_at=NOW(), expires_at=NOW() + dt.timedelta(days=6))

    output = io.StringIO()
    call_command("housekeeping", stdout=output)

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["alive"]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent_task.pk, failed_task.pk}
    assert not DBTaskResult.objects.filter(pk=old_task.pk).exists()
    assert list(PersonalDataExport.objects.all()) == [current]
    assert not expired.file.storage.exists(path)
    assert "idempotency_records: 1" in output.getvalue()
    assert "task_results: 1" in output.getvalue()
