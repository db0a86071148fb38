from typing import Any

from django.core.management.base import BaseCommand, CommandError

from welfare.ledger.actions import reconcile
from welfare.ledger.models import Account, Entry


class Command(BaseCommand):
    help = "Check every ledger balance against its entries and every transaction against zero; exit 1 on a mismatch."

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches = reconcile()
        for mismatch in mismatches:
            self.stderr.write(str(mismatch))
        if mismatches:
            raise CommandError(f"The ledger does not reconcile: {len(mismatches)} mismatch(es).", returncode=1)
        self.stdout.write(
            f"The ledger reconciles: {Account.objects.count()} accounts, {Entry.objects.count()} entries."
        )
