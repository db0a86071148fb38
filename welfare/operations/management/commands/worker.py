from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run background tasks (emails, copies of data, the scheduled commands) until stopped: the database queue's "
        "db_worker, or with TASKS_REDIS_URL an RQ worker (as many as wanted, on any host)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if "django_tasks_rq" in settings.INSTALLED_APPS:
            # verbosity 0: RQ would otherwise log each job with its arguments (an email's text) at INFO.
            call_command("rqworker", "default", job_class="django_tasks_rq.Job", verbosity=0)
        else:
            call_command("db_worker", queue_name="*", reload=False)
