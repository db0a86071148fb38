"""The deploy kit (deploy/) says everything a supplier needs: every setting the portal reads is in the environment
file's template with its meaning, the units run the three documented commands, and the Redis task backend is what
TASKS_REDIS_URL selects. scripts/deploy-check (run by CI) installs and runs the kit for real."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = (ROOT / "deploy" / "welfare.env.example").read_text()
DEVELOPMENT_ONLY = {"DEMO_TOTP_CODE", "SPID_TEST_IDP"}  # named in the template's last comment, never set there


def settings_read() -> set[str]:
    pattern = re.compile(r'\b(?:env|_env|env_bool|env_list|required_in_production|os\.environ\.get)\(\s*"([A-Z_]+)"')
    names = set()
    for path in (ROOT / "config" / "settings.py", ROOT / "config" / "gunicorn.py"):
        names |= set(pattern.findall(path.read_text()))
    return names | set(re.findall(r'os\.environ\["([A-Z_]+)"\]', (ROOT / "config" / "settings.py").read_text()))


def test_every_setting_is_in_the_environment_template_with_a_comment_before_it():
    read = settings_read()
    assert {"SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEY", "TASKS_REDIS_URL", "SENTRY_DSN"} <= read
    in_template = set(re.findall(r"^([A-Z_]+)=", TEMPLATE, re.MULTILINE))
    assert read - DEVELOPMENT_ONLY - in_template == set(), "settings missing from deploy/welfare.env.example"
    assert in_template - read == set(), "the template sets what the portal never reads"
    for name in DEVELOPMENT_ONLY:
        assert name in TEMPLATE
    # Each group of lines starts with a comment saying what its settings mean.
    blocks = re.split(r"\n\s*\n", TEMPLATE)
    assert all(block.lstrip().startswith("#") for block in blocks if block.strip())


def test_the_units_run_the_three_documented_commands_as_an_unprivileged_user():
    units = {path.name: path.read_text() for path in (ROOT / "deploy" / "systemd").iterdir()}
    assert "gunicorn -c config/gunicorn.py config.wsgi" in units["welfare-web.service"]
    assert "manage.py worker" in units["welfare-worker.service"]
    assert "manage.py scheduler" in units["welfare-scheduler.service"]
    assert "manage.py backup --keep" in units["welfare-backup.service"]
    for name, text in units.items():
        if name.endswith(".service"):
            assert "User=@USER@" in text
            assert "EnvironmentFile=@ENV_FILE@" in text
            assert "ProtectSystem=strict" in text


def test_tasks_go_through_redis_when_told(tmp_path):
    def tasks_setting(**env: str) -> str:
        code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
        environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true",
                       "VAR_DIR": str(tmp_path)} | env  # fmt: skip
        result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                                env=environment, capture_output=True, text=True, check=True)  # fmt: skip
        return result.stdout.strip()

    assert tasks_setting() == "django_tasks_db.DatabaseBackend"
    assert tasks_setting(TASKS_REDIS_URL="redis://127.0.0.1:6379/12") == "django_tasks_rq.RQBackend"


def test_with_a_sentry_dsn_errors_are_reported_scrubbed(tmp_path):
    code = (
        "import sentry_sdk; from welfare.operations.logs import scrub_sentry_event; "
        "options = sentry_sdk.get_client().options; "
        "print(options['before_send'] is scrub_sentry_event, options['send_default_pii'], options['environment'])"
    )
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true",
                   "VAR_DIR": str(tmp_path), "SENTRY_DSN": "https://public@glitchtip.example.org/1",
                   "SENTRY_ENVIRONMENT": "staging"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT,
                            env=environment, capture_output=True, text=True, check=True)  # fmt: skip
    assert result.stdout.split() == ["True", "False", "staging"]
