from typing import Any

from django.core.management.base import BaseCommand

from welfare.outreach.actions import do_dispatch_notices, do_evaluate_signals


class Command(BaseCommand):
    help = (
        "Run every active signal rule and make a task for each new case, then send the residents' news by their "
        "channel: calls for the Social Points, text messages (every 15 minutes, e.g. from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{do_evaluate_signals()} tasks made; {do_dispatch_notices()} notices sent.")
