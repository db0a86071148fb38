"""What the running processes say about themselves: when each last showed it was alive (health.py reads it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a process or a scheduled job showed it was alive: `scheduler` (each tick of the scheduler),
    `worker` (each heartbeat task a worker ran), `job:<command>` (each scheduled command that finished)."""

    name = models.CharField(max_length=80, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return self.name
