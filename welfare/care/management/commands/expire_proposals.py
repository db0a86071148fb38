from typing import Any

from django.core.management.base import BaseCommand

from welfare.care.actions import do_expire_proposals


class Command(BaseCommand):
    help = "Expire the proposals a family did not confirm by their deadline (run it every hour, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_expire_proposals()} proposals expired.")
