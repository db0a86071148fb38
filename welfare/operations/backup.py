"""Backups and restores (`manage.py backup`, `manage.py restore`; docs/deploy.md, "Backups").

A backup is one tar archive:

- `database.dump` (PostgreSQL: `pg_dump` custom format) or `database.sqlite3` (SQLite: the online backup API, a
  consistent copy while the portal runs);
- `files/…`: the private documents (VAR_DIR/private: attachments, applications' documents, receipts, copies of
  residents' data) and VAR_DIR/media;
- `manifest.json`: when, which database, and for every table its row count and a checksum of its rows, for every
  file its size and checksum, for the dump its checksum.

On PostgreSQL the rows are counted and summed inside the very snapshot `pg_dump` reads (`pg_export_snapshot`), so
the manifest describes exactly what was dumped even while people use the portal. A restore loads the archive into
an empty database and empty storage, then reads everything back and compares it with the manifest: a backup that
cannot be restored is found on the day it is tried, not on the day it is needed.

The encrypted fields stay encrypted in the archive: without FIELD_ENCRYPTION_KEY a backup's special-category data
is unreadable (keep the key apart from the backups, and never lose it).
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILE_DIRS = ("private", "media")  # under VAR_DIR
CHUNK = 1 << 20


class BackupError(Exception):
    """Something an operator must fix; the message says what."""


@dataclass(frozen=True)
class Database:
    """A database named by a DATABASE_URL: SQLite (a file) or PostgreSQL."""

    url: str

    @property
    def vendor(self) -> str:
        engine = dj_database_url.parse(self.url)["ENGINE"]
        if "sqlite" in engine:
            return "sqlite"
        if "postgresql" in engine:
            return "postgresql"
        raise BackupError(f"Only SQLite and PostgreSQL databases can be backed up and restored, not {engine}.")

    @property
    def path(self) -> Path:
        return Path(dj_database_url.parse(self.url)["NAME"])

    def connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path)
        return psycopg.connect(libpq_url(self.url), autocommit=True)


def libpq_url(url: str) -> str:
    """The URL as libpq (psql, pg_dump, psycopg) reads it: `postgres://…`, without Django's engine aliases."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme in {"postgres", "postgresql", "pgsql", "postgis"} else url


def url_of(alias: str = "default") -> str:
    """The DATABASE_URL of one of Django's databases (the tests' own database included)."""
    config = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    host = f"{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{config['NAME']}"


def tables(db_connection: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        rows = db_connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    else:
        rows = db_connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    return [row[0] for row in rows]


def _primary_key(db_connection: Any, vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        columns = db_connection.execute(f'PRAGMA table_info("{table}")').fetchall()
        keys = sorted((column[5], column[1]) for column in columns if column[5])
        return [name for _position, name in keys] or [column[1] for column in columns]
    rows = db_connection.execute(
        """SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)""",
        [f'"{table}"'],
    ).fetchall()
    if rows:
        return [row[0] for row in rows]
    columns = db_connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    ).fetchall()
    return [row[0] for row in columns]


def _canonical(value: Any) -> str:
    if isinstance(value, memoryview | bytearray):
        value = bytes(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return repr(value)


def table_summary(db_connection: Any, vendor: str, table: str) -> dict[str, Any]:
    """Row count and a checksum of every row, read in primary-key order (collation-independent)."""
    order = ", ".join(f'"{column}"' for column in _primary_key(db_connection, vendor, table))
    cursor = db_connection.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608 (names from the catalogue)
    digest, rows = hashlib.sha256(), 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(("\x1f".join(_canonical(value) for value in row) + "\x1e").encode())
            rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def database_summary(db_connection: Any, vendor: str) -> dict[str, dict[str, Any]]:
    return {table: table_summary(db_connection, vendor, table) for table in tables(db_connection, vendor)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_files(var_dir: Path) -> Iterator[tuple[str, Path]]:
    """(name in the archive, path on disk) of every stored document."""
    for directory in FILE_DIRS:
        root = var_dir / directory
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    yield f"files/{directory}/{path.relative_to(root).as_posix()}", path


def files_summary(var_dir: Path) -> dict[str, dict[str, Any]]:
    return {name: {"size": path.stat().st_size, "sha256": _sha256(path)} for name, path in stored_files(var_dir)}


def _run(command: list[str], what: str) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 (our own argument list)
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs of the server's major version "
            "(Debian: apt-get install postgresql-client)."
        ) from missing
    except subprocess.CalledProcessError as failed:
        raise BackupError(f"{what} failed: {failed.stderr.strip()[-2000:]}") from failed


def backup(destination: Path, database_url: str | None = None, var_dir: Path | None = None) -> dict[str, Any]:
    """Write the archive at `destination` (a new file) and return its manifest."""
    database = Database(database_url or url_of())
    var_dir = var_dir or settings.VAR_DIR
    if destination.exists():
        raise BackupError(f"{destination} exists already: a backup never overwrites another.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="welfare-backup-") as scratch:
        work = Path(scratch)
        if database.vendor == "sqlite":
            dump = work / "database.sqlite3"
            source = _sqlite_source(database)
            target = sqlite3.connect(dump)
            try:
                source.backup(target)
                summary = database_summary(target, "sqlite")
            finally:
                target.close()
        else:
            dump = work / "database.dump"
            with psycopg.connect(libpq_url(database.url)) as db_connection:
                db_connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                (snapshot,) = db_connection.execute("SELECT pg_export_snapshot()").fetchone()  # type: ignore[misc]
                _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                      f"--file={dump}", f"--dbname={libpq_url(database.url)}"], "pg_dump")  # fmt: skip
                summary = database_summary(db_connection, "postgresql")
                db_connection.rollback()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": database.vendor, "file": dump.name, "sha256": _sha256(dump)},
            "tables": summary,
            "files": files_summary(var_dir),
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=dump.name)
            for name, path in stored_files(var_dir):
                archive.add(path, arcname=name)
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            archive.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)
        partial.rename(destination)  # a finished archive or none: never half of one under the final name
    return manifest


def _sqlite_source(database: Database) -> sqlite3.Connection:
    """The live database to copy: through Django's own connection when it is that database (the tests' in-memory
    one has no file), else the file."""
    for alias in connections:
        if connections[alias].vendor == "sqlite" and url_of(alias) == database.url:
            connections[alias].ensure_connection()
            return connections[alias].connection  # type: ignore[no-any-return]
    if not database.path.exists():
        raise BackupError(f"There is no SQLite database at {database.path}.")
    return sqlite3.connect(database.path)


def read_manifest(archive_path: Path) -> dict[str, Any]:
    with tarfile.open(archive_path) as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path} has no manifest: it is not a backup of this portal.")
        manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is a backup of format {manifest.get('format')}, this portal reads {FORMAT}.")
    return manifest


def restore(archive_path: Path, database_url: str | None = None, var_dir: Path | None = None) -> list[str]:
    """Load the archive into an empty database and empty storage, then compare both with the manifest. Returns the
    differences (none when the restore is exact); refuses before touching anything when a target is not empty."""
    manifest = read_manifest(archive_path)
    database = Database(database_url or url_of())
    var_dir = var_dir or settings.VAR_DIR
    if database.vendor != manifest["database"]["vendor"]:
        raise BackupError(
            f"This backup is of a {manifest['database']['vendor']} database and cannot be loaded into "
            f"{database.vendor}: restore it into the same kind, then use manage.py copy_database."
        )
    _refuse_unless_empty(database, var_dir)
    with tempfile.TemporaryDirectory(prefix="welfare-restore-") as scratch:
        work = Path(scratch)
        with tarfile.open(archive_path) as archive:
            archive.extractall(work, filter="data")
        dump = work / manifest["database"]["file"]
        if _sha256(dump) != manifest["database"]["sha256"]:
            raise BackupError("The database dump in the archive is damaged (its checksum does not match).")
        if database.vendor == "sqlite":
            database.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dump, database.path)
        else:
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  f"--dbname={libpq_url(database.url)}", str(dump)], "pg_restore")  # fmt: skip
        for directory in FILE_DIRS:
            if (work / "files" / directory).is_dir():
                shutil.copytree(work / "files" / directory, var_dir / directory, dirs_exist_ok=True)
    return verify(manifest, database, var_dir)


def _refuse_unless_empty(database: Database, var_dir: Path) -> None:
    if database.vendor == "sqlite" and not database.path.exists():
        existing: list[str] = []
    else:
        db_connection = database.connect()
        try:
            existing = tables(db_connection, database.vendor)
        finally:
            db_connection.close()
    if existing:
        raise BackupError(
            f"The database is not empty ({len(existing)} tables): a restore loads into a new, empty database. "
            "Create one and point DATABASE_URL (or --database-url) at it."
        )
    for directory in FILE_DIRS:
        if (var_dir / directory).is_dir() and any((var_dir / directory).iterdir()):
            raise BackupError(f"{var_dir / directory} is not empty: a restore writes the documents into empty storage.")


def verify(manifest: dict[str, Any], database: Database, var_dir: Path) -> list[str]:
    """Every table and every file against the manifest: the differences, in words."""
    db_connection = database.connect()
    try:
        restored = database_summary(db_connection, database.vendor)
    finally:
        db_connection.close()
    differences = []
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(restored)):
        if table not in restored:
            differences.append(f"table {table}: missing")
        elif table not in expected:
            differences.append(f"table {table}: not in the backup")
        elif restored[table]["rows"] != expected[table]["rows"]:
            differences.append(
                f"table {table}: {restored[table]['rows']} rows, the backup has {expected[table]['rows']}"
            )
        elif restored[table] != expected[table]:
            differences.append(f"table {table}: the same number of rows, different content")
    files = files_summary(var_dir)
    for name in sorted(set(manifest["files"]) | set(files)):
        if name not in files:
            differences.append(f"file {name}: missing")
        elif name not in manifest["files"]:
            differences.append(f"file {name}: not in the backup")
        elif files[name] != manifest["files"][name]:
            differences.append(f"file {name}: different content")
    return differences
