from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from welfare.operations.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Load a backup archive into an empty database and empty storage, then compare every table and every "
        "document with its manifest (docs/deploy.md, 'Restoring'). Exits 1 on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database-url", help="the empty database to load (default: DATABASE_URL's)")
        parser.add_argument("--var-dir", type=Path, help="where the documents go (default: VAR_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = read_manifest(options["archive"])
            differences = restore(options["archive"], options["database_url"], options["var_dir"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for difference in differences:
            self.stderr.write(difference)
        if differences:
            raise CommandError(f"The restore differs from the backup in {len(differences)} places.", returncode=1)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['tables'])} tables, {rows} rows and "
            f"{len(manifest['files'])} documents, each identical to the manifest."
        )
