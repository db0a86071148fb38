"""Moving an installation to another database, typically from SQLite to PostgreSQL (`manage.py copy_database`;
docs/deploy.md, "From SQLite to PostgreSQL").

The target gets the schema from the migrations, is emptied of what the migrations wrote (content types,
permissions), then receives every row of every table, keys included, in one transaction; its sequences are moved
past the copied keys. Then every table is read back on both sides and compared row by row. Stop the three
processes first: rows written during the copy would be missing from the target.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dj_database_url
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.utils import load_backend

TARGET = "copy_target"
BATCH = 1000


def copyable_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _attnames(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _key_index(model: type[models.Model]) -> int:
    return _attnames(model).index(model._meta.pk.attname)


def _rows(model: type[models.Model], alias: str) -> Iterator[tuple[Any, ...]]:
    """Every row, in key order, a page at a time."""
    queryset = model._base_manager.using(alias).order_by("pk").values_list(*_attnames(model))
    key = _key_index(model)
    last = None
    while True:
        page = queryset.filter(pk__gt=last) if last is not None else queryset
        batch = list(page[:BATCH])
        if not batch:
            return
        yield from batch
        last = batch[-1][key]


@contextmanager
def _timestamps_as_they_are() -> Iterator[None]:
    """auto_now and auto_now_add fields would stamp every copied row with the time of the copy: not during it."""
    stamped = [
        (field, field.auto_now, field.auto_now_add)
        for model in copyable_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)
    ]
    for field, _now, _add in stamped:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, add in stamped:
            field.auto_now, field.auto_now_add = now, add


def connect_target(url: str) -> str:
    """Open the target database as a second connection of this process (not a configured database: it exists
    only for the copy)."""
    configured = connections.configure_settings(
        {"default": connections.settings["default"], TARGET: dj_database_url.parse(url)}
    )[TARGET]
    connections[TARGET] = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, TARGET)
    return TARGET


def copy_database(url: str, source: str = "default") -> dict[str, int]:
    """Copy every row from `source` into the database at `url`; returns the rows copied per table. Refuses a target
    that holds data beyond what the migrations write."""
    target = connect_target(url)
    try:
        call_command("migrate", database=target, interactive=False, verbosity=0)
        written_by_migrations = {"django_content_type", "auth_permission"}
        for model in copyable_models():
            if model._meta.db_table not in written_by_migrations and model._base_manager.using(target).exists():
                raise ValueError(
                    f"The target database already has data ({model._meta.db_table}): copy into a new, empty database."
                )
        call_command("flush", database=target, interactive=False, inhibit_post_migrate=True, verbosity=0)
        copied: dict[str, int] = {}
        with transaction.atomic(using=target), _timestamps_as_they_are():
            for model in copyable_models():
                names = _attnames(model)
                batch: list[models.Model] = []
                count = 0
                for row in _rows(model, source):
                    batch.append(model(**dict(zip(names, row, strict=True))))
                    if len(batch) == BATCH:
                        model._base_manager.using(target).bulk_create(batch)
                        count, batch = count + len(batch), []
                if batch:
                    model._base_manager.using(target).bulk_create(batch)
                    count += len(batch)
                copied[model._meta.db_table] = count
            with connections[target].cursor() as cursor:
                for statement in connections[target].ops.sequence_reset_sql(no_style(), copyable_models()):
                    cursor.execute(statement)
        return copied
    finally:
        connections[target].close()


def differences(url: str, source: str = "default") -> list[str]:
    """Every table read on both sides, row by row in key order: where they differ."""
    target = connect_target(url)
    found = []
    try:
        for model in copyable_models():
            for ours, theirs in zip(_rows(model, source), _rows(model, target), strict=False):
                if ours != theirs:
                    found.append(f"{model._meta.db_table}: the row with key {ours[_key_index(model)]!r} differs")
                    break
            counts = (model._base_manager.using(source).count(), model._base_manager.using(target).count())
            if counts[0] != counts[1]:
                found.append(f"{model._meta.db_table}: {counts[0]} rows here, {counts[1]} in the target")
    finally:
        connections[target].close()
    return found
