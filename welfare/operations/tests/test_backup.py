"""The restore drill (issue 22): the demo is backed up, restored into a fresh database and empty storage, and every
table and every file is compared with the original: zero differences. Runs on SQLite and on PostgreSQL, whichever
the tests use. A restore never loads over data, and a damaged archive is told."""

import filecmp
import io
import json
import sqlite3
import tarfile
from contextlib import closing

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from welfare.operations import backup as backups

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_database(tmp_path, new_postgres_database):
    """A new, empty database of the same kind as the tests' own."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    return new_postgres_database()


def live_summary() -> dict:
    """Every table of the tests' database, read now, independently of any manifest."""
    if connection.vendor == "sqlite":  # a plain connection of its own to the tests' shared in-memory database
        name = connection.settings_dict["NAME"]
        with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as db:
            return backups.database_summary(db, "sqlite")
    with psycopg.connect(backups.libpq_url(backups.url_of()), autocommit=True) as db:
        return backups.database_summary(db, "postgresql")


def test_the_demo_backed_up_and_restored_is_identical_table_by_table_and_file_by_file(demo, empty_database, tmp_path):
    archive = tmp_path / "backup.tar"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "Backup written" in out.getvalue()
    manifest = backups.read_manifest(archive)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["accounts_user"]["rows"] > 10
    assert manifest["files"], "the demo's documents are in the backup"

    restored_var = tmp_path / "restored-var"
    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", empty_database, "--var-dir", str(restored_var), stdout=out)
    assert "each identical to the manifest" in out.getvalue()

    # Compared with the original itself, not only with the manifest.
    target = backups.Database(empty_database)
    db = target.connect()
    try:
        restored = backups.database_summary(db, target.vendor)
    finally:
        db.close()
    original = live_summary()
    assert restored.keys() == original.keys()
    differences = [table for table in original if restored[table] != original[table]]
    assert differences == []
    originals = dict(backups.stored_files(demo))
    copies = dict(backups.stored_files(restored_var))
    assert originals.keys() == copies.keys()
    assert all(filecmp.cmp(originals[name], copies[name], shallow=False) for name in originals)


@pytest.fixture
def small(settings, tmp_path, alice):
    """A resident and one private document: enough for what follows, quicker than the demo."""
    settings.VAR_DIR = tmp_path / "var"
    (settings.VAR_DIR / "private" / "claims").mkdir(parents=True)
    (settings.VAR_DIR / "private" / "claims" / "receipt.pdf").write_bytes(b"%PDF-1.4 receipt")
    return settings.VAR_DIR


def test_a_restore_never_loads_over_data(small, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # readable by the portal's own user only
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())  # into the live database
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", "--output", str(archive), stdout=io.StringIO())


def test_a_damaged_archive_is_told(small, empty_database, tmp_path):
    archive = tmp_path / "backup.tar"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    manifest = backups.read_manifest(archive)
    manifest["tables"]["accounts_user"]["rows"] += 1  # as if a row had been lost on the way
    manifest["files"]["files/private/claims/receipt.pdf"]["sha256"] = "0" * 64
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as copy:
        for member in source.getmembers():
            if member.name != backups.MANIFEST:
                copy.addfile(member, source.extractfile(member))
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo(backups.MANIFEST)
        info.size = len(data)
        copy.addfile(info, io.BytesIO(data))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="differs from the backup in 2 places"):
        call_command("restore", str(damaged), "--database-url", empty_database, "--var-dir",
                     str(tmp_path / "restored"), stdout=io.StringIO(), stderr=errors)  # fmt: skip
    assert "table accounts_user: 1 rows, the backup has 2" in errors.getvalue()
    assert "file files/private/claims/receipt.pdf: different content" in errors.getvalue()
