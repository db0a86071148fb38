from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from welfare.lib.encryption import encrypted_fields, reencrypt

BATCH = 500


class Command(BaseCommand):
    help = (
        "Encrypt every stored special-category value again with the first key of FIELD_ENCRYPTION_KEY (the others "
        "must still be listed after it). Safe to repeat; run it once after putting a new key first."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, field in encrypted_fields():
            rows = model._default_manager.exclude(**{field: ""}).order_by("pk").values_list("pk", flat=True)
            done = 0
            for start in range(0, rows.count(), BATCH):
                with transaction.atomic():
                    batch = model._default_manager.select_for_update().filter(pk__in=list(rows[start : start + BATCH]))
                    for pk, token in batch.values_list("pk", field):
                        model._default_manager.filter(pk=pk).update(**{field: reencrypt(token)})
                        done += 1
            self.stdout.write(f"{model._meta.label}.{field}: {done}")
            total += done
        self.stdout.write(f"Values encrypted again with the first key: {total}.")
