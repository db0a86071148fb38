"""Moving to another database (docs/deploy.md, "From SQLite to PostgreSQL"): the demo copied from the tests' database
into a new one of the other kind (SQLite into PostgreSQL, PostgreSQL into SQLite) is identical row by row, keeps its
times and keys, and takes new rows afterwards; a target with data is refused."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from welfare.audit.models import AuditEntry
from welfare.operations.copy import TARGET, connect_target, differences

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_kind(tmp_path, new_postgres_database):
    if connection.vendor == "sqlite":
        return new_postgres_database()
    return f"sqlite:///{tmp_path / 'copy.sqlite3'}"


def test_the_demo_copied_into_the_other_kind_of_database_is_identical_and_goes_on(demo, other_kind):
    out = io.StringIO()
    call_command("copy_database", other_kind, stdout=out)
    assert "every table compared row by row: identical" in out.getvalue()
    assert differences(other_kind) == []
    target = connect_target(other_kind)
    try:
        copied = AuditEntry.objects.using(target)
        assert copied.count() == AuditEntry.objects.count() > 0
        first = AuditEntry.objects.order_by("pk").first()
        assert copied.get(pk=first.pk).at == first.at  # the time it happened, not the time of the copy
        # The sequences were moved past the copied keys: a new row gets a new key.
        new = copied.create(verb="test.after_copy", target_type_id=first.target_type_id, target_id="1")
        assert new.pk > AuditEntry.objects.order_by("-pk").first().pk
    finally:
        connections[TARGET].close()

    with pytest.raises(CommandError, match="already has data"):
        call_command("copy_database", other_kind, stdout=io.StringIO())
