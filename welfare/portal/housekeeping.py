"""The nightly clean-up (`manage.py housekeeping`, in the schedule): what is kept only for a while goes."""

from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from welfare.accounts.actions import forget_old_idempotency_records
from welfare.portal.data_export import forget_expired_exports

# Finished background tasks are kept this long for whoever investigates a failure; failed ones longer.
TASK_RESULT_DAYS = 14
FAILED_TASK_RESULT_DAYS = 60


def clean_up() -> dict[str, int]:
    """Expired sessions, API answers past their replay window, finished task results (database backend; Redis
    expires its own), residents' copies of their data past their seven days. Returns what it did."""
    done: dict[str, int] = {}
    call_command("clearsessions")
    done["idempotency_records"] = forget_old_idempotency_records()
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        before = DBTaskResult.objects.count()
        call_command(
            "prune_db_task_results", "--queue-name", "*", "--min-age-days", str(TASK_RESULT_DAYS),
            "--failed-min-age-days", str(FAILED_TASK_RESULT_DAYS), verbosity=0,
        )  # fmt: skip
        done["task_results"] = before - DBTaskResult.objects.count()
    done["personal_data_exports"] = forget_expired_exports()
    return done
