from typing import Any

from django.core.management.base import BaseCommand

from welfare.family_assistants.actions import remind_and_expire_listings


class Command(BaseCommand):
    help = "Daily: remind family assistants whose listing ends within 30 days; take ended listings out of the register."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded, expired = remind_and_expire_listings()
        self.stdout.write(f"{reminded} reminded, {expired} expired")
