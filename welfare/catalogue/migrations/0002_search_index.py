"""Full-text search structures: a GIN index on PostgreSQL, an FTS5 table on SQLite.

Both hold the same normalised text (welfare/lib/search_text.py), so both find the same services.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX service_search_gin ON catalogue_service "
            # The same expression Django's SearchVector("search_document", config="simple") writes.
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE catalogue_service_fts USING fts5("
            "service_id UNINDEXED, document, tokenize = 'unicode61 remove_diacritics 2')"
        )


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS service_search_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalogue_service_fts")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
