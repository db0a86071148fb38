from typing import Any

from django.core.management.base import BaseCommand

from welfare.care.complaints import do_follow_complaints
from welfare.care.reviews import do_ask_for_reviews
from welfare.outreach.actions import do_dispatch_notices, do_evaluate_signals


class Command(BaseCommand):
    help = (
        "Run every active signal rule and make a task for each new case, then send the residents' news by their "
        "channel: calls for the Social Points, text messages (every 15 minutes, e.g. from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made, asked = do_evaluate_signals(), do_ask_for_reviews()
        reminded, escalated = do_follow_complaints()
        self.stdout.write(f"{reminded} complaints reminded, {escalated} escalated to the planning office.")
        self.stdout.write(
            f"{made} tasks made; {asked} families asked to rate a service; {do_dispatch_notices()} notices sent."
        )
