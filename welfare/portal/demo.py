"""The demo district: Social Points, providers, an employer and one account per role.

Everything here is fictional except the municipalities. Loading it twice creates nothing twice.
"""

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from codicefiscale import codicefiscale
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from welfare.accounts.actions import do_create_citizen_profile, do_create_user, do_grant_membership
from welfare.accounts.models import Role, User
from welfare.catalogue.models import Organization
from welfare.delivery.demo import load_demo_delivery, load_demo_three_payers
from welfare.employers.actions import do_register_employer
from welfare.employers.demo import load_demo_welfare
from welfare.family_assistants.demo import load_demo_family_assistants
from welfare.outreach.demo import load_demo_outreach
from welfare.portal.demo_catalogue import COOPERATIVES, load_demo_catalogue
from welfare.portal.scopes import find_scope
from welfare.territory.actions import (
    do_add_opening_exception,
    do_publish_district_page,
    do_save_district_page,
    do_save_social_point,
    do_update_district_details,
    do_update_district_logo,
    do_update_social_point_notes,
)
from welfare.territory.models import District, Municipality, SocialPoint
from welfare.vouchers.demo import load_demo_vouchers

DEMO_PASSWORD = "welfare-demo-2026"  # noqa: S105 (demo accounts only, refused outside DEBUG)

T = dt.time

SOCIAL_POINTS = [
    {
        "slug": "tradate-centro",
        "municipality": "012127",
        "name": "Social Point Tradate Centro",
        "address": "Via Santa Maria 18",
        "postal_code": "21049",
        "phone": "0331 000 101",
        "email": "socialpoint.tradate@example.org",
        "directions": "Piano terra, accesso senza barriere. A 5 minuti a piedi dalla stazione.",
        "hours": [(0, T(9), T(12, 30)), (2, T(14), T(17, 30)), (4, T(9), T(12, 30))],
    },
    {
        "slug": "vedano-olona",
        "municipality": "012134",
        "name": "Social Point Vedano Olona",
        "address": "Piazza San Maurizio 2",
        "postal_code": "21040",
        "phone": "0332 000 202",
        "email": "socialpoint.vedano@example.org",
        "directions": "Presso la biblioteca comunale.",
        "hours": [(1, T(9), T(12)), (3, T(15), T(18))],
    },
    {
        "slug": "castiglione-olona",
        "municipality": "012046",
        "name": "Social Point Castiglione Olona",
        "address": "Via Cavour 7",
        "postal_code": "21043",
        "phone": "0331 000 303",
        "email": "socialpoint.castiglione@example.org",
        "directions": "",
        "hours": [(0, T(14), T(17)), (3, T(9), T(12))],
    },
    {
        "slug": "venegono-superiore",
        "municipality": "012137",
        "name": "Social Point Venegono",
        "address": "Via Mauceri 10",
        "postal_code": "21040",
        "phone": "0331 000 404",
        "email": "socialpoint.venegono@example.org",
        "directions": "Serve anche Venegono Inferiore.",
        "hours": [(2, T(9), T(12, 30)), (5, T(9), T(12))],
    },
]

EMPLOYER = ("Manifattura Olona S.p.A.", "03456780125")
# Staff accounts work for the first two cooperatives of the demo catalogue.
PROVIDERS = [(coop.name, Organization.Kind.COOPERATIVE, coop.tax_code) for coop in COOPERATIVES[:2]]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    description: str
    role: Role | None = None
    scope: str = ""
    citizen: tuple[Literal["M", "F"], str, str] | None = None  # gender, birth date (dd/mm/yyyy), ISTAT code


DEMO_ACCOUNTS = [
    DemoAccount(
        "giulia.bianchi@example.org", "Giulia", "Bianchi", "cittadina, Tradate", citizen=("F", "12/03/1985", "012127")
    ),
    DemoAccount(
        "marco.colombo@example.org",
        "Marco",
        "Colombo",
        "cittadino, Vedano Olona",
        citizen=("M", "05/07/1948", "012134"),
    ),
    DemoAccount(
        "sara.ferrari@example.org",
        "Sara",
        "Ferrari",
        "operatrice Social Point Tradate Centro",
        Role.OPERATOR,
        "tradate-centro",
    ),
    DemoAccount(
        "luca.moretti@example.org",
        "Luca",
        "Moretti",
        "ente: Cooperativa Il Melograno",
        Role.PROVIDER_STAFF,
        PROVIDERS[0][2],
    ),
    DemoAccount(
        "anna.ricci@example.org", "Anna", "Ricci", "ente: Cooperativa Arcobaleno", Role.PROVIDER_STAFF, PROVIDERS[1][2]
    ),
    DemoAccount(
        "paola.conti@example.org",
        "Paola",
        "Conti",
        "assistente sociale, Comune di Tradate",
        Role.SOCIAL_WORKER,
        "012127",
    ),
    DemoAccount(
        "davide.greco@example.org",
        "Davide",
        "Greco",
        "assistente sociale, Comune di Vedano Olona",
        Role.SOCIAL_WORKER,
        "012134",
    ),
    DemoAccount(
        "elena.marino@example.org", "Elena", "Marino", "Ufficio di Piano", Role.DISTRICT_ADMIN, "ambito-tradate"
    ),
    DemoAccount("ioana.marin@example.org", "Ioana", "Marin", "assistente familiare iscritta al registro"),
    DemoAccount("olena.kovalenko@example.org", "Olena", "Kovalenko", "assistente familiare iscritta al registro"),
    DemoAccount("fatima.elamrani@example.org", "Fatima", "El Amrani", "assistente familiare in attesa del colloquio"),
    DemoAccount(
        "franco.galli@example.org",
        "Franco",
        "Galli",
        "welfare aziendale, Manifattura Olona",
        Role.EMPLOYER_HR,
        EMPLOYER[1],
    ),
]


def demo_logo() -> bytes:
    """A made-up emblem for the demo's header (three overlapping circles: the municipalities working together)."""
    image = Image.new("RGB", (144, 96), "#ffffff")
    draw = ImageDraw.Draw(image)
    for x, y, colour in ((38, 8, "#0066cc"), (66, 8, "#008758"), (52, 36, "#cc334d")):
        draw.ellipse((x, y, x + 44, y + 44), outline=colour, width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


DEMO_PAGES = Path(__file__).parent / "data" / "demo_pages.json"


def _demo_pages(district: District) -> None:
    """A guide and a piece of news, published, as the planning office would write them."""
    for values in json.loads(DEMO_PAGES.read_text(encoding="utf-8")):
        page = do_save_district_page(district, actor=None, **values)
        do_publish_district_page(page, actor=None, published=True)


def _demo_notice_and_closure() -> None:
    """Tradate's desk asks visitors to bring a document and closes for the Christmas days ahead."""
    point = SocialPoint.objects.get(slug="tradate-centro")
    do_update_social_point_notes(point, actor=None, notes="Portate un documento d'identità e, se lo avete, l'ISEE.")
    today = timezone.localdate()
    christmas_eve = dt.date(today.year if today <= dt.date(today.year, 12, 24) else today.year + 1, 12, 24)
    do_add_opening_exception(point, actor=None, first_day=christmas_eve, last_day=christmas_eve + dt.timedelta(days=2),
                             reason="Festività natalizie")  # fmt: skip


@transaction.atomic
def load_demo(district: District) -> None:
    do_update_district_details(district, actor=None, values={
        "office_address": "Piazza Mazzini 6, 21049 Tradate (VA)", "office_email": "ufficiodipiano@example.org",
        "office_phone": "0331 000 000", "controller_name": "Comune di Tradate (ente capofila)",
        "controller_contact": "Piazza Mazzini 6, 21049 Tradate (VA), PEC comune.tradate@example.org",
        "dpo_name": "Avv. Laura Bassi", "dpo_email": "rpd@example.org",
    })  # fmt: skip
    do_update_district_logo(district, actor=None, content=demo_logo())
    for point in SOCIAL_POINTS:
        values = dict(point)
        istat = values.pop("municipality")
        do_save_social_point(actor=None, municipality=Municipality.objects.get(istat_code=istat), **values)  # type: ignore[arg-type]
    _demo_notice_and_closure()
    _demo_pages(district)
    load_demo_catalogue()
    do_register_employer(actor=None, name=EMPLOYER[0], vat_number=EMPLOYER[1])
    for account in DEMO_ACCOUNTS:
        _load_account(account)
    load_demo_vouchers(district)
    load_demo_delivery()
    load_demo_welfare()
    load_demo_three_payers()
    load_demo_outreach()
    load_demo_family_assistants(district)


def _load_account(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = do_create_user(
            account.email,
            actor=None,
            first_name=account.first_name,
            last_name=account.last_name,
            password=DEMO_PASSWORD,
            email_verified=True,
        )
    if account.citizen and not hasattr(user, "citizen_profile"):
        gender, birth, istat = account.citizen
        municipality = Municipality.objects.get(istat_code=istat)
        code = codicefiscale.encode(
            lastname=account.last_name,
            firstname=account.first_name,
            gender=gender,
            birthdate=birth,
            birthplace=municipality.name,
        )
        do_create_citizen_profile(
            user,
            actor=user,
            first_name=account.first_name,
            last_name=account.last_name,
            codice_fiscale=code,
            birth_date=dt.datetime.strptime(birth, "%d/%m/%Y").date(),
            municipality=municipality,
        )
    if account.role is not None:
        do_grant_membership(user, account.role, find_scope(account.role, account.scope), actor=None)
    return user
