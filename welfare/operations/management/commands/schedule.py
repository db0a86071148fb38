from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from welfare.operations.heartbeat import last
from welfare.operations.tasks import SCHEDULE


class Command(BaseCommand):
    help = "Print the schedule of the periodic commands (welfare/operations/tasks.py) with each one's last run."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Times in {timezone.get_current_timezone_name()}; minute hour day month weekday.")
        for command, crontab, what in SCHEDULE:
            at = last(f"job:{command}")
            ran = timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else "never"
            self.stdout.write(f"{crontab:<16} {command:<32} last run {ran:<16}  {what}")
        for name in ("scheduler", "worker"):
            at = last(name)
            self.stdout.write(f"{name} last seen: {timezone.localtime(at).isoformat() if at else 'never'}")
