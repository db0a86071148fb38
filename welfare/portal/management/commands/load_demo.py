from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from welfare.catalogue.models import TaxonomyTerm
from welfare.portal.demo import load_demo
from welfare.territory.models import District


class Command(BaseCommand):
    help = "Load the demo Social Points, providers and accounts (one per role). Safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Load even with DEBUG off (never in production).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo accounts have a published password: refusing to load them with DEBUG off.")
        district = District.objects.filter(slug=settings.WELFARE_DISTRICT).first()
        if district is None:
            raise CommandError(
                f"District {settings.WELFARE_DISTRICT!r} not loaded: run `manage.py load_district` first."
            )
        if not TaxonomyTerm.objects.exists():
            raise CommandError("Taxonomy not loaded: run `manage.py load_taxonomy` first.")
        load_demo(district)
        self.stdout.write("Demo data loaded.")
