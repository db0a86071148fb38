from typing import Any

from django.core.management.base import BaseCommand

from welfare.portal.housekeeping import clean_up


class Command(BaseCommand):
    help = (
        "Delete what is kept only for a while: expired sessions, API answers past their replay window, finished "
        "background-task results, residents' data copies past their seven days. Scheduled every night."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for what, result in clean_up().items():
            self.stdout.write(f"{what}: {result}")
