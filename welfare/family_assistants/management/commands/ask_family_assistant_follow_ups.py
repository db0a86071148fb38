from typing import Any

from django.core.management.base import BaseCommand

from welfare.family_assistants.actions import ask_follow_ups


class Command(BaseCommand):
    help = "Daily: three months after a hire through the desk, ask the family and the assistant how it goes."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{ask_follow_ups()} follow-ups asked")
