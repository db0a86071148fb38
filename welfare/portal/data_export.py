"""The resident asks for a copy of their data: one request at a time, built in the background, told by their
channel when it is ready, downloadable for seven days."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from welfare.accounts.models import User
from welfare.accounts.notices import notify_resident
from welfare.audit.actions import record
from welfare.lib.mail import absolute_url
from welfare.portal.models import PersonalDataExport
from welfare.portal.personal_data import build_archive

KEPT_DAYS = 7


@transaction.atomic
def do_request_personal_data_export(user: User) -> PersonalDataExport:
    if PersonalDataExport.objects.filter(user=user, ready_at__isnull=True).exists():
        raise ValidationError(_("Your copy is being prepared: you will be told when it is ready."), code="pending")
    export = PersonalDataExport.objects.create(user=user)
    record(user, "personal_data_export.requested", export)
    transaction.on_commit(lambda: build_personal_data_export.enqueue(str(export.pk)))
    return export


@task()
def build_personal_data_export(export_id: str) -> None:
    export = PersonalDataExport.objects.select_related("user").get(pk=export_id)
    with translation.override(export.user.preferred_language):
        content = build_archive(export.user)
    with transaction.atomic():
        export.file.save("dati.zip", ContentFile(content), save=False)
        export.size, export.ready_at = len(content), timezone.now()
        export.expires_at = export.ready_at + dt.timedelta(days=KEPT_DAYS)
        export.save()
        record(None, "personal_data_export.ready", export, on_behalf_of=export.user)
        notify_resident(export.user, "portal/email/personal_data_ready",
                        {"link": absolute_url(reverse("portal:my_data"))})  # fmt: skip


def forget_expired_exports(user: User | None = None) -> int:
    """Delete the copies past their seven days (their files first)."""
    expired = PersonalDataExport.objects.filter(expires_at__lt=timezone.now())
    if user is not None:
        expired = expired.filter(user=user)
    count = 0
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
