import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from welfare.delivery.actions import do_generate_month


class Command(BaseCommand):
    help = "Prepare (or rebuild) every provider's statement of a month; submitted and approved ones are kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM; the previous month by default")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            month = dt.datetime.strptime(options["month"], "%Y-%m").date()
        else:
            month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        statements = do_generate_month(month)
        self.stdout.write(f"Statements for {month:%Y-%m}: {len(statements)}.")
