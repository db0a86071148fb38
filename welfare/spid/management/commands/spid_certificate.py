from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from welfare.spid.config import SPID
from welfare.spid.keys import ensure_key_pair


class Command(BaseCommand):
    help = (
        "Create the SPID/CIE service provider's key and a self-signed certificate at SPID_KEY_FILE and "
        "SPID_CERT_FILE, unless they exist. For trial installations and the demo: production registers a "
        "certificate made as docs/spid.md says."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        written = ensure_key_pair(
            Path(settings.SPID_KEY_FILE), Path(settings.SPID_CERT_FILE),
            common_name=settings.SPID_ORGANIZATION_NAME, entity_id=SPID.entity_id,
            ipa_code=settings.SPID_IPA_CODE, locality=settings.SPID_ORGANIZATION_NAME,
        )  # fmt: skip
        if written:
            self.stdout.write(f"Wrote {settings.SPID_KEY_FILE} and {settings.SPID_CERT_FILE}.")
        else:
            self.stdout.write("The service provider's key and certificate are already there.")
