import io
import os
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from welfare.operations import backup as backups


@pytest.fixture
def demo(settings, tmp_path):
    """The demo as `make setup` loads it, its documents in a VAR_DIR of its own."""
    settings.VAR_DIR = tmp_path / "var"
    quiet = io.StringIO()
    for command in ("load_district", "load_taxonomy", "load_finder_rules", "load_signal_rules"):
        call_command(command, stdout=quiet)
    call_command("load_demo", force=True, stdout=quiet)  # the tests run with DEBUG off
    return settings.VAR_DIR


@pytest.fixture
def new_postgres_database():
    """Makes new, empty PostgreSQL databases beside the tests' own (or on 127.0.0.1 when the tests use SQLite) and
    drops them afterwards."""
    if connection.vendor == "postgresql":
        base = backups.url_of().rsplit("/", 1)[0]
    else:
        base = os.environ.get("TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    made = []

    def make() -> str:
        name = f"welfare_scratch_{uuid.uuid4().hex[:8]}"
        try:
            with psycopg.connect(backups.libpq_url(f"{base}/postgres"), autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no PostgreSQL at {base}")
        made.append(name)
        return f"{base}/{name}"

    yield make
    for name in made:
        with psycopg.connect(backups.libpq_url(f"{base}/postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
