"""FIELD_ENCRYPTION_KEY: production refuses to start without it; two keys during a rotation, the first encrypting,
both decrypting; `rotate_encryption_key` moves every stored value to the new key, after which the old one can go."""

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

from conftest import make_codice_fiscale
from welfare.accounts.actions import do_add_household_member
from welfare.accounts.models import HouseholdMember
from welfare.lib import encryption

ROOT = Path(__file__).resolve().parents[3]
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def keys(settings):
    def use(value: str) -> None:
        settings.FIELD_ENCRYPTION_KEY = value
        encryption._fernet.cache_clear()

    yield use
    encryption._fernet.cache_clear()


def test_production_refuses_to_start_without_its_own_key(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
        "SECRET_KEY": "s" * 64, "ALLOWED_HOSTS": "welfare.example.org", "PORTAL_URL": "https://welfare.example.org",
        "VAR_DIR": str(tmp_path),
    }  # fmt: skip
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)  # fmt: skip
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr


def test_a_rotation_reencrypts_every_value_and_the_old_key_can_go(alice, keys):
    keys(OLD)
    birth = dt.date(1940, 3, 2)
    member = do_add_household_member(
        alice.citizen_profile, actor=alice, first_name="Nonno", last_name="Rossi", relationship="parent",
        codice_fiscale=make_codice_fiscale("Nonno", "Rossi", birth, "Tradate", "M"), birth_date=birth,
        disability_certified=True, support_notes="Usa la carrozzina",
    )  # fmt: skip
    before = HouseholdMember.objects.get(pk=member.pk).support_needs_encrypted
    keys(f"{NEW},{OLD}")  # during the rotation: the new key first, the old one still readable
    assert encryption.decrypt(before).endswith('"notes": "Usa la carrozzina"}')
    call_command("rotate_encryption_key", stdout=io.StringIO())
    after = HouseholdMember.objects.get(pk=member.pk).support_needs_encrypted
    assert after != before
    keys(NEW)  # the old key removed
    assert '"notes": "Usa la carrozzina"' in encryption.decrypt(after)
    with pytest.raises(InvalidToken):
        encryption.decrypt(before)


def test_every_encrypted_field_is_found():
    found = {f"{model._meta.label}.{field}" for model, field in encryption.encrypted_fields()}
    assert "accounts.HouseholdMember.support_needs_encrypted" in found
    assert "assistance.Interview.notes_encrypted" in found
    assert "care.Complaint.text_encrypted" in found
