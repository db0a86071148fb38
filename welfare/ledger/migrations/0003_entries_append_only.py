"""The database itself refuses to change or delete a ledger entry or transaction.

PostgreSQL refuses UPDATE and DELETE (TRUNCATE, used only to empty a test database, is not a row
change). SQLite refuses UPDATE; it keeps DELETE because Django's test flush uses it there.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: post a reversal instead' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transaction_append_only BEFORE UPDATE OR DELETE ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_entry;
DROP TRIGGER IF EXISTS ledger_transaction_append_only ON ledger_transaction;
DROP FUNCTION IF EXISTS ledger_refuse_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: post a reversal instead'); END;""",
    """CREATE TRIGGER ledger_transaction_append_only BEFORE UPDATE ON ledger_transaction
       BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: post a reversal instead'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_entry_append_only;",
    "DROP TRIGGER IF EXISTS ledger_transaction_append_only;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
