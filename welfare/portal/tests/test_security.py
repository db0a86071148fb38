import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64 + "-a-real-random-secret-in-production",
    "ALLOWED_HOSTS": "welfare.example.org",
    "PORTAL_URL": "https://welfare.example.org",
    "SECURE_HSTS_PRELOAD": "true",
    "FIELD_ENCRYPTION_KEY": "0VlGq2vGkCOlu3Xc3ixs_pUKoYxANiyC25m-0dnEUUM=",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_pass_the_deployment_check(tmp_path):
    env = PRODUCTION_ENV | {"VAR_DIR": str(tmp_path)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_debug_a_missing_secret_key_is_an_error(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"} | {"VAR_DIR": str(tmp_path)}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_without_debug_a_missing_portal_url_is_an_error(tmp_path):
    """Issue 17, defect 10: links in emails and PDFs pointed at 127.0.0.1:8000 whatever the address."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PORTAL_URL"} | {"VAR_DIR": str(tmp_path)}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "PORTAL_URL is not set" in result.stderr


def test_every_page_has_a_strict_content_security_policy(client, alice):
    client.force_login(alice)
    policy = client.get(reverse("accounts:home")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "http" not in policy  # no external host anywhere
    assert directives["frame-ancestors"] == "'none'"


def test_every_script_tag_in_our_templates_carries_the_nonce():
    templates = list((ROOT / "welfare").rglob("*.html"))
    assert templates
    for path in templates:
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            assert "csp_nonce" in tag, f"{path}: {tag} has no nonce"


def test_templates_load_nothing_from_other_hosts():
    for path in (ROOT / "welfare").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"""(src|href)=["']https?://""", text), path


def test_secure_cookies_and_headers_in_production_settings():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0,"
        " s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "DENY"]


def test_the_test_run_itself_uses_development_settings():
    assert settings.SECURE_SSL_REDIRECT is False
