import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from welfare.territory.actions import do_load_district

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = "Load (or update) a district and its municipalities from reference data. Safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DATA_DIR / "ambito-tradate.json"),
            help="JSON file with the district and its municipalities (default: the Ambito di Tradate).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(Path(options["path"]).read_text(encoding="utf-8"))
        district = do_load_district(data, actor=None)
        self.stdout.write(f"{district.name}: {district.municipalities.count()} municipalities.")
