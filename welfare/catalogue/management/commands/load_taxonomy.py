import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from welfare.catalogue.actions import do_load_taxonomies

DATA = Path(__file__).resolve().parents[2] / "data" / "taxonomy.json"


class Command(BaseCommand):
    help = "Load (or update) the taxonomy of service kinds and target groups. Safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(DATA))

    def handle(self, *args: Any, **options: Any) -> None:
        count = do_load_taxonomies(json.loads(Path(options["path"]).read_text(encoding="utf-8")), actor=None)
        self.stdout.write(f"{count} taxonomy terms.")
