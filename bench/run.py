"""The benchmark: `make bench` (or `python -m bench.run --help`).

For each database and size it prepares a seeded database (cached under var/bench/), starts the portal
as in production (gunicorn, several workers, DEBUG off), drives it over HTTP on 127.0.0.1 with
concurrent clients and prints, per scenario, median / p95 / p99 latency and throughput next to two
floors measured in the same run: a minimal view through the same middleware and server (/healthz/web),
and the scenario's own SQL run directly on the database. In-process scenarios (voucher spending
under contention, a month of statements, a whole ranking) run the product's actions. The results go
to bench/results/ as a Markdown table, with the goals as ratios.
"""

import argparse
import datetime as dt
import http.client
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
SEED_VERSION = "2"  # bump when welfare/portal/seed.py changes what it writes, to rebuild cached databases
PG_BASE = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")  # "" for each worker's own memory
# The benchmark's own key for encrypted fields (seeded and served with the same; never a real one).
BENCH_KEY = "YmVuY2gtb25seS1rZXktbmV2ZXItaW4tcHJvZHVjdGk="


@dataclass
class Timing:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    wall: float = 0.0
    errors: int = 0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("nan")


# Databases


def database_url(db: str, citizens: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{VAR / f'bench-{citizens}.sqlite3'}"
    return f"{PG_BASE}/welfare_bench_{citizens}"


def manage(url: str, *args: str, debug: bool = True, quiet: bool = True) -> None:
    """A management command in its own process; its output goes to stderr (stdout carries the results)."""
    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "true" if debug else "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "FIELD_ENCRYPTION_KEY": BENCH_KEY,
    }
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else sys.stderr)  # fmt: skip


def prepare(db: str, citizens: int, say: Callable[[str], None]) -> str:
    """A seeded database, reused while its marker says it was built with this seed version."""
    VAR.mkdir(parents=True, exist_ok=True)
    url = database_url(db, citizens)
    marker = VAR / f"{db}-{citizens}.seeded"
    if marker.exists() and marker.read_text() == SEED_VERSION:
        manage(url, "migrate", "--no-input", "-v", "0")  # new indexes reach cached databases too
        analyze(url)
        return url
    say(f"preparing {db} with {citizens} citizens (cached for later runs)…")
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "welfare_bench_{citizens}"')
            connection.execute(f'CREATE DATABASE "welfare_bench_{citizens}"')
    started = time.perf_counter()
    for command in (["migrate", "--no-input", "-v", "0"], ["load_district"], ["load_taxonomy"], ["load_finder_rules"],
                    ["load_signal_rules"]):  # fmt: skip
        manage(url, *command)
    manage(url, "seed_scale", "--citizens", str(citizens), quiet=False)
    manage(url, "evaluate_signals")  # the work lists hold what the signals find in the seeded data
    say(f"seeded in {time.perf_counter() - started:.0f} s")
    marker.write_text(SEED_VERSION)
    return url


def analyze(url: str) -> None:
    """Fresh planner statistics and, on PostgreSQL, the visibility map that index-only scans (the queue's
    counts) rely on: the state autovacuum keeps a production database in, which it may not have reached
    since the bulk load."""
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "true", "FIELD_ENCRYPTION_KEY": BENCH_KEY}
    statement = "ANALYZE" if url.startswith("sqlite") else "VACUUM ANALYZE"
    code = f"from django.db import connection; connection.cursor().execute('{statement}')"
    subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


# The server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def shared_cache(empty: bool = True) -> str:
    """The Redis database the workers share as their cache (emptied for a new server); "" if none answers."""
    if not REDIS:
        return ""
    import redis

    try:
        client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
        if empty:
            client.flushdb()
        else:
            client.ping()
    except redis.RedisError:
        return ""
    return REDIS


class Server:
    def __init__(self, url: str, workers: int, cache: str | None = None) -> None:
        """gunicorn as in production; `cache` is the Redis URL the workers share (None: `shared_cache()`,
        "": each worker's own memory)."""
        self.port = free_port()
        cache = shared_cache() if cache is None else cache
        env = os.environ | {
            "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50, "FIELD_ENCRYPTION_KEY": BENCH_KEY,
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "CONN_MAX_AGE": "600",
            "LOG_LEVEL": "WARNING",  # not a line per request: the benchmark measures pages, not logging
        } | ({"REDIS_URL": cache} if cache else {})  # fmt: skip
        gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        for _ in range(100):
            try:
                if get(self.port, "/healthz/web", "")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port: int, path: str, cookie: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    size = len(response.read())
    connection.close()
    return response.status, size


def load(
    port: int, name: str, paths: list[str], cookies: list[str], clients: int, total: int, warm: list[str] | None = None
) -> Timing:
    """`clients` threads share `total` requests, round-robin over paths and cookies; non-200s are errors.

    The warm-up requests go to `warm` when given (a scenario whose paths must each be new to the server)."""
    timing = Timing(name)
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            started = time.perf_counter()
            status, _size = get(port, paths[number % len(paths)], cookies[number % len(cookies)] if cookies else "")
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    timing.latencies.append(elapsed)
                else:
                    timing.errors += 1

    warm = warm or paths
    for index in range(min(20, total)):  # warm up: connections, caches, the workers' first imports
        get(port, warm[index % len(warm)], cookies[index % len(cookies)] if cookies else "")
    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timing.wall = time.perf_counter() - started
    return timing


# In-process: the database directly, and the actions


def setup_django(url: str) -> None:
    """Django in this process, configured as the server is (DEBUG off: no query log, real storage)."""
    os.environ.update({
        "DATABASE_URL": url, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench-" + "x" * 50, "FIELD_ENCRYPTION_KEY": BENCH_KEY, "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    })  # fmt: skip
    import django

    django.setup()


@dataclass
class Persona:
    cookie: str
    user_id: int


def session_for(user: object) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return str(session.session_key)


@dataclass
class Scenario:
    name: str
    paths: list[str]
    users: list[object]  # empty: anonymous
    per_user: bool = False
    reference: bool = False  # a yardstick, not one of the goals' pages
    fresh: bool = False  # every request a page not seen before: the page cache cannot answer it


FRESH_WORDS = ["assistenza", "educativa", "anziani", "minori", "trasporto", "disabilita", "famiglie", "domiciliare",
               "centro", "sostegno"]  # fmt: skip


def scenarios() -> list[Scenario]:
    from django.db.models import Count

    from welfare.accounts.models import Role, User
    from welfare.catalogue.models import Service
    from welfare.territory.models import Municipality

    services = list(Service.objects.filter(status="published").order_by("pk").values_list("pk", flat=True)[:20])
    municipalities = list(Municipality.objects.values_list("istat_code", flat=True))
    citizens = list(
        User.objects.filter(email__endswith="@seed.invalid")
        .annotate(n=Count("service_requests"))
        .filter(n__gte=2)
        .order_by("pk")[:40]
    )
    provider = (
        User.objects.filter(memberships__role=Role.PROVIDER_STAFF)
        .annotate(n=Count("memberships__organization__requests"))
        .order_by("-n")
        .first()
    )
    worker = User.objects.filter(memberships__role=Role.SOCIAL_WORKER, memberships__municipality__istat_code="012127")
    office = User.objects.filter(memberships__role=Role.DISTRICT_ADMIN)[:1]
    return [
        Scenario("catalogue search with filters",
                 [f"/servizi/?q=assistenza&comune={code}&costo=voucher" for code in municipalities]
                 + [f"/servizi/?q=educativa&per=minori&comune={code}" for code in municipalities], []),
        Scenario("home page", ["/"], []),
        Scenario("service page", [f"/servizi/{pk}/" for pk in services], []),
        Scenario("HSDS /services page", ["/api/hsds/services?page=1", "/api/hsds/services?page=2"], []),
        Scenario("citizen timeline", ["/area-riservata/richieste/"], list(citizens), per_user=True),
        Scenario("provider inbox", ["/area-riservata/ente/richieste/"], [provider], per_user=True),
        Scenario("social worker queue", ["/area-riservata/assistente-sociale/domande/"], list(worker), per_user=True),
        Scenario("social worker work list", ["/area-riservata/lista-di-lavoro/"], list(worker), per_user=True),
        Scenario("planning office figures (the year)", ["/area-riservata/dati/"], list(office), per_user=True),
        Scenario("static page through the base template (reference)", ["/privacy/"], [], reference=True),
        Scenario("catalogue search, every query new: page cache missed (reference)",
                 [f"/servizi/?q={word}&comune={code}" + (f"&per={group}" if group else "")
                  for word in FRESH_WORDS for code in municipalities for group in ("", "minori", "anziani", "famiglie",
                                                                                  "disabilita")],
                 [], reference=True, fresh=True),
    ]  # fmt: skip


def page_floors(scenario: Scenario, repeat: int = 15) -> tuple[float, float]:
    """Two floors of the scenario's page, measured in this process on the idle database, in ms (p50):
    the SQL its first page executes, run directly; and the whole page through Django's test client, one
    request at a time (the CPU a request costs the server, without HTTP, gunicorn or other clients)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    if scenario.users:
        client.force_login(scenario.users[0])  # type: ignore[arg-type]
    client.get(scenario.paths[0])  # warm, like the server: what a page caches is not its steady-state SQL
    with CaptureQueriesContext(connection) as captured:
        response = client.get(scenario.paths[1 if scenario.fresh else 0])
    assert response.status_code == 200, (scenario.name, response.status_code)
    statements = [query["sql"] for query in captured.captured_queries
                  if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]  # fmt: skip
    runs = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000, in_process(client, scenario.paths[2:] if scenario.fresh else scenario.paths)


def in_process(client: Any, paths: list[str], repeat: int = 40) -> float:
    """The p50 ms of pages through the test client (a fresh scenario's paths are each asked once: new pages)."""
    runs = []
    for number in range(repeat):
        started = time.perf_counter()
        response = client.get(paths[number % len(paths)])
        runs.append(time.perf_counter() - started)
        assert response.status_code == 200, (paths[number % len(paths)], response.status_code)
    return statistics.median(runs) * 1000


def _contend(vouchers: list[object], provider: object, clients: int, spends: int) -> tuple[float, int]:
    """`clients` threads, each with its own connection, spend 1 € at a time until refused; wall time and successes."""
    from django.db import OperationalError, connections

    from welfare.ledger.actions import InsufficientFunds, Leg, do_post
    from welfare.ledger.models import Transaction

    done = [0]
    lock = threading.Lock()

    def worker(number: int) -> None:
        voucher = vouchers[number % len(vouchers)]
        for _ in range(spends):
            while True:
                try:
                    do_post(Transaction.Kind.SPEND, [Leg(voucher, -100), Leg(provider, 100)], actor=None)  # type: ignore[arg-type]
                except InsufficientFunds:
                    break
                except OperationalError:  # SQLite: the single writer was busy; try again
                    continue
                with lock:
                    done[0] += 1
                break
        connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, done[0]


def voucher_contention(clients: int, spends: int, what: str = "voucher") -> dict[str, float]:
    """Spends of 1 € from `clients` threads: all on one voucher (or employer wallet, `what`), then each on its own.
    Zero overspend required."""
    from welfare.ledger.actions import Leg, account_for, do_post
    from welfare.ledger.models import Account, Transaction

    stamp = time.time_ns()
    source = account_for(Account.Kind.FUNDING, f"bench:funding:{stamp}")
    provider = account_for(Account.Kind.PROVIDER, f"bench:provider:{stamp}")
    kind = Account.Kind.VOUCHER if what == "voucher" else Account.Kind.EMPLOYER_WALLET
    results: dict[str, float] = {}
    for label, count in ((f"one {what}", 1), (f"own {what}s", clients)):
        vouchers = [account_for(kind, f"bench:{what}:{stamp}:{label}:{n}") for n in range(count)]
        each = clients * spends // 2 // count  # the budget admits half the attempts: the rest must be refused
        for voucher in vouchers:
            do_post(Transaction.Kind.FUND, [Leg(source, -each * 100), Leg(voucher, each * 100)], actor=None)
        wall, succeeded = _contend(vouchers, provider, clients, spends)  # type: ignore[arg-type]
        results[f"{label} spends/s"] = clients * spends / wall  # attempts per second, refused ones included
        results[f"{label} succeeded"] = succeeded
        results[f"{label} admitted"] = each * count
        results[f"{label} overspent vouchers"] = sum(
            1 for v in vouchers if Account.objects.get(pk=v.pk).balance_cents < 0
        )
    return results


def timed_in_rollback(work: Callable[[], object], runs: int = 3) -> float:
    """The median seconds of `work` run inside a transaction that is rolled back (the data stays as seeded)."""
    from django.db import transaction

    times = []
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    return statistics.median(times)


def statements_for_month() -> float:
    from django.utils import timezone

    from welfare.delivery.actions import do_generate_month

    month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return timed_in_rollback(lambda: do_generate_month(month.replace(day=1)))


def whole_ranking() -> float:
    from welfare.accounts.models import User
    from welfare.vouchers.actions import do_compute_ranking
    from welfare.vouchers.models import Programme, Ranking

    programme = Programme.objects.filter(slug__startswith="seed-").get()
    admin = User.objects.filter(memberships__role="district_admin").first()
    assert admin is not None

    def rank() -> None:
        Ranking.objects.filter(programme=programme).update(published_at=None)
        for municipality in programme.district.municipalities.all():
            do_compute_ranking(programme, municipality, actor=admin)

    return timed_in_rollback(rank)


def signal_evaluation() -> float:
    """Every shipped outreach signal over the whole district (issue 19's goal: under 5 s on PostgreSQL)."""
    from welfare.outreach.actions import do_evaluate_signals, do_install_default_rules
    from welfare.outreach.models import SignalRule

    def evaluate() -> None:
        do_install_default_rules()
        SignalRule.objects.update(percent=50)  # many vouchers qualify: the slow case, not the quiet one
        do_evaluate_signals()

    return timed_in_rollback(evaluate)


# One run


@dataclass
class Result:
    db: str
    citizens: int
    floor: Timing
    floor_in_process: float  # ms
    pages: list[tuple[Scenario, Timing, float, float]]  # and the SQL alone, the page in-process (ms)
    sessions: dict[str, list[str]]  # per-user scenario → the session cookies its load used (for the growth rounds)
    contention: dict[str, float]
    statements_s: float
    ranking_s: float
    signals_s: float = 0.0


def run_one(db: str, citizens: int, args: argparse.Namespace, say: Callable[[str], None]) -> Result:
    url = prepare(db, citizens, say)
    manage(url, "collectstatic", "--no-input", "-v", "0", debug=False)
    setup_django(url)
    from django.db import connections
    from django.test import Client

    listed = scenarios()
    server = Server(url, args.workers)
    sessions = {}
    try:
        say(f"{db}, {citizens} citizens: minimal view")
        floor = load(server.port, "minimal view (/healthz/web)", ["/healthz/web"], [], args.clients, args.requests)
        floor_in_process = in_process(Client(SERVER_NAME="127.0.0.1"), ["/healthz/web"])
        pages = []
        for scenario in listed:
            cookies = [session_for(user) for user in scenario.users]
            if scenario.per_user:
                sessions[scenario.name] = cookies
            say(f"{db}, {citizens} citizens: {scenario.name}")
            warm = ["/servizi/"] if scenario.fresh else None
            timing = load(server.port, scenario.name, scenario.paths, cookies, args.clients, args.requests, warm)
            pages.append((scenario, timing, *page_floors(scenario)))
    finally:
        server.stop()
    say(f"{db}, {citizens} citizens: voucher spending, statements, ranking")
    contention = voucher_contention(16, args.spends)
    say(f"{db}, {citizens} citizens: 2,000 spends on one employer wallet, then on 16")
    contention |= voucher_contention(16, 125, "wallet")  # 16 × 125 = 2,000 attempts, half admitted
    result = Result(db, citizens, floor, floor_in_process, pages, sessions, contention, statements_for_month(),
                    whole_ranking(), signal_evaluation())  # fmt: skip
    connections.close_all()
    return result


def run_in_subprocess(db: str, citizens: int, args: argparse.Namespace) -> str:
    """Each database and size in its own process: Django is configured once per process."""
    command = [PYTHON, "-m", "bench.run", "--only", f"{db}:{citizens}", "--clients", str(args.clients),
               "--requests", str(args.requests), "--workers", str(args.workers),
               "--spends", str(args.spends)]  # fmt: skip
    output = subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)  # progress on stderr
    return output.stdout


GROWTH_ROUNDS = 8


def interleaved_growth(db: str, small: dict[str, Any], big: dict[str, Any], args: argparse.Namespace,
                       say: Callable[[str], None]) -> list[dict[str, Any]]:  # fmt: skip
    """The per-user pages at both sizes, measured in alternating rounds against two servers side by side.

    The two sizes' own runs are minutes apart on a shared machine, and the machine's drift between them
    was as large as the growth being measured; here both sizes share the same minutes. Each worker caches
    in its own memory (the two databases must not share cache entries)."""
    servers = [Server(database_url(db, int(run["citizens"])), args.workers, cache="") for run in (small, big)]
    rows = []
    try:
        for page in small["pages"]:
            if not page["per_user"]:
                continue
            other = next(p for p in big["pages"] if p["name"] == page["name"])
            say(f"{db}, growth ×{args.growth} in alternating rounds: {page['name']}")
            timings = [Timing(page["name"]), Timing(other["name"])]
            for number in range(GROWTH_ROUNDS):
                for index in (0, 1) if number % 2 == 0 else (1, 0):
                    side = (page, other)[index]
                    part = load(servers[index].port, side["name"], side["paths"], side["sessions"], args.clients,
                                max(1, args.requests // GROWTH_ROUNDS))  # fmt: skip
                    timings[index].latencies += part.latencies
                    timings[index].errors += part.errors
            rows.append({"db": db, "name": page["name"], "p50": [t.p50 for t in timings],
                         "p95": [t.pct(0.95) for t in timings], "errors": sum(t.errors for t in timings),
                         "sql": [page["sql"], other["sql"]],
                         "in_process": [page["in_process"], other["in_process"]]})  # fmt: skip
    finally:
        for server in servers:
            server.stop()
    return rows


def growth_markdown(rows: list[dict[str, Any]], growth: int) -> str:
    if not rows:
        return ""
    lines = [
        f"## Growth ×{growth}: the per-user pages at both sizes, in alternating rounds",
        "",
        f"Two servers side by side, {GROWTH_ROUNDS} rounds alternating between them (each worker caches in its own "
        "memory); the SQL alone and the in-process page come from each size's own run.",
        "",
        "| database | page | p50 ms (1×) | p50 ms (10×) | ratio | p95 ms (1×) | p95 ms (10×) | errors "
        "| SQL alone ms (1× → 10×) | in-process ms (1× → 10×) |".replace("10×", f"{growth}×"),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        (s50, b50), (s95, b95) = row["p50"], row["p95"]
        lines.append(
            f"| {row['db']} | {row['name']} | {s50:.1f} | {b50:.1f} | {b50 / s50:.2f} | {s95:.1f} | {b95:.1f} "
            f"| {row['errors']} | {row['sql'][0]:.1f} → {row['sql'][1]:.1f} "
            f"| {row['in_process'][0]:.1f} → {row['in_process'][1]:.1f} |"
        )
    return "\n".join(lines) + "\n"


def markdown(result: Result) -> str:
    f = result.floor
    lines = [
        f"### {result.db}, {result.citizens:,} citizens",
        "",
        "| scenario | p50 ms | p95 ms | p99 ms | req/s | errors | p50 ÷ floor | p95 ÷ floor | req/s ÷ floor "
        "| SQL alone p50 ms | in-process p50 ms | in-process ÷ floor's |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {f.name} (floor) | {f.p50:.1f} | {f.pct(0.95):.1f} | {f.pct(0.99):.1f} | {f.throughput:.0f} | {f.errors} "
        f"| 1.00 | 1.00 | 1.00 | | {result.floor_in_process:.2f} | 1.00 |",
    ]
    for scenario, t, sql, cpu in result.pages:
        lines.append(
            f"| {scenario.name} | {t.p50:.1f} | {t.pct(0.95):.1f} | {t.pct(0.99):.1f} | {t.throughput:.0f} "
            f"| {t.errors} | {t.p50 / f.p50:.2f} | {t.pct(0.95) / f.pct(0.95):.2f} | {t.throughput / f.throughput:.2f} "
            f"| {sql:.1f} | {cpu:.2f} | {cpu / result.floor_in_process:.1f} |"
        )
    c = result.contention
    lines += [
        "",
        f"Voucher spending, 16 clients: one voucher {c['one voucher spends/s']:.0f} attempts/s "
        f"({c['one voucher succeeded']:.0f} paid of {c['one voucher admitted']:.0f} admitted, "
        f"{c['one voucher overspent vouchers']:.0f} overspent); "
        f"16 vouchers {c['own vouchers spends/s']:.0f} attempts/s "
        f"({c['own vouchers succeeded']:.0f} of {c['own vouchers admitted']:.0f}, "
        f"{c['own vouchers overspent vouchers']:.0f} overspent); ratio "
        f"{c['one voucher spends/s'] / c['own vouchers spends/s']:.2f}.",
        "",
        f"Employer wallet spending, 2,000 attempts from 16 clients: one wallet {c['one wallet spends/s']:.0f} "
        f"attempts/s ({c['one wallet succeeded']:.0f} paid of {c['one wallet admitted']:.0f} admitted, "
        f"{c['one wallet overspent vouchers']:.0f} overdrawn); 16 wallets {c['own wallets spends/s']:.0f} "
        f"attempts/s ({c['own wallets overspent vouchers']:.0f} overdrawn); ratio "
        f"{c['one wallet spends/s'] / c['own wallets spends/s']:.2f}.",
        "",
        f"A month of statements for every provider: {result.statements_s:.2f} s. "
        f"The whole ranking of a programme (every municipality): {result.ranking_s:.2f} s. "
        f"Every outreach signal over the district: {result.signals_s:.2f} s.",
        "",
    ]
    return "\n".join(lines)


def serialise(result: Result) -> str:
    import json

    return json.dumps({
        "db": result.db, "citizens": result.citizens, "markdown": markdown(result),
        "floor": {"p50": result.floor.p50, "p95": result.floor.pct(0.95), "rps": result.floor.throughput,
                  "in_process": result.floor_in_process},
        "pages": [{"name": s.name, "per_user": s.per_user, "reference": s.reference, "p50": t.p50,
                   "p95": t.pct(0.95), "rps": t.throughput, "errors": t.errors, "sql": sql, "in_process": cpu,
                   "paths": s.paths, "sessions": result.sessions.get(s.name, [])}
                  for s, t, sql, cpu in result.pages],
        "contention": result.contention, "statements_s": result.statements_s, "ranking_s": result.ranking_s,
        "signals_s": result.signals_s,
    })  # fmt: skip


def goals(runs: list[dict[str, object]], growth_rows: list[dict[str, Any]], growth: int) -> str:
    lines = ["## Goals", "", "| goal | database | measured | target | met |", "|---|---|---|---|---|"]

    def row(goal: str, db: str, value: float, target: str, met: bool) -> None:
        lines.append(f"| {goal} | {db} | {value:.2f} | {target} | {'yes' if met else '**no**'} |")

    for run in runs:
        db, floor, pages = str(run["db"]), run["floor"], run["pages"]
        assert isinstance(floor, dict)
        assert isinstance(pages, list)
        base = min(int(str(r["citizens"])) for r in runs if r["db"] == db)
        if run["citizens"] != base:
            continue
        search = next(page for page in pages if page["name"].startswith("catalogue search"))
        row("search p50 ÷ minimal p50", db, search["p50"] / floor["p50"], "≤ 1.5", search["p50"] / floor["p50"] <= 1.5)
        row(
            "search req/s ÷ minimal req/s",
            db,
            search["rps"] / floor["rps"],
            "≥ 0.6",
            search["rps"] / floor["rps"] >= 0.6,
        )
        worst = max((page for page in pages if not page["reference"]), key=lambda page: page["p95"])
        row(f"worst page p95 ÷ minimal p95 ({worst['name']})", db, worst["p95"] / floor["p95"], "≤ 2",
            worst["p95"] / floor["p95"] <= 2)  # fmt: skip
        contention = run["contention"]
        assert isinstance(contention, dict)
        ratio = contention["one voucher spends/s"] / contention["own vouchers spends/s"]
        overspent = contention["one voucher overspent vouchers"] + contention["own vouchers overspent vouchers"]
        row("spending: 1 budget ÷ 16 budgets (16 clients), zero overspend", db, ratio, "≥ 0.5, 0 overspent",
            ratio >= 0.5 and overspent == 0)  # fmt: skip
        if "one wallet spends/s" in contention:
            ratio = contention["one wallet spends/s"] / contention["own wallets spends/s"]
            overdrawn = contention["one wallet overspent vouchers"] + contention["own wallets overspent vouchers"]
            right = contention["one wallet succeeded"] == contention["one wallet admitted"]
            row("employer wallet: 2,000 spends on 1 wallet ÷ on 16, none overdrawn", db, ratio,
                "≥ 0.5, 0 overdrawn, all admitted paid", ratio >= 0.5 and overdrawn == 0 and right)  # fmt: skip
        if "signals_s" in run:
            value = float(str(run["signals_s"]))
            note = " (goal set for PostgreSQL)" if db == "sqlite" else ""
            row("every outreach signal (s)", db, value, "< 5 s" + note, value < 5)
        for key, label in (("statements_s", "month of statements (s)"), ("ranking_s", "whole ranking (s)")):
            value = float(str(run[key]))
            row(label, db, value, "< 2 s" + (" (goal set for PostgreSQL)" if db == "sqlite" else ""), value < 2)
        for grown in growth_rows:
            if grown["db"] == db:
                ratio = grown["p50"][1] / grown["p50"][0]
                row(f"growth ×{growth}: {grown['name']} p50 ratio (alternating rounds)", db, ratio, "≤ 1.3",
                    ratio <= 1.3)  # fmt: skip
    return "\n".join(lines) + "\n"


def machine() -> str:
    memory = ""
    if Path("/proc/meminfo").exists():
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":")[1].strip()
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        names = [line.split(":")[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]  # fmt: skip
        cpu = f"{len(names)} × {names[0]}" if names else ""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return (f"{platform.platform()}; CPU {cpu or os.cpu_count()}; memory {memory}; "
            f"Python {platform.python_version()}; git {commit.stdout.strip()}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--citizens", type=int, default=56_000)
    parser.add_argument("--growth", type=int, default=10, help="run again at this many times the data (1: skip)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--spends", type=int, default=25, help="spend attempts per client in the contention test")
    parser.add_argument("--only", help=argparse.SUPPRESS)  # db:citizens, used by the parent process
    args = parser.parse_args()

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.only:
        db, citizens = args.only.split(":")
        print(serialise(run_one(db, int(citizens), args, say)))
        return
    import json

    sizes = [args.citizens] + ([args.citizens * args.growth] if args.growth > 1 else [])
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    runs = [json.loads(run_in_subprocess(db, size, args)) for db in dbs for size in sizes]
    growth_rows = []
    if args.growth > 1:
        for db in dbs:
            small, big = (next(r for r in runs if r["db"] == db and r["citizens"] == size) for size in sizes)
            growth_rows += interleaved_growth(db, small, big, args, say)
    cache_used = (
        "cache in Redis, shared by the workers" if shared_cache(empty=False) else "cache in each worker's memory"
    )
    report = "\n".join([
        f"# Benchmark {dt.datetime.now():%Y-%m-%d %H:%M}", "", f"Machine: {machine()}", "",
        f"Settings: {args.clients} HTTP clients, {args.requests} requests per scenario, {args.workers} gunicorn "
        f"workers, {cache_used}; "
        "floors measured in the same run.", "", *[str(run["markdown"]) for run in runs],
        growth_markdown(growth_rows, args.growth), goals(runs, growth_rows, args.growth),
    ])  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{dt.datetime.now():%Y-%m-%d-%H%M}-{'-'.join(dbs)}-{args.citizens}.md"
    target.write_text(report)
    print(report)
    print(f"Written to {target.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
