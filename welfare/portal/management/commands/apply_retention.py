from typing import Any

from django.core.management.base import BaseCommand

from welfare.portal.closure import do_apply_retention


class Command(BaseCommand):
    help = (
        "Retention of closed accounts (run daily): delete their contact records, and anonymise what the law kept, "
        "once their periods (settings.RETENTION_YEARS) are over."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = do_apply_retention()
        self.stdout.write(f"Closed accounts: contacts deleted for {done['contacts_deleted']}, "
                          f"anonymised {done['anonymised']}.")  # fmt: skip
