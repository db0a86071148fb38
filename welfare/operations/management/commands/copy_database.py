from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from welfare.operations.copy import copy_database, differences


class Command(BaseCommand):
    help = (
        "Copy this installation's database (DATABASE_URL) into another, new and empty one, e.g. from SQLite to "
        "PostgreSQL, then compare every table row by row (docs/deploy.md). Stop the web, worker and scheduler first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target_url", help="the new database, e.g. postgres://welfare@127.0.0.1:5432/welfare")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            copied = copy_database(options["target_url"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        found = differences(options["target_url"])
        for difference in found:
            self.stderr.write(difference)
        if found:
            raise CommandError(f"The copy differs in {len(found)} tables.", returncode=1)
        self.stdout.write(
            f"Copied {sum(copied.values())} rows of {len(copied)} tables; every table compared row by row: identical. "
            "Now set DATABASE_URL to the new database and start the portal."
        )
