from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from welfare.impact.indicators import published_figures
from welfare.impact.periods import period_from
from welfare.territory.models import Municipality
from welfare.territory.queries import current_district


class Command(BaseCommand):
    help = "Recompute the planning office's figures for this year, quarter and month (every 15 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        places = list(Municipality.objects.filter(district=current_district()).order_by("name"))
        codes = [str(today.year), f"{today.year}-T{(today.month - 1) // 3 + 1}", f"{today:%Y-%m}"]
        for language in ("it", "en"):
            with translation.override(language):
                for code in codes:
                    published_figures(period_from(code), places, refresh=True)
        self.stdout.write(f"Figures refreshed for {', '.join(codes)}.")
