"""The audit trail's only writer. Every action in every app calls `record` inside its transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from welfare.accounts.models import User
from welfare.audit.models import AuditEntry


def record(
    actor: User | None,
    verb: str,
    target: models.Model,
    *,
    on_behalf_of: User | None = None,
    **data: Any,
) -> AuditEntry:
    """Record that `actor` did `verb` to `target`, for `on_behalf_of` when that is someone else.

    Keep `data` free of personal data: field names, ids, states, amounts.
    """
    if on_behalf_of is not None and actor is not None and on_behalf_of.pk == actor.pk:
        on_behalf_of = None
    return AuditEntry.objects.create(
        actor=actor,
        on_behalf_of=on_behalf_of,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        data=data,
    )


def entries_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor", "on_behalf_of")
