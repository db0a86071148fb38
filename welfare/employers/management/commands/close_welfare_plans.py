from typing import Any

from django.core.management.base import BaseCommand

from welfare.employers.actions import do_close_ended_plans


class Command(BaseCommand):
    help = (
        "Close last year's welfare plans whose unspent credit expires: what is left of every wallet goes back to "
        "the employer through the ledger (run it every night; carry-over plans are closed by their officer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_close_ended_plans()} plans closed.")
