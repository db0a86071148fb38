from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the scheduler until stopped: it enqueues each periodic command at its time (`manage.py schedule` "
        "prints them) and ticks for /healthz. Run one; with Redis a second one waits on a lock."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("crontask", no_heartbeat=True)
