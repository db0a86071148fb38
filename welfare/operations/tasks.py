"""The schedule: every periodic command of the portal, when it runs, in one place (docs/deploy.md, "Schedule").

`manage.py crontask` (the scheduler process, django-crontask on APScheduler) enqueues each job at its time; a
worker runs it. Times are in TIME_ZONE (Europe/Rome). A job runs the management command of the same name, so an
operator can run any of them by hand; `manage.py schedule` prints this table with each job's last run.

Besides the jobs, the scheduler ticks every `heartbeat.interval_seconds()`: it records its own tick and sends the
worker a heartbeat task, so that /healthz can tell a stopped scheduler or a stopped worker (health.py).
"""

import io
import logging
import time

from apscheduler.triggers.interval import IntervalTrigger
from crontask import cron, scheduler
from django.core.management import call_command
from django.db import close_old_connections
from django.tasks import task, task_backends
from django.tasks.base import TASK_MAX_PRIORITY
from django.utils import timezone

from welfare.operations.heartbeat import beat, interval_seconds

logger = logging.getLogger(__name__)

# (command, crontab "minute hour day month weekday", what it does). Days of the week are written as names.
SCHEDULE = [
    ("expire_proposals", "5 * * * *", "expire the proposals a family did not confirm in time, giving the places back"),
    ("refresh_figures", "*/15 * * * *", "recompute the planning office's figures of this year, quarter and month"),
    ("evaluate_signals", "*/15 * * * *", "outreach signals make their tasks; residents who chose phone or SMS hear"),
    ("expire_vouchers", "10 0 * * *", "vouchers past their validity expire; what is left returns to the budget"),
    ("close_welfare_plans", "20 0 * * *", "after 31 December, last year's employer plans close and return the rest"),
    ("purge_expired_lists", "30 0 * * *", "outreach campaign lists past their expiry are deleted with their tasks"),
    ("confirm_silent_sessions", "45 0 * * *", "sessions the family did not answer in 7 days count as confirmed"),
    ("apply_retention", "0 2 * * *", "closed accounts: contacts deleted, the rest anonymised when their time is over"),
    ("reconcile_ledger", "0 3 * * *", "check every ledger balance against its entries (fails, and is logged, if not)"),
    ("housekeeping", "30 3 * * *", "delete expired sessions, old idempotency records and task results, old exports"),
    ("generate_statements", "0 6 1,8 * *", "prepare every provider's statement of last month; again on the 8th, after "
     "the last silent confirmations"),
    ("renew_family_assistants", "0 7 * * *", "remind family assistants whose listing ends; ended listings leave"),
    ("ask_family_assistant_follow_ups", "0 9 * * *", "three months after a hire, ask the family and the assistant"),
    ("send_appointment_reminders", "0 17 * * *", "email tomorrow's Social Point appointments; free lapsed bookings"),
]  # fmt: skip


def run_command(name: str) -> None:
    """Run one scheduled command in the worker; its output is logged (commands print counts, never people)."""
    started = time.monotonic()
    output = io.StringIO()
    call_command(name, stdout=output, stderr=output)
    logger.info(
        "scheduled command %s finished in %.1f s: %s",
        name, time.monotonic() - started, " ".join(output.getvalue().split())[:500],
    )  # fmt: skip
    beat(f"job:{name}")


@task()
def expire_proposals() -> None:
    run_command("expire_proposals")


@task()
def refresh_figures() -> None:
    run_command("refresh_figures")


@task()
def evaluate_signals() -> None:
    run_command("evaluate_signals")


@task()
def expire_vouchers() -> None:
    run_command("expire_vouchers")


@task()
def close_welfare_plans() -> None:
    run_command("close_welfare_plans")


@task()
def purge_expired_lists() -> None:
    run_command("purge_expired_lists")


@task()
def confirm_silent_sessions() -> None:
    run_command("confirm_silent_sessions")


@task()
def apply_retention() -> None:
    run_command("apply_retention")


@task()
def reconcile_ledger() -> None:
    run_command("reconcile_ledger")


@task()
def housekeeping() -> None:
    run_command("housekeeping")


@task()
def generate_statements() -> None:
    run_command("generate_statements")


@task()
def renew_family_assistants() -> None:
    run_command("renew_family_assistants")


@task()
def ask_family_assistant_follow_ups() -> None:
    run_command("ask_family_assistant_follow_ups")


@task()
def send_appointment_reminders() -> None:
    run_command("send_appointment_reminders")


for _command, _crontab, _what in SCHEDULE:
    cron(_crontab, sentry_monitor_config=None)(globals()[_command])


@task()
def worker_heartbeat() -> None:
    """Run by a worker: it is alive and takes tasks from the queue."""
    beat("worker")


def tick() -> None:
    """Run in the scheduler process itself (not a task): it is alive; and a heartbeat for the worker."""
    close_old_connections()
    try:
        beat("scheduler")
        backend = task_backends[worker_heartbeat.backend]
        # Ahead of the queue where the backend can (the database's); RQ has no priorities.
        urgent = getattr(backend, "supports_priority", False)
        (worker_heartbeat.using(priority=TASK_MAX_PRIORITY) if urgent else worker_heartbeat).enqueue()
    finally:
        close_old_connections()


# A job whose time passed while the scheduler was busy or starting runs once, late, rather than being skipped.
scheduler.configure(job_defaults={"coalesce": True, "misfire_grace_time": 600})
scheduler.add_job(
    tick, IntervalTrigger(seconds=interval_seconds()), name="welfare.operations.tick", next_run_time=timezone.now()
)
