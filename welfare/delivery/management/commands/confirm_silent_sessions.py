from typing import Any

from django.core.management.base import BaseCommand

from welfare.delivery.actions import do_confirm_silent_sessions


class Command(BaseCommand):
    help = "Sessions the family did not answer by their deadline count as confirmed (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sessions confirmed by silence: {do_confirm_silent_sessions()}.")
