import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from welfare.portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the portal's URL and the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\nWelfare Integrato demo: {options['url']}\n")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        width = max(len(account.email) for account in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<{width}}  {account.description}")
        code = os.environ.get("DEMO_TOTP_CODE")
        if code:
            self.stdout.write(
                f"Staff accounts ask for a second factor (an authenticator app): in this demo the code {code} "
                "is accepted, both to set the app up and at every login."
            )
        self.stdout.write("")
