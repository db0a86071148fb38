import pytest
from django.db import DatabaseError, connection, transaction

from welfare.audit.actions import entries_for, record
from welfare.audit.models import AuditEntry


def test_it_records_actor_on_behalf_of_and_target(alice, olga):
    entry = record(olga, "citizen_profile.viewed", alice.citizen_profile, on_behalf_of=alice)
    assert (entry.actor, entry.on_behalf_of, entry.target_id) == (olga, alice, str(alice.citizen_profile.pk))
    assert list(entries_for(alice.citizen_profile).filter(verb="citizen_profile.viewed")) == [entry]


def test_acting_for_oneself_is_not_on_behalf_of_anyone(alice):
    assert record(alice, "x", alice).on_behalf_of is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_or_delete_an_entry(alice):
    entry = record(alice, "x", alice)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(verb="y")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
