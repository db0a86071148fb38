from typing import Any

from django.core.management.base import BaseCommand

from welfare.outreach.actions import do_install_default_rules


class Command(BaseCommand):
    help = "Add the shipped signal rules once (an edited rule is never overwritten)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_install_default_rules()} signal rules added.")
