from typing import Any

from django.core.management.base import BaseCommand

from welfare.outreach.actions import do_purge_expired_lists


class Command(BaseCommand):
    help = "Delete the campaign lists past their expiry, with their entries and tasks (every night)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_purge_expired_lists()} lists deleted.")
