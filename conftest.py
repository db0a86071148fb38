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
import time
from pathlib import Path

import pytest

# Tests import the settings in development mode (no SECRET_KEY needed, no HTTPS redirect);
# pytest-django then turns DEBUG off for the run. Production settings are tested in a subprocess.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from codicefiscale import codicefiscale
from django.core.cache import caches
from django.test import Client

PASSWORD = "a-long-test-password-42"
DISTRICT_DATA = Path(__file__).parent / "welfare" / "territory" / "data" / "ambito-tradate.json"
TRADATE, VEDANO = "012127", "012134"


_DJANGO_FORCE_LOGIN = Client.force_login


def plain_force_login(client, user):
    """Log in as Django's test client does, with no record of how: no password, no second factor."""
    _DJANGO_FORCE_LOGIN(client, user)


def _force_login_with_second_factor(client, user, backend=None):
    """A test's login is a real one: the password and, for staff, the TOTP code, just now (allauth's records)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    _DJANGO_FORCE_LOGIN(client, user, backend)
    session = client.session
    now = time.time()
    # allauth asks for a confirmation before sensitive pages unless one was given within its timeout: the test's
    # login counts as one.
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": now, "reauthenticated": True},
                                                   {"method": "mfa", "at": now, "type": "totp"}]  # fmt: skip
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def _logins_with_second_factor(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_with_second_factor)


@pytest.fixture(autouse=True, scope="session")
def _spid_keys():
    """The SPID/CIE service provider's and the test identity provider's keys, made once before any test: making
    them while a page is timed would blow its budget."""
    from welfare.spid import test_idp
    from welfare.spid.config import key_and_certificate

    key_and_certificate()
    test_idp.key_pair()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Run background tasks at once, so that a test sees their effects (emails) directly."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.PUBLIC_PAGE_VERSION_SECONDS = 0  # changes show on the very next request (tested apart)
    # SPID and CIE login with the local test identity provider, whatever the environment says.
    settings.SPID_ENABLED = settings.CIE_ENABLED = settings.SPID_TEST_IDP = True
    settings.SPID_IDP_METADATA = settings.CIE_IDP_METADATA = []
    for cache in caches.all():
        cache.clear()  # allauth's rate limits, public pages, the district: each test starts with none


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
def child(alice):
    """Luca, alice's son, with a certified disability."""
    from welfare.accounts.actions import do_add_household_member

    return do_add_household_member(
        alice.citizen_profile, actor=alice, first_name="Luca", last_name="Rossi",
        codice_fiscale=make_codice_fiscale("Luca", "Rossi", dt.date(2016, 5, 4), "Tradate", "M"),
        birth_date=dt.date(2016, 5, 4), relationship="child", disability_certified=True, support_notes="Autismo lieve",
    )  # fmt: skip


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

    return do_register_employer(actor=None, name="Manifattura Olona S.p.A.", vat_number="03456780125")


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


TAXONOMY_DATA = Path(__file__).parent / "welfare" / "catalogue" / "data" / "taxonomy.json"


@pytest.fixture
def taxonomy(db):
    from welfare.catalogue.actions import do_load_taxonomies
    from welfare.catalogue.models import TaxonomyTerm

    do_load_taxonomies(json.loads(TAXONOMY_DATA.read_text()), actor=None)
    return {term.code: term for term in TaxonomyTerm.objects.all()}


def make_service(
    organization,
    terms,
    name,
    *,
    kinds,
    groups=(),
    areas,
    price=0,
    unit="hour",
    status="published",
    availability=None,
    **fields,
):
    """A service through the same actions providers and the planning office use."""
    from welfare.catalogue.actions import Cost, do_publish_service, do_save_service, do_submit_service
    from welfare.territory.models import Municipality

    service = do_save_service(
        actor=None,
        organization=organization,
        fields={"name": name, "description": fields.pop("description", f"{name}."), **fields},
        kinds=[terms[code] for code in kinds],
        target_groups=[terms[code] for code in groups],
        areas_served=Municipality.objects.filter(istat_code__in=areas),
        costs=[Cost(amount_cents=price, unit=unit)],
        availability=availability,
    )
    if status in ("submitted", "published"):
        do_submit_service(service, actor=None)
    if status == "published":
        do_publish_service(service, actor=None)
    service.refresh_from_db()
    return service


@pytest.fixture
def catalogue(district, taxonomy, provider_a, provider_b):
    """A small catalogue: three published services, one draft, one waiting for review."""
    from types import SimpleNamespace

    from welfare.catalogue.actions import do_register_organization

    tradate_office = do_register_organization(
        actor=None, name="Comune di Tradate – Servizi sociali", kind="municipal", tax_code="80012127000"
    )
    from welfare.catalogue.actions import Availability, do_save_location
    from welfare.territory.models import Municipality

    melograno_office = do_save_location(
        actor=None, organization=provider_a, name="Sede Il Melograno", address="Via Gorizia 12",
        postal_code="21049", municipality=Municipality.objects.get(istat_code=TRADATE),
    )  # fmt: skip
    weekday_afternoons = [(day, dt.time(14), dt.time(19)) for day in range(5)]
    return SimpleNamespace(
        educativa=make_service(
            provider_a, taxonomy, "Educativa domiciliare Melograno", kinds=["adm"], groups=["minori", "famiglie"],
            areas=[TRADATE, VEDANO], price=2200, voucher_eligible=True, minimum_age=3, maximum_age=17, free_places=5,
            description="Un educatore viene a casa per sostenere i ragazzi nei compiti e nelle relazioni.",
            availability=[Availability(melograno_office, weekday_afternoons)],
        ),
        anziani=make_service(
            provider_b, taxonomy, "Aiuto a casa Arcobaleno", kinds=["sad"], groups=["anziani"], areas=[VEDANO],
            price=2050, voucher_eligible=True, description="Interventi domiciliari per persone anziane sole.",
        ),
        sportello=make_service(
            tradate_office, taxonomy, "Sportello famiglie Tradate", kinds=["consulenza-familiare"],
            groups=["famiglie", "disabilita"], areas=[TRADATE], price=0, unit="session",
            description="Ascolto e orientamento per famiglie, anche con figli con disabilità.",
        ),
        draft=make_service(
            provider_a, taxonomy, "Centro estivo domiciliare segreto", kinds=["centri-estivi"], groups=["minori"],
            areas=[TRADATE], price=9000, unit="week", status="draft",
        ),
        submitted=make_service(
            provider_b, taxonomy, "Trasporto sociale Arcobaleno", kinds=["trasporto-sociale"], groups=["anziani"],
            areas=[VEDANO], price=500, unit="trip", status="submitted",
        ),
        municipal=tradate_office,
    )  # fmt: skip


def close_response(response):
    """Close a (file) response as the test client does: without the signal that ends the test's DB connection."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.fixture
def olindo(district):
    """An operator of the other Social Point (Vedano Olona): the neighbour olga's residents are hidden from."""
    from welfare.accounts.models import Role
    from welfare.territory.models import SocialPoint

    return make_staff(
        "olindo@example.org", "Olindo", "Bassi", Role.OPERATOR, SocialPoint.objects.get(slug="vedano-olona")
    )


FINDER_RULES = Path(__file__).parent / "welfare" / "finder" / "data" / "rules.json"


@pytest.fixture
def finder_rules(district, taxonomy):
    from welfare.finder.actions import do_load_finder_rules

    do_load_finder_rules(district, json.loads(FINDER_RULES.read_text()), actor=None)


# Vouchers: a published programme with bands and budgets, and accredited providers.

DOCUMENT = b"%PDF-1.4 test document"


def make_programme(district, terms, *, actor=None, slug="domiciliarita-2027", budgets=None, publish=True, **fields):
    """ISEE bands: up to 10,000 € pays 10% (voucher 1,500 €); up to 20,000 € 30% (1,000 €); above 60% (500 €)."""
    from welfare.territory.models import Municipality
    from welfare.vouchers.actions import BandSpec, do_publish_programme, do_save_programme, do_set_budget

    today = dt.date.today()
    programme = do_save_programme(
        actor=actor,
        district=district,
        fields={
            "name": "Voucher domiciliarità 2027",
            "slug": slug,
            "description": "Voucher per servizi domiciliari a minori e anziani.",
            "applications_open_on": today - dt.timedelta(days=10),
            "applications_close_on": today + dt.timedelta(days=10),
            "vouchers_valid_from": today,
            "vouchers_valid_until": today + dt.timedelta(days=365),
            "required_documents": ["Attestazione ISEE"],
            **fields,
        },
        kinds=[terms["adm"], terms["sad"]],
        bands=[
            BandSpec(1_000_000, 10, 150_000),
            BandSpec(2_000_000, 30, 100_000),
            BandSpec(None, 60, 50_000),
        ],
    )
    for istat, cents in (budgets or {TRADATE: 300_000, VEDANO: 200_000}).items():
        do_set_budget(programme, Municipality.objects.get(istat_code=istat), allocated_cents=cents, actor=actor)
    if publish:
        do_publish_programme(programme, actor=actor)
    return programme


def make_application(citizen, programme, *, isee_cents, member=None, submit=True, actor=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from welfare.vouchers.actions import do_add_application_document, do_save_application, do_submit_application

    actor = actor or citizen
    application = do_save_application(
        actor=actor,
        on_behalf_of=citizen if actor != citizen else None,
        programme=programme,
        beneficiary=member,
        fields={
            "isee_cents": isee_cents,
            "dsu_protocol": "INPS-ISEE-2026-00000001A-00",
            "dsu_expires_on": dt.date.today() + dt.timedelta(days=200),
            "household_situation": "Vive con la famiglia.",
        },
    )
    upload = SimpleUploadedFile("isee.pdf", DOCUMENT, content_type="application/pdf")
    do_add_application_document(application, uploaded_by=actor, upload=upload, label="Attestazione ISEE")
    if submit:
        do_submit_application(application, actor=actor)
    return application


def close_window(programme):
    """The calendar moves on: the application window closed yesterday."""
    from welfare.vouchers.models import Programme

    yesterday = dt.date.today() - dt.timedelta(days=1)
    Programme.objects.filter(pk=programme.pk).update(
        applications_open_on=yesterday - dt.timedelta(days=20), applications_close_on=yesterday
    )
    programme.refresh_from_db()


@pytest.fixture
def accredited(catalogue, taxonomy, district, diana):
    """Il Melograno accredited for ADM at 22 €/h, Arcobaleno for SAD at 20.50 €/h."""
    from types import SimpleNamespace

    from welfare.vouchers.actions import (
        do_apply_for_accreditation,
        do_approve_accreditation,
        do_save_accreditation_call,
    )

    today = dt.date.today()
    call = do_save_accreditation_call(
        actor=diana, district=district,
        fields={"title": "Accreditamento domiciliarità", "opens_on": today - dt.timedelta(days=5),
                "closes_on": today + dt.timedelta(days=30)},
        kinds=[taxonomy["adm"], taxonomy["sad"]],
    )  # fmt: skip
    adm = do_apply_for_accreditation(
        actor=None, call=call, organization=catalogue.educativa.organization, kind=taxonomy["adm"],
        services=[catalogue.educativa], hourly_tariff_cents=2200,
    )  # fmt: skip
    sad = do_apply_for_accreditation(
        actor=None, call=call, organization=catalogue.anziani.organization, kind=taxonomy["sad"],
        services=[catalogue.anziani], hourly_tariff_cents=2050,
    )  # fmt: skip
    for accreditation in (adm, sad):
        do_approve_accreditation(
            accreditation, actor=diana, valid_from=today, valid_until=today + dt.timedelta(days=730)
        )
    return SimpleNamespace(call=call, adm=adm, sad=sad)


@pytest.fixture
def programme(district, taxonomy, accredited, diana):
    return make_programme(district, taxonomy, actor=diana)


def issued_voucher(programme, citizen, worker, admin, *, isee_cents, member=None):
    """Apply, assess, close the window, rank, publish and issue: the citizen's voucher."""
    from welfare.territory.models import Municipality
    from welfare.vouchers.actions import (
        Decision,
        do_assess_application,
        do_compute_ranking,
        do_issue_vouchers,
        do_publish_ranking,
    )

    application = make_application(citizen, programme, isee_cents=isee_cents, member=member)
    do_assess_application(application, actor=worker, decision=Decision.APPROVE, need_score=50, notes="", reason="")
    close_window(programme)
    municipality = Municipality.objects.get(istat_code=citizen.citizen_profile.municipality.istat_code)
    do_compute_ranking(programme, municipality, actor=admin)
    do_publish_ranking(programme, municipality, actor=admin)
    (voucher,) = do_issue_vouchers(programme, municipality, actor=admin)
    return voucher


def active_voucher_request(voucher, service, provider_staff, *, member=None, start=None):
    """A request paid with `voucher`, proposed at the accredited tariff, confirmed and started."""
    from welfare.accounts.access import ALL_POWERS, Acting
    from welfare.care.actions import do_confirm, do_propose, do_start, do_submit_request
    from welfare.vouchers.queries import voucher_choices

    holder = voucher.holder
    (choice,) = [c for c in voucher_choices(Acting(actor=holder, citizen=holder, powers=ALL_POWERS), service)
                 if c.voucher == voucher]  # fmt: skip
    request = do_submit_request(actor=holder, service=service, beneficiary=member, needs="Sostegno", voucher=choice)
    tariff = choice.accreditation.hourly_tariff_cents
    do_propose(request, actor=provider_staff, start=start or dt.date.today(), schedule="Lun e mer 15-17",
               operator="Marta Bianchi", price_cents=tariff, funding="voucher")  # fmt: skip
    do_confirm(request, actor=holder)
    do_start(request, actor=provider_staff)
    return request


@pytest.fixture
def voucher_request(programme, accredited, catalogue, alice, child, sofia, diana, pietro):
    """Luca's educational service, paid with a 1,500 € voucher (10% co-payment) at 22 €/h, under way."""
    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=500_000, member=child)
    return active_voucher_request(voucher, catalogue.educativa, pietro, member=child)
