"""Shared test fixtures: the district and named personas, one per role and municipality.

alice   citizen in Tradate              bob      citizen in Vedano Olona
olga    operator, Social Point Tradate  pietro   staff of Cooperativa Il Melograno
rita    staff of Cooperativa Arcobaleno sofia    social worker, Tradate
vittorio social worker, Vedano Olona     diana    district admin (Ufficio di Piano)
enzo    employer HR, Manifattura Olona
"""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

# Tests import the settings in development mode (no SECRET_KEY needed, no HTTPS redirect);
# pytest-django then turns DEBUG off for the run. Production settings are tested in a subprocess.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from codicefiscale import codicefiscale
from django.core.cache import cache

PASSWORD = "a-long-test-password-42"
DISTRICT_DATA = Path(__file__).parent / "welfare" / "territory" / "data" / "ambito-tradate.json"
TRADATE, VEDANO = "012127", "012134"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Run background tasks at once, so that a test sees their effects (emails) directly."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    cache.clear()  # allauth's rate limits live in the cache: each test starts with none used


@pytest.fixture
def district(db):
    from welfare.territory.actions import do_load_district, do_save_social_point
    from welfare.territory.models import Municipality

    district = do_load_district(json.loads(DISTRICT_DATA.read_text()), actor=None)
    do_save_social_point(
        actor=None,
        slug="tradate-centro",
        municipality=Municipality.objects.get(istat_code=TRADATE),
        name="Social Point Tradate Centro",
        address="Via Santa Maria 18",
        postal_code="21049",
        hours=[(0, dt.time(9), dt.time(12, 30))],
    )
    do_save_social_point(
        actor=None,
        slug="vedano-olona",
        municipality=Municipality.objects.get(istat_code=VEDANO),
        name="Social Point Vedano Olona",
        address="Piazza San Maurizio 2",
        postal_code="21040",
    )
    return district


def make_codice_fiscale(first_name: str, last_name: str, birth_date: dt.date, place: str, gender: str = "F") -> str:
    return codicefiscale.encode(
        lastname=last_name,
        firstname=first_name,
        gender=gender,
        birthdate=birth_date.strftime("%d/%m/%Y"),
        birthplace=place,
    )


def make_user(email: str, first_name: str, last_name: str):
    from welfare.accounts.actions import do_create_user

    return do_create_user(
        email, actor=None, first_name=first_name, last_name=last_name, password=PASSWORD, email_verified=True
    )


def make_citizen(email: str, first_name: str, last_name: str, birth_date: dt.date, istat: str, gender: str = "F"):
    from welfare.accounts.actions import do_create_citizen_profile
    from welfare.territory.models import Municipality

    user = make_user(email, first_name, last_name)
    municipality = Municipality.objects.get(istat_code=istat)
    do_create_citizen_profile(
        user,
        actor=user,
        first_name=first_name,
        last_name=last_name,
        codice_fiscale=make_codice_fiscale(first_name, last_name, birth_date, municipality.name, gender),
        birth_date=birth_date,
        municipality=municipality,
    )
    user.refresh_from_db()
    return user


def make_staff(email: str, first_name: str, last_name: str, role, scope):
    from welfare.accounts.actions import do_grant_membership

    user = make_user(email, first_name, last_name)
    do_grant_membership(user, role, scope, actor=None)
    return user


@pytest.fixture
def alice(district):
    return make_citizen("alice@example.org", "Alice", "Rossi", dt.date(1985, 3, 12), TRADATE)


@pytest.fixture
def bob(district):
    return make_citizen("bob@example.org", "Roberto", "Colombo", dt.date(1948, 7, 5), VEDANO, gender="M")


@pytest.fixture
def provider_a(db):
    from welfare.catalogue.actions import do_register_organization

    return do_register_organization(
        actor=None, name="Cooperativa Il Melograno", kind="cooperative", tax_code="00000000001"
    )


@pytest.fixture
def provider_b(db):
    from welfare.catalogue.actions import do_register_organization

    return do_register_organization(
        actor=None, name="Cooperativa Arcobaleno", kind="cooperative", tax_code="00000000002"
    )


@pytest.fixture
def employer(db):
    from welfare.employers.actions import do_register_employer

    return do_register_employer(actor=None, name="Manifattura Olona S.p.A.", vat_number="00000000099")


@pytest.fixture
def olga(district):
    from welfare.accounts.models import Role
    from welfare.territory.models import SocialPoint

    return make_staff(
        "olga@example.org", "Olga", "Ferrari", Role.OPERATOR, SocialPoint.objects.get(slug="tradate-centro")
    )


@pytest.fixture
def pietro(provider_a):
    from welfare.accounts.models import Role

    return make_staff("pietro@example.org", "Pietro", "Moretti", Role.PROVIDER_STAFF, provider_a)


@pytest.fixture
def rita(provider_b):
    from welfare.accounts.models import Role

    return make_staff("rita@example.org", "Rita", "Ricci", Role.PROVIDER_STAFF, provider_b)


@pytest.fixture
def sofia(district):
    from welfare.accounts.models import Role
    from welfare.territory.models import Municipality

    return make_staff(
        "sofia@example.org", "Sofia", "Conti", Role.SOCIAL_WORKER, Municipality.objects.get(istat_code=TRADATE)
    )


@pytest.fixture
def vittorio(district):
    from welfare.accounts.models import Role
    from welfare.territory.models import Municipality

    return make_staff(
        "vittorio@example.org", "Vittorio", "Greco", Role.SOCIAL_WORKER, Municipality.objects.get(istat_code=VEDANO)
    )


@pytest.fixture
def diana(district):
    from welfare.accounts.models import Role

    return make_staff("diana@example.org", "Diana", "Marino", Role.DISTRICT_ADMIN, district)


@pytest.fixture
def enzo(employer):
    from welfare.accounts.models import Role

    return make_staff("enzo@example.org", "Enzo", "Galli", Role.EMPLOYER_HR, employer)


PERSONAS = ["anonymous", "alice", "bob", "olga", "pietro", "rita", "sofia", "vittorio", "diana", "enzo"]


@pytest.fixture
def persona_client(request, client, district):
    """A test client logged in as the persona named by the test's `persona` parameter."""

    def login(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return login
