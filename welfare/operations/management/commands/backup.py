from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from welfare.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive with the database, the private documents and a manifest of row counts and checksums "
        "(docs/deploy.md, 'Backups'). Copy it off this machine; without FIELD_ENCRYPTION_KEY its encrypted fields "
        "cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="the archive to write (default: VAR_DIR/backups/welfare-<time>.tar)"
        )
        parser.add_argument("--keep", type=int, default=0, help="then delete all but the newest KEEP archives there")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = settings.VAR_DIR / "backups"
        destination = options["output"] or folder / f"welfare-{timezone.now():%Y%m%d-%H%M%S}.tar"
        try:
            manifest = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        size = destination.stat().st_size // 1024
        self.stdout.write(
            f"Backup written to {destination} ({size} KiB): {manifest['database']['vendor']}, "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} documents."
        )
        if options["keep"] > 0:
            archives = sorted(destination.parent.glob("welfare-*.tar"), reverse=True)
            for old in archives[options["keep"] :]:
                old.unlink()
                self.stdout.write(f"Deleted the older backup {old.name}.")
