from typing import Any

from django.core.management.base import BaseCommand

from welfare.assistance.actions import do_lapse_unconfirmed_bookings, do_send_appointment_reminders


class Command(BaseCommand):
    help = (
        "Email tomorrow's Social Point appointments a reminder, once each, and free the slots of online bookings "
        "not confirmed in time (run it daily, e.g. from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = do_lapse_unconfirmed_bookings()
        self.stdout.write(f"{do_send_appointment_reminders()} reminders sent, {lapsed} unconfirmed bookings freed.")
