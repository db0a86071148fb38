import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from welfare.finder.actions import do_load_finder_rules
from welfare.territory.queries import current_district

RULES = Path(__file__).resolve().parents[2] / "data" / "rules.json"


class Command(BaseCommand):
    help = "Add the needs finder's starting rules to the district (rules already there are kept as edited)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", type=Path, default=RULES)

    def handle(self, *args: Any, **options: Any) -> None:
        district = current_district()
        if district is None:
            raise CommandError("Load the district first: manage.py load_district")
        added = do_load_finder_rules(district, json.loads(options["file"].read_text()), actor=None)
        self.stdout.write(f"Needs finder rules added: {added}")
