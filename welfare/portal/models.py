import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare.lib.uploads import private_storage


def export_path(instance: "PersonalDataExport", filename: str) -> str:
    return f"exports/{instance.pk}/{uuid.uuid4().hex}.zip"


class PersonalDataExport(models.Model):
    """A copy of everything held about a resident (GDPR art. 15), built in the background, downloadable by them
    until `expires_at`, then deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=export_path, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M}"
