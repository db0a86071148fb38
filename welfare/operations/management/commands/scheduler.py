from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from welfare.operations import tasks


class Command(BaseCommand):
    help = (
        "Run the scheduler until stopped: it enqueues each periodic command at its time (`manage.py schedule` "
        "prints them) and ticks for /healthz. Run one; with Redis a second one waits on a lock."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--run-now", default="", metavar="COMMAND[,COMMAND]",
            help="also enqueue these scheduled commands at once (after a long stop, to catch up)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        scheduled = {command for command, _crontab, _what in tasks.SCHEDULE}
        now = [name.strip() for name in options["run_now"].split(",") if name.strip()]
        if unknown := set(now) - scheduled:
            raise CommandError(f"Not in the schedule: {', '.join(sorted(unknown))}.")
        for name in now:
            getattr(tasks, name).enqueue()
            self.stdout.write(f"Enqueued {name} now.")
        call_command("crontask", no_heartbeat=True)
