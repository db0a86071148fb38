import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Generate a reproducible district-sized population for benchmarks (DEBUG only, never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--citizens", type=int, default=56_000, help="residents to add (default 56,000)")
        parser.add_argument("--seed", type=int, default=2026, help="the random seed: same seed, same data")

    def handle(self, *args: Any, **options: Any) -> None:
        from welfare.portal.seed import seed

        started = time.perf_counter()
        try:
            report = seed(options["citizens"], seed=options["seed"], say=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
        if report.counts.get("ledger mismatches"):
            raise CommandError("The seeded ledger does not reconcile.", returncode=1)
