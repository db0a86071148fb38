from typing import Any

from django.core.management.base import BaseCommand

from welfare.vouchers.actions import do_expire_vouchers


class Command(BaseCommand):
    help = "Expire vouchers past their validity; what is left of them goes back to the municipality's budget."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Vouchers expired: {do_expire_vouchers()}.")
