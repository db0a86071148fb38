"""One settings module, driven by the environment (see docs/deploy.md for every variable)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from welfare.operations.logs import logging_config, scrub_sentry_event

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment; empty counts as not set (an environment file's `NAME=` line)."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")


def required_in_production(name: str, what: str, demo_value: str) -> str:
    """A setting production must give (startup fails without it); the local demo (DEBUG) has a stand-in."""
    value = env(name, "")
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment ({what}), or set DEBUG=true for local development."
        )
    return demo_value


SECRET_KEY = required_in_production("SECRET_KEY", "a long random string", "insecure-development-key-only-for-debug")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where uploaded files and the SQLite database live; never inside the web root.
VAR_DIR = Path(env("VAR_DIR") or BASE_DIR / "var")

INSTALLED_APPS = [
    # Our apps first, so that our templates (base, 404, allauth overrides) win.
    "welfare.portal",
    "welfare.operations",
    "welfare.audit",
    "welfare.territory",
    "welfare.accounts",
    "welfare.spid",
    "welfare.catalogue",
    "welfare.care",
    "welfare.employers",
    "welfare.network",
    "welfare.assistance",
    "welfare.finder",
    "welfare.family_assistants",
    "welfare.outreach",
    "welfare.impact",
    "welfare.ledger",
    "welfare.vouchers",
    "welfare.delivery",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # search vectors and their index on PostgreSQL; harmless on SQLite
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_tasks_db",
    "crontask",
    "bootstrap_italia_template",
]

MIDDLEWARE = [
    # First: every request gets an id for its log lines, and one line of its own when answered.
    "welfare.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # SPID/CIE: the identity provider posts its answer from another site; this second session cookie (SameSite=None)
    # carries the login attempt across (djangosaml2).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "welfare.portal.middleware.RefuseNulInQuery",
    "welfare.api.middleware.open_api_headers",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "welfare.accounts.middleware.PreferredLanguageMiddleware",
    "welfare.accounts.middleware.ActingEndedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "welfare.accounts.middleware.StaffSessionMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "welfare.portal.context_processors.portal",
            ],
        },
    },
]


# The cache holds public catalogue pages, search facets and the district (docs/architecture.md,
# "Caching"); entries are keyed by what they depend on. With REDIS_URL the gunicorn workers share
# one cache (a page is rendered once for all of them); without it each keeps its own in memory.
def _memory_cache(name: str) -> dict[str, object]:
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }


CACHES = {
    "default": (
        {"BACKEND": "welfare.lib.cache.RedisCache", "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "welfare"}
        if env("REDIS_URL")
        else _memory_cache("default")
    ),
    # In front of the shared cache for entries whose key names their version (public pages): a hit
    # costs no round trip to Redis, and a stale entry is never asked for again.
    "local": _memory_cache("local"),
}
# How often each process asks the database whether the data behind public pages changed (page_cache.py).
PUBLIC_PAGE_VERSION_SECONDS = 1
FORM_RENDERER = "welfare.portal.forms.PortalFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'welfare.sqlite3'}",
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"

# django-allauth: email is the login; the email must be verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3  # said in the email (portal/templates/account/email)
PASSWORD_RESET_TIMEOUT = 3 * 86400  # Django's default, said in the email
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", "[Welfare Integrato]").strip() + " "
ACCOUNT_FORMS = {"signup": "welfare.accounts.forms.CitizenSignupForm"}
ACCOUNT_ADAPTER = "welfare.accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Login throttling lives in django-axes; allauth's own limits stay for the other flows.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
# Staff use a second factor (TOTP with recovery codes) before any staff page; residents are not asked for one.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Welfare Integrato"
# `make run` only: a code the demo's staff may type instead of one from an app (allauth refuses it without DEBUG).
MFA_TOTP_INSECURE_BYPASS_CODE = (env("DEMO_TOTP_CODE") or None) if DEBUG else None
# Decrypting notes, approving statements, cancelling vouchers: only within this many seconds of a login or a
# confirmation of the password or code.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 10 * 60
STAFF_IDLE_SECONDS = 30 * 60  # a staff session ends after 30 minutes without a request
STAFF_SESSION_SECONDS = 10 * 60 * 60  # and after 10 hours in all

# django-axes: five failures lock the pair (email, IP) for one hour.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "welfare.accounts.throttling.login_identifier"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "login"]
AXES_VERBOSE = False
# How many reverse proxies stand in front of the portal, each appending to X-Forwarded-For (docs/deploy.md):
# the client's address is read through them, the same way for login lock-outs and every other limit.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "welfare.lib.client_address.client_address"

# Internationalisation: Italian first, English complete.
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # Italian dates without leading zeros: "6 gennaio 2027"
TIME_ZONE = env("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "welfare_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
# In development whitenoise serves straight from the apps' static folders; in production from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Email (Django 6.1 mailers): console in development, SMTP in production.
if env("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST", "localhost"),
                "port": int(env("EMAIL_PORT", "25")),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Welfare Integrato <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages to residents who chose SMS (welfare/lib/sms.py): "fake" keeps them in memory (tests, the demo);
# "http" posts them to a provider's JSON API at SMS_URL with SMS_TOKEN.
SMS_BACKEND = env("SMS_BACKEND", "fake")
SMS_URL = env("SMS_URL", "")
SMS_TOKEN = env("SMS_TOKEN", "")
SMS_SENDER = env("SMS_SENDER", "Welfare")

# Background work: django.tasks. By default tasks wait in the database and `manage.py db_worker` runs them (one
# host). With TASKS_REDIS_URL they wait in Redis and `manage.py rqworker` runs them, on as many hosts as needed
# (django-tasks-rq; docs/deploy.md, "Several hosts").
TASKS_REDIS_URL = env("TASKS_REDIS_URL", "")
if TASKS_REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content-Security-Policy: nothing from other hosts, scripts only with this response's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Secure cookies and headers; strict outside development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs: one JSON object a line on standard output (LOG_FORMAT=text for people reading a console; the demo's
# default), each with its request's id, user id and path; codici fiscali and emails masked on every handler.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = logging_config(
    env("LOG_LEVEL", "INFO"),
    json=LOG_FORMAT == "json",
    loggers={
        # Django's own handlers (a console without the filter, mail to ADMINS) are replaced by ours.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        # Each request is logged once, by RequestLogMiddleware; Django's line for a 4xx/5xx would repeat it.
        "django.request": {"level": "ERROR"},
        # django-axes logs the email typed at login: keep it out of the logs (attempts stay in its tables).
        "axes": {"level": "ERROR"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        # pysaml2's schema library announces every schema it loads.
        "xmlschema": {"level": "ERROR"},
        # pysaml2 logs the parts of every SAML message at INFO (names, identifiers), djangosaml2 each refused
        # answer with its traceback and XML: the portal logs one line of its own with the reason instead.
        "saml2": {"level": "WARNING"},
        "djangosaml2": {"level": "CRITICAL"},
        # RQ's worker logs each job with its arguments (an email's text); the task framework logs each task's
        # id and state, which is enough.
        "rq.worker": {"level": "WARNING"},
        # APScheduler announces every job it adds and runs.
        "apscheduler": {"level": "WARNING"},
    },
)

# Error tracking (optional): Sentry, or a self-hosted GlitchTip, when SENTRY_DSN is set. No personal data is sent:
# no user, no request body, query string, cookies or headers, and every string is masked (logs.scrub_sentry_event).
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        before_send=scrub_sentry_event,  # type: ignore[arg-type]
    )

# /healthz calls the worker or the scheduler stale when it has not shown it is alive for this long (seconds);
# the scheduler ticks, and sends the worker a heartbeat task, four times in this span (welfare/operations).
HEALTH_STALE_SECONDS = int(env("HEALTH_STALE_SECONDS", "180"))
# Only one scheduler may run: with Redis, a lock there keeps a second one (on another host) waiting.
CRONTASK = {"REDIS_URL": env("TASKS_REDIS_URL") or env("REDIS_URL") or None}

# The district this installation serves: its slug in the reference data.
WELFARE_DISTRICT = env("WELFARE_DISTRICT", "ambito-tradate")
# Version of the privacy notice a citizen accepts at sign-up.
PRIVACY_NOTICE_VERSION = "2026-11"
# Keys for special-category data encrypted at rest (welfare/lib/encryption.py): Fernet keys, comma-separated; the
# first encrypts, all decrypt (key rotation: docs/deploy.md). Production refuses to start without one: a key
# derived from SECRET_KEY would make every backup unreadable once SECRET_KEY changes.
FIELD_ENCRYPTION_KEY = required_in_production(
    "FIELD_ENCRYPTION_KEY",
    'a Fernet key: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"',
    "",
)
# The portal's public address, for links in emails and printed documents. In production it must be set: a
# link to 127.0.0.1 in a family's email leads nowhere. (The demo links to the address the page was read at.)
PORTAL_URL = required_in_production(
    "PORTAL_URL", "the portal's public address, e.g. https://welfare.example.org", "http://127.0.0.1:8000"
)
# SPID and CIE login (docs/spid.md). The portal is a SAML service provider of both federations.
SPID_ENABLED = env_bool("SPID_ENABLED", DEBUG)
CIE_ENABLED = env_bool("CIE_ENABLED", DEBUG)
# Residents may still log in with email and password (the transition); the district turns it off once SPID/CIE
# is open. Staff always log in with password and second factor.
RESIDENT_PASSWORD_LOGIN = env_bool("RESIDENT_PASSWORD_LOGIN", True)
# The service provider's key and certificate (registered with AgID and the Ministry with the metadata).
SPID_KEY_FILE = env("SPID_KEY_FILE", str(VAR_DIR / "spid" / "sp.key"))
SPID_CERT_FILE = env("SPID_CERT_FILE", str(VAR_DIR / "spid" / "sp.crt"))
# The identity providers' metadata files: AgID's registry for SPID, the Ministry of the Interior's for CIE.
SPID_IDP_METADATA = env_list("SPID_IDP_METADATA")
CIE_IDP_METADATA = env_list("CIE_IDP_METADATA")
# The local test identity provider (welfare/spid/test_idp.py): the demo and the tests only, never in production.
SPID_TEST_IDP = DEBUG and env_bool("SPID_TEST_IDP", True)
SPID_LEVEL = int(env("SPID_LEVEL", "2"))
SPID_CLOCK_SKEW_SECONDS = int(env("SPID_CLOCK_SKEW_SECONDS", "60"))
# Who the portal is, in the metadata (AgID Avviso 29 v3): the public administration's IPA code and contacts.
_SPID_DEMO = DEBUG or not (SPID_ENABLED or CIE_ENABLED)
SPID_ORGANIZATION_NAME = env("SPID_ORGANIZATION_NAME", "") or ("Ambito di Tradate" if _SPID_DEMO else "")
SPID_ORGANIZATION_URL = env("SPID_ORGANIZATION_URL", "") or PORTAL_URL
SPID_IPA_CODE = env("SPID_IPA_CODE", "") or ("c_l319" if _SPID_DEMO else "")
SPID_CONTACT_EMAIL = env("SPID_CONTACT_EMAIL", "") or ("ufficiodipiano@example.org" if _SPID_DEMO else "")
SPID_CONTACT_PHONE = env("SPID_CONTACT_PHONE", "") or ("+390331000000" if _SPID_DEMO else "")
# CIE's metadata names the municipality (ISTAT code) and province of the administration.
CIE_MUNICIPALITY_CODE = env("CIE_MUNICIPALITY_CODE", "") or ("012127" if _SPID_DEMO else "")
CIE_PROVINCE = env("CIE_PROVINCE", "") or ("VA" if _SPID_DEMO else "")
for _name in ("SPID_ORGANIZATION_NAME", "SPID_IPA_CODE", "SPID_CONTACT_EMAIL", "SPID_CONTACT_PHONE"):
    if not globals()[_name]:
        raise ImproperlyConfigured(f"{_name} is not set: SPID/CIE login needs it (docs/spid.md).")
SAML_CONFIG_LOADER = "welfare.spid.config.spid_config"
SAML_SESSION_COOKIE_NAME = "wi_saml"
# SameSite=None needs a secure cookie; the demo on plain http keeps Lax (its test provider is on the same site).
SAML_SESSION_COOKIE_SAMESITE = "Lax" if DEBUG else "None"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_IGNORE_AUTHENTICATED_USERS_ON_LOGIN = True
SAML_CSP_HANDLER = ""  # Django's own CSP middleware sets the policy of every page, these included

# How long what a closed account leaves behind is kept (years from the closure), per record class
# (welfare/portal/closure.py, docs/privacy.md): contact records (appointments, outreach calls), the case file
# (requests, applications and assessments, interviews), accounting (vouchers, ledger, sessions, welfare claims: art.
# 2220 of the Civil Code), the audit trail. Then they are deleted (contacts) or anonymised (the rest).
RETENTION_YEARS = {
    "contacts": int(env("RETENTION_CONTACTS_YEARS", "2")),
    "case_file": int(env("RETENTION_CASE_FILE_YEARS", "10")),
    "accounting": int(env("RETENTION_ACCOUNTING_YEARS", "10")),
    "audit": int(env("RETENTION_AUDIT_YEARS", "10")),
}
# Documents attached to requests: at most this size (bytes); PDF, JPEG or PNG only.
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_BYTES", str(5 * 1_000_000)))
