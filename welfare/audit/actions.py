"""The audit trail's only writer. Every action in every app calls `record` inside its transaction."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from welfare.audit.models import AuditEntry

# The audit trail stands below the accounts app (every app records, accounts included): it knows people only
# as Django's users.
Person = AbstractBaseUser


def record(
    actor: Person | None,
    verb: str,
    target: models.Model,
    *,
    on_behalf_of: Person | None = None,
    **data: Any,
) -> AuditEntry:
    """Record that `actor` did `verb` to `target`, for `on_behalf_of` when that is someone else.

    Keep `data` free of personal data: field names, ids, states, amounts.
    """
    if on_behalf_of is not None and actor is not None and on_behalf_of.pk == actor.pk:
        on_behalf_of = None
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor is not None else None,
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of is not None else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        data=data,
    )


def entries_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor", "on_behalf_of")
