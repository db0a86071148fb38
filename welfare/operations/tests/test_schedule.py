"""The schedule: every periodic command is in it, each job runs its command in the worker, and the scheduler's tick
makes the worker answer (what /healthz reads)."""

import pytest
from crontask import scheduler
from django.core.management import call_command, get_commands

from welfare.operations import tasks
from welfare.operations.heartbeat import last
from welfare.operations.tasks import SCHEDULE

# Commands an operator runs by hand, never on a schedule.
BY_HAND = {
    "load_district", "load_taxonomy", "load_finder_rules", "load_signal_rules", "load_demo", "demo_accounts",
    "seed_scale", "grant_role", "spid_certificate", "backup", "restore", "copy_database", "rotate_encryption_key",
    "schedule", "worker", "scheduler",
}  # fmt: skip


def test_every_command_of_the_portal_is_scheduled_or_run_by_hand():
    ours = {name for name, app in get_commands().items() if app.startswith("welfare.")}
    scheduled = {command for command, _crontab, _what in SCHEDULE}
    assert ours - BY_HAND == scheduled, "a periodic command is missing from welfare/operations/tasks.py"
    assert not scheduled & BY_HAND


def test_each_job_is_on_the_scheduler_with_its_crontab():
    jobs = {job.name: job for job in scheduler.get_jobs()}
    for command, crontab, _what in SCHEDULE:
        job = jobs[command]
        minute, hour, day, month, _weekday = crontab.split()
        fields = {field.name: str(field) for field in job.trigger.fields}
        assert (fields["minute"], fields["hour"], fields["day"], fields["month"]) == (minute, hour, day, month)
    assert "welfare.operations.tick" in jobs


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_its_command_in_the_worker_and_leaves_its_mark(caplog):
    # The tests' task backend (conftest) runs each task when it is enqueued, as a worker would.
    with caplog.at_level("INFO", logger="welfare.operations.tasks"):
        tasks.reconcile_ledger.enqueue()
    assert last("job:reconcile_ledger") is not None
    assert "scheduled command reconcile_ledger finished" in caplog.text
    assert "The ledger reconciles" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_tick_records_the_scheduler_and_makes_the_worker_answer():
    assert last("scheduler") is None
    assert last("worker") is None
    tasks.tick()
    assert last("scheduler") is not None
    assert last("worker") is not None


def test_the_schedule_command_prints_every_job(db, capsys):
    call_command("schedule")
    printed = capsys.readouterr().out
    for command, crontab, _what in SCHEDULE:
        assert f"{crontab:<16} {command}" in printed
