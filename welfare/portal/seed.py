"""A reproducible, district-sized population for benchmarks: `manage.py seed_scale --citizens N`.

On top of the demo (`load_demo`: catalogue, accounts, accreditation, programmes) it writes in bulk:
citizens with valid codici fiscali and households, requests in every state over two years with
their history and messages, a past voucher programme with applications, a ranking per municipality
and vouchers issued in ranking order, requests paid with those vouchers and their delivered
sessions (priced, split and posted to the ledger), and a current programme with applications
waiting for the social workers.

Bulk writes bypass the actions (and so the audit trail) for speed: a generator, not a user. The
ranking and the issuance of vouchers do go through the actions, and the run ends with the ledger's
reconciliation, so the money is as consistent as the product's own. Same seed, same data.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from welfare.accounts.models import CitizenProfile, HouseholdMember, User
from welfare.care.models import Message, RequestEvent, ServiceRequest
from welfare.catalogue.models import Accreditation, Service
from welfare.delivery.actions import CONFIRM_DAYS, price_of
from welfare.delivery.models import Session
from welfare.ledger.actions import reconcile
from welfare.ledger.chart import copayment_account, provider_account
from welfare.ledger.models import Account, Entry, Transaction
from welfare.lib.money import split_copayment
from welfare.territory.models import District
from welfare.vouchers.actions import (
    band_for,
    do_compute_ranking,
    do_issue_vouchers,
    do_publish_programme,
    do_publish_ranking,
    do_save_programme,
    do_set_budget,
)
from welfare.vouchers.demo import BANDS
from welfare.vouchers.models import Application, Programme, Voucher

CHUNK = 5000
UNUSABLE_PASSWORD = "!seed"  # noqa: S105 - Django treats a password starting with "!" as unusable: nobody logs in as them
FIRST_M = ["Marco", "Luca", "Giuseppe", "Francesco", "Antonio", "Alessandro", "Andrea", "Matteo", "Lorenzo",
           "Davide", "Simone", "Federico", "Riccardo", "Paolo", "Stefano", "Roberto", "Giovanni", "Pietro",
           "Filippo", "Tommaso", "Gabriele", "Emanuele", "Nicola", "Massimo", "Claudio", "Enrico", "Fabio",
           "Sergio", "Mario", "Franco"]  # fmt: skip
FIRST_F = ["Giulia", "Sofia", "Francesca", "Chiara", "Sara", "Martina", "Elena", "Valentina", "Alessandra",
           "Anna", "Laura", "Federica", "Silvia", "Paola", "Elisa", "Marta", "Giorgia", "Alice", "Beatrice",
           "Aurora", "Camilla", "Serena", "Cristina", "Roberta", "Monica", "Barbara", "Daniela", "Lucia",
           "Rosa", "Teresa"]  # fmt: skip
LAST = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
        "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
        "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini",
        "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis",
        "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso",
        "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina",
        "Rizzi", "Monti", "Cattaneo"]  # fmt: skip

# Codice fiscale, computed here because the library (python-codicefiscale) takes milliseconds a code,
# which is an hour at region scale. The test suite checks this encoder against the library.
MONTHS = "ABCDEHLMPRST"
ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8,
                12, 14, 16, 10, 22, 25, 24, 23], strict=True))  # fmt: skip
EVEN = {**{str(d): d for d in range(10)}, **{chr(65 + i): i for i in range(26)}}
VOWELS = set("AEIOU")


def _letters(text: str) -> tuple[str, str]:
    letters = [c for c in text.upper() if c.isalpha()]
    return "".join(c for c in letters if c not in VOWELS), "".join(c for c in letters if c in VOWELS)


def codice_fiscale(last: str, first: str, birth: dt.date, female: bool, cadastral: str) -> str:
    consonants, vowels = _letters(last)
    code = (consonants + vowels + "XXX")[:3]
    consonants, vowels = _letters(first)
    code += consonants[0] + consonants[2] + consonants[3] if len(consonants) >= 4 else (consonants + vowels + "XXX")[:3]
    code += f"{birth.year % 100:02d}{MONTHS[birth.month - 1]}{birth.day + (40 if female else 0):02d}{cadastral}"
    total = sum(ODD[c] if i % 2 == 0 else EVEN[c] for i, c in enumerate(code))
    return code + chr(65 + total % 26)


@contextmanager
def explicit_timestamps(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create keep the generator's past dates instead of auto_now(_add)'s 'now'."""
    saved = []
    for model, name in model_fields:
        model_field = model._meta.get_field(name)
        saved.append((model_field, model_field.auto_now, model_field.auto_now_add))  # type: ignore[union-attr]
        model_field.auto_now = model_field.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add  # type: ignore[union-attr]


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in self.counts.items()] + [
            f"{step}: {seconds:.1f} s" for step, seconds in self.seconds.items()
        ]


class Seeder:
    def __init__(self, district: District, citizens: int, seed: int, say: Callable[[str], None]) -> None:
        self.district, self.citizens, self.say = district, citizens, say
        self.rng = random.Random(seed)  # noqa: S311 (test data, reproducible)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.report = Report()
        self.codes: set[str] = set(CitizenProfile.objects.values_list("codice_fiscale", flat=True))

    def step(self, name: str, run: Callable[[], int]) -> None:
        started = time.perf_counter()
        count = run()
        self.report.seconds[name] = time.perf_counter() - started
        self.report.counts[name] = count
        self.say(f"{name}: {count} in {self.report.seconds[name]:.1f} s")

    # People

    def _unique_code(self, last: str, first: str, birth: dt.date, female: bool, cadastral: str) -> tuple[str, dt.date]:
        code = codice_fiscale(last, first, birth, female, cadastral)
        while code in self.codes:  # the same name born the same day in the same town: move the birthday
            birth += dt.timedelta(days=1)
            code = codice_fiscale(last, first, birth, female, cadastral)
        self.codes.add(code)
        return code, birth

    def people(self) -> int:
        municipalities = list(self.district.municipalities.all())
        weights = [m.population or 1000 for m in municipalities]
        start = User.objects.count()
        created = 0
        for offset in range(0, self.citizens, CHUNK):
            size = min(CHUNK, self.citizens - offset)
            users, profiles, members = [], [], []
            for i in range(offset, offset + size):
                female = self.rng.random() < 0.52
                first = self.rng.choice(FIRST_F if female else FIRST_M)
                last = self.rng.choice(LAST)
                place = self.rng.choices(municipalities, weights)[0]
                birth = dt.date(1930, 1, 1) + dt.timedelta(days=self.rng.randrange(27_000))
                code, birth = self._unique_code(last, first, birth, female, place.cadastral_code)
                users.append(User(email=f"cittadino{start + i:07d}@seed.invalid", first_name=first, last_name=last,
                                  password=UNUSABLE_PASSWORD, date_joined=self.now))  # fmt: skip
                profiles.append((code, birth, place, self.rng.random() < 0.4))
            with transaction.atomic():
                User.objects.bulk_create(users, batch_size=1000)
                saved = CitizenProfile.objects.bulk_create(
                    [CitizenProfile(user=user, codice_fiscale=code, birth_date=birth, municipality=place,
                                    privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                                    privacy_accepted_at=self.now)
                     for user, (code, birth, place, _children) in zip(users, profiles, strict=True)],
                    batch_size=1000,
                )  # fmt: skip
                for profile, (_code, _birth, place, children) in zip(saved, profiles, strict=True):
                    for _ in range(self.rng.randint(1, 2) if children else 0):
                        female = self.rng.random() < 0.5
                        first = self.rng.choice(FIRST_F if female else FIRST_M)
                        birth = dt.date(2008, 1, 1) + dt.timedelta(days=self.rng.randrange(5400))
                        code, birth = self._unique_code(profile.user.last_name, first, birth, female,
                                                        place.cadastral_code)  # fmt: skip
                        members.append(HouseholdMember(owner=profile, first_name=first,
                                                       last_name=profile.user.last_name, codice_fiscale=code,
                                                       birth_date=birth, relationship="child"))  # fmt: skip
                HouseholdMember.objects.bulk_create(members, batch_size=1000)
            created += size
            self.say(f"  citizens {created}/{self.citizens}")
        return created

    # Requests

    STATES = [("submitted", 10), ("proposed", 5), ("confirmed", 5), ("active", 15), ("completed", 35),
              ("rejected", 10), ("withdrawn", 10), ("cancelled", 5), ("expired", 5)]  # fmt: skip
    PATHS = {
        "submitted": [], "proposed": ["proposed"], "confirmed": ["proposed", "confirmed"],
        "active": ["proposed", "confirmed", "active"], "completed": ["proposed", "confirmed", "active", "completed"],
        "rejected": ["rejected"], "withdrawn": ["withdrawn"], "cancelled": ["proposed", "confirmed", "cancelled"],
        "expired": ["proposed", "expired"],
    }  # fmt: skip

    def requests(self) -> int:
        services: dict[int, list[Service]] = {}
        for service in Service.objects.filter(status=Service.Status.PUBLISHED).prefetch_related("areas_served"):
            for municipality in service.areas_served.all():
                services.setdefault(municipality.pk, []).append(service)
        staff = dict(
            User.objects.filter(memberships__role="provider_staff").values_list("memberships__organization", "pk")
        )
        states, weights = zip(*self.STATES, strict=True)
        created = 0
        profiles = CitizenProfile.objects.filter(user__email__endswith="@seed.invalid").values_list(
            "pk", "user_id", "municipality_id"
        )
        members: dict[int, list[int]] = {}
        for member_id, owner_id in HouseholdMember.objects.filter(owner__user__email__endswith="@seed.invalid") \
                .values_list("pk", "owner_id"):  # fmt: skip
            members.setdefault(owner_id, []).append(member_id)
        batch: list[tuple[ServiceRequest, list[str], int | None]] = []
        for profile_id, user_id, municipality_id in profiles.iterator(chunk_size=CHUNK):
            for _ in range(self._poisson(0.5)):
                service = self.rng.choice(services[municipality_id])
                state = self.rng.choices(states, weights)[0]
                created_at = self.now - dt.timedelta(minutes=self.rng.randrange(730 * 24 * 60))
                request = ServiceRequest(
                    service=service, organization_id=service.organization_id, requester_id=user_id,
                    beneficiary_member_id=self.rng.choice(members[profile_id])
                    if profile_id in members and self.rng.random() < 0.5 else None,
                    municipality_id=municipality_id, needs="Richiesta di supporto generata per il benchmark.",
                    state=state, created_at=created_at, updated_at=created_at,
                )  # fmt: skip
                if self.PATHS[state] and self.PATHS[state][0] == "proposed":
                    request.proposed_start = (created_at + dt.timedelta(days=10)).date()
                    request.proposed_schedule, request.proposed_operator = "Lunedì 15-17", "Operatore"
                    request.proposed_price_cents, request.proposed_funding = 2000, "family"
                    request.proposal_deadline = created_at + dt.timedelta(days=7)
                batch.append((request, self.PATHS[state], staff.get(service.organization_id)))
            if len(batch) >= CHUNK:
                created += self._save_requests(batch)
                batch = []
        created += self._save_requests(batch)
        return created

    def _poisson(self, mean: float) -> int:
        count, threshold, product = 0, 2.718281828**-mean, self.rng.random()
        while product > threshold:
            count, product = count + 1, product * self.rng.random()
        return count

    def _save_requests(self, batch: list[tuple[ServiceRequest, list[str], int | None]]) -> int:
        with transaction.atomic(), explicit_timestamps((ServiceRequest, "created_at"), (ServiceRequest, "updated_at"),
                                                        (RequestEvent, "at"), (Message, "created_at")):  # fmt: skip
            saved = ServiceRequest.objects.bulk_create([request for request, _path, _staff in batch], batch_size=1000)
            events, messages = [], []
            for request, (_r, path, staff_id) in zip(saved, batch, strict=True):
                at = request.created_at
                events.append(RequestEvent(request=request, at=at, actor_id=request.requester_id, to_state="submitted"))
                previous = "submitted"
                for step in path:
                    at += dt.timedelta(hours=self.rng.randrange(1, 96))
                    actor = request.requester_id if step in ("confirmed", "withdrawn") else staff_id
                    events.append(RequestEvent(request=request, at=at, actor_id=actor, from_state=previous,
                                               to_state=step))  # fmt: skip
                    previous = step
                if staff_id and self.rng.random() < 0.3:
                    for n in range(self.rng.randint(1, 3)):
                        author = request.requester_id if n % 2 == 0 else staff_id
                        messages.append(Message(request=request, author_id=author, body="Messaggio di prova.",
                                                created_at=request.created_at + dt.timedelta(hours=n + 1)))  # fmt: skip
            RequestEvent.objects.bulk_create(events, batch_size=2000)
            Message.objects.bulk_create(messages, batch_size=2000)
        return len(saved)

    # Vouchers

    def vouchers(self) -> int:
        """A past programme: applications, a ranking per municipality, vouchers issued in order (actions)."""
        admin = User.objects.filter(memberships__district=self.district).first()
        assert admin is not None
        current = Programme.objects.get(slug="domiciliarita-2027")
        programme = do_save_programme(
            actor=admin, district=self.district, kinds=list(current.kinds.all()), bands=BANDS,
            fields={"name": "Voucher domiciliarità (dati di prova)", "slug": f"seed-{self.rng.randrange(10**6)}",
                    "description": "Bando generato per il benchmark.", "applications_open_on": self.today,
                    "applications_close_on": self.today, "vouchers_valid_from": self.today - dt.timedelta(days=90),
                    "vouchers_valid_until": self.today + dt.timedelta(days=275)},
        )  # fmt: skip
        workers = dict(User.objects.filter(memberships__role="social_worker").values_list("memberships__municipality",
                                                                                        "pk"))  # fmt: skip
        profiles = list(
            CitizenProfile.objects.filter(user__email__endswith="@seed.invalid")
            .values_list("user_id", "municipality_id")
            .order_by("pk")
        )
        applicants = self.rng.sample(profiles, k=len(profiles) * 3 // 100)
        waiting = self.rng.sample(profiles, k=len(profiles) // 100)
        bands = list(programme.bands.all())
        past, pending = [], []
        for user_id, municipality_id in applicants:
            isee = self.rng.randrange(0, 3_500_000)
            band = band_for(programme, isee) or bands[-1]
            status = self.rng.choices(["approved", "rejected", "info_requested"], [85, 10, 5])[0]
            submitted = self.now - dt.timedelta(days=60, minutes=self.rng.randrange(40 * 24 * 60))
            past.append(Application(
                programme=programme, applicant_id=user_id, municipality_id=municipality_id, isee_cents=isee,
                dsu_protocol="INPS-ISEE-2026-00000000A-00", dsu_expires_on=self.today + dt.timedelta(days=200),
                status=status, submitted_at=submitted,
                need_score=self.rng.randrange(101) if status == "approved" else None,
                copay_percent=band.copay_percent, voucher_value_cents=band.max_voucher_cents,
                assessed_by_id=workers.get(municipality_id), assessed_at=submitted + dt.timedelta(days=5),
            ))  # fmt: skip
        for user_id, municipality_id in waiting:
            pending.append(Application(
                programme=current, applicant_id=user_id, municipality_id=municipality_id,
                isee_cents=self.rng.randrange(0, 3_500_000), dsu_protocol="INPS-ISEE-2026-00000000A-00",
                dsu_expires_on=self.today + dt.timedelta(days=200), status="submitted",
                submitted_at=self.now - dt.timedelta(minutes=self.rng.randrange(10 * 24 * 60)),
            ))  # fmt: skip
        with transaction.atomic():
            Application.objects.bulk_create(past + pending, batch_size=2000)
        # Budgets for about 60% of the admissible applications; then the window is in the past.
        for municipality in self.district.municipalities.all():
            wanted = sum(a.voucher_value_cents or 0 for a in past
                         if a.municipality_id == municipality.pk and a.status == "approved")  # fmt: skip
            do_set_budget(programme, municipality, allocated_cents=wanted * 6 // 10 + 100, actor=admin)
        do_publish_programme(programme, actor=admin)
        Programme.objects.filter(pk=programme.pk).update(
            applications_open_on=self.today - dt.timedelta(days=100),
            applications_close_on=self.today - dt.timedelta(days=40),
        )
        programme.refresh_from_db()
        issued = 0
        for municipality in self.district.municipalities.all():
            do_compute_ranking(programme, municipality, actor=admin)
            do_publish_ranking(programme, municipality, actor=admin)
            issued += len(do_issue_vouchers(programme, municipality, actor=admin))
        self.report.counts["applications"] = len(past) + len(pending)
        return issued

    def sessions(self) -> int:
        """Requests paid with 60% of the vouchers, with a session or two a week for twelve weeks."""
        accreditations: dict[int, list[Accreditation]] = {}
        for accreditation in Accreditation.objects.filter(status="approved").prefetch_related("services__areas_served"):
            for service in accreditation.services.all():
                if service.is_published:
                    for municipality in service.areas_served.all():
                        accreditations.setdefault(municipality.pk, []).append(accreditation)
        vouchers = list(
            Voucher.objects.filter(status="active", requests__isnull=True, holder__email__endswith="@seed.invalid")
            .select_related("account")
            .order_by("pk")
        )
        chosen = [v for v in vouchers if self.rng.random() < 0.6 and v.municipality_id in accreditations]
        created = 0
        for offset in range(0, len(chosen), 500):
            created += self._voucher_sessions(chosen[offset : offset + 500], accreditations)
        return created

    def _voucher_sessions(self, vouchers: list[Voucher], accreditations: dict[int, list[Accreditation]]) -> int:
        start = self.today - dt.timedelta(weeks=12)
        with transaction.atomic(), explicit_timestamps((ServiceRequest, "created_at")):
            requests = []
            plans = []
            for voucher in vouchers:
                accreditation = self.rng.choice(accreditations[voucher.municipality_id])
                service = next(s for s in accreditation.services.all() if s.is_published)
                requests.append(ServiceRequest(
                    service=service, organization_id=accreditation.organization_id, requester_id=voucher.holder_id,
                    beneficiary_member_id=voucher.beneficiary_member_id, municipality_id=voucher.municipality_id,
                    needs="Assistenza domiciliare con voucher.", state="active", voucher=voucher,
                    tariff_cents=accreditation.hourly_tariff_cents, proposed_start=start,
                    proposed_schedule="Due volte a settimana", proposed_operator="Operatore",
                    proposed_price_cents=accreditation.hourly_tariff_cents, proposed_funding="voucher",
                    created_at=self.now - dt.timedelta(weeks=13), updated_at=self.now,
                ))  # fmt: skip
                plans.append((voucher, accreditation))
            ServiceRequest.objects.bulk_create(requests, batch_size=500)
            sessions, legs = [], []
            for request, (voucher, accreditation) in zip(requests, plans, strict=True):
                balance = voucher.account.balance_cents
                provider = provider_account(accreditation.organization)
                family = copayment_account(voucher, voucher.programme)
                for week in range(12):
                    for _ in range(self.rng.randint(1, 2)):
                        day = start + dt.timedelta(weeks=week, days=self.rng.randrange(5))
                        hours = self.rng.choice([1, 1, 2, 2, 3])
                        amount = price_of(accreditation.hourly_tariff_cents, hours * 60)
                        share = min(split_copayment(amount, voucher.copay_percent).voucher_cents, balance)
                        balance -= share
                        answered = (self.today - day).days > CONFIRM_DAYS
                        confirmation = self.rng.choices(["confirmed", "silent", "disputed"], [70, 28, 2])[0] \
                            if answered else "pending"  # fmt: skip
                        sessions.append(Session(
                            request=request, organization_id=accreditation.organization_id, voucher=voucher, day=day,
                            starts_at=dt.time(9), ends_at=dt.time(9 + hours), minutes=hours * 60, operator="Operatore",
                            activity="Assistenza a domicilio", confirmation=confirmation,
                            confirm_by=day + dt.timedelta(days=CONFIRM_DAYS),
                            tariff_cents=accreditation.hourly_tariff_cents,
                            amount_cents=amount, voucher_cents=share, copayment_cents=amount - share,
                            flags=[] if share == split_copayment(amount, voucher.copay_percent).voucher_cents
                            else [Session.Flag.NO_VOUCHER_LEFT],
                        ))  # fmt: skip
                        legs.append((provider, voucher.account, family, amount, share))
            transactions = Transaction.objects.bulk_create(
                [Transaction(kind=Transaction.Kind.SPEND, memo="seed") for _ in sessions], batch_size=2000
            )
            entries: list[Entry] = []
            moves: dict[int, int] = {}
            for session, posted, (provider, voucher_account, family, amount, share) in zip(
                sessions, transactions, legs, strict=True
            ):
                session.transaction = posted
                parts = [(provider, amount), (voucher_account, -share), (family, share - amount)]
                for account, cents in parts:
                    if cents:
                        entries.append(Entry(transaction=posted, account=account, amount_cents=cents))
                        moves[account.pk] = moves.get(account.pk, 0) + cents
            Entry.objects.bulk_create(entries, batch_size=5000)
            Session.objects.bulk_create(sessions, batch_size=2000)
            for account_id, cents in moves.items():
                Account.objects.filter(pk=account_id).update(balance_cents=models.F("balance_cents") + cents)
        return len(sessions)


def seed(citizens: int, *, seed: int = 2026, say: Callable[[str], None] = print) -> Report:
    """Add `citizens` residents and their activity to the demo district. Refused outside DEBUG."""
    if not settings.DEBUG:
        raise RuntimeError("seed_scale writes invented people: it runs only with DEBUG on, never in production.")
    from welfare.portal.demo import load_demo
    from welfare.territory.queries import current_district

    district = current_district()
    if district is None:
        raise RuntimeError("Load the district first (manage.py load_district).")
    load_demo(district)
    seeder = Seeder(district, citizens, seed, say)
    seeder.step("citizens", seeder.people)
    seeder.step("requests", seeder.requests)
    seeder.step("vouchers", seeder.vouchers)
    seeder.step("sessions", seeder.sessions)
    with connection.cursor() as cursor:  # fresh statistics after a bulk load, as an operator would do
        cursor.execute("ANALYZE")
    mismatches = reconcile()
    seeder.report.counts["ledger mismatches"] = len(mismatches)
    say(f"ledger reconciles: {not mismatches}")
    return seeder.report
