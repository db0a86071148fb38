"""A tiny smoke version of the benchmark's data generator and scenarios, to keep them working.
No timing is asserted here: measurements live in `make bench`."""

import datetime as dt
import random

import pytest
from codicefiscale import codicefiscale
from django.test import Client

from welfare.accounts.models import CitizenProfile
from welfare.ledger.actions import reconcile
from welfare.portal.seed import FIRST_F, FIRST_M, LAST, codice_fiscale, seed


def test_the_fast_codice_fiscale_encoder_agrees_with_the_library():
    rng = random.Random(7)
    for _ in range(150):
        female = rng.random() < 0.5
        first, last = rng.choice(FIRST_F if female else FIRST_M), rng.choice(LAST)
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(30_000))
        place = rng.choice(["L319", "L703", "C300", "E665"])
        expected = codicefiscale.encode(lastname=last, firstname=first, gender="F" if female else "M",
                                        birthdate=birth.strftime("%d/%m/%Y"), birthplace=place)  # fmt: skip
        assert codice_fiscale(last, first, birth, female, place) == expected


def test_seed_refuses_without_debug(district, settings):
    settings.DEBUG = False
    with pytest.raises(RuntimeError, match="DEBUG"):
        seed(10, say=lambda _line: None)


@pytest.fixture
def seeded(district, taxonomy, finder_rules, settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    return seed(60, say=lambda _line: None)


def test_a_tiny_population_is_consistent_and_reproducible(seeded):
    assert seeded.counts["citizens"] == 60
    assert seeded.counts["ledger mismatches"] == 0
    assert not reconcile()
    codes = list(CitizenProfile.objects.filter(user__email__endswith="@seed.invalid").values_list("codice_fiscale",
                                                                                               flat=True))  # fmt: skip
    assert all(codicefiscale.is_valid(code) for code in codes)
    assert len(set(codes)) == 60


def test_every_benchmark_scenario_answers(seeded):
    from bench.run import scenarios

    for scenario in scenarios():
        client = Client()
        if scenario.users:
            assert scenario.users[0] is not None, scenario.name
            client.force_login(scenario.users[0])
        response = client.get(scenario.paths[0])
        assert response.status_code == 200, scenario.name


def test_the_goals_table_reads_growth_from_the_alternating_rounds():
    from bench.run import goals, growth_markdown

    run = {"db": "sqlite", "citizens": 1000, "floor": {"p50": 10.0, "p95": 20.0, "rps": 100.0, "in_process": 0.5},
           "contention": {"one voucher spends/s": 90.0, "own vouchers spends/s": 100.0,
                          "one voucher overspent vouchers": 0, "own vouchers overspent vouchers": 0},
           "statements_s": 0.3, "ranking_s": 2.5,
           "pages": [{"name": "catalogue search with filters", "per_user": False, "reference": False,
                      "p50": 12.0, "p95": 25.0, "rps": 80.0},
                     {"name": "citizen timeline", "per_user": True, "reference": False, "p50": 100.0,
                      "p95": 200.0, "rps": 10.0}]}  # fmt: skip
    grown = [{"db": "sqlite", "name": "citizen timeline", "p50": [100.0, 140.0], "p95": [200.0, 210.0], "errors": 0,
              "sql": [1.0, 1.1], "in_process": [20.0, 21.0]},
             {"db": "sqlite", "name": "provider inbox", "p50": [100.0, 120.0], "p95": [150.0, 160.0], "errors": 0,
              "sql": [1.0, 1.1], "in_process": [20.0, 21.0]}]  # fmt: skip

    table = goals([run, run | {"citizens": 10000}], grown, 10)
    assert "| search p50 ÷ minimal p50 | sqlite | 1.20 | ≤ 1.5 | yes |" in table
    assert "| worst page p95 ÷ minimal p95 (citizen timeline) | sqlite | 10.00 | ≤ 2 | **no** |" in table
    assert "| whole ranking (s) | sqlite | 2.50 | < 2 s (goal set for PostgreSQL) | **no** |" in table
    assert "| growth ×10: citizen timeline p50 ratio (alternating rounds) | sqlite | 1.40 | ≤ 1.3 | **no** |" in table
    assert "| growth ×10: provider inbox p50 ratio (alternating rounds) | sqlite | 1.20 | ≤ 1.3 | yes |" in table
    assert table.count("growth ×10") == 2  # once per page, not once per run
    assert "| sqlite | citizen timeline | 100.0 | 140.0 | 1.40 | 200.0 | 210.0 | 0 | 1.0 → 1.1 | 20.0 → 21.0 |" in (
        growth_markdown(grown, 10)
    )
    assert growth_markdown([], 10) == ""


@pytest.mark.django_db(transaction=True)
def test_the_wallet_contention_scenario_pays_exactly_what_each_wallet_admits():
    from bench.run import voucher_contention

    result = voucher_contention(4, 10, "wallet")
    assert result["one wallet succeeded"] == result["one wallet admitted"] == 20
    assert result["own wallets succeeded"] == result["own wallets admitted"] == 20
    assert result["one wallet overspent vouchers"] == result["own wallets overspent vouchers"] == 0
    assert reconcile() == []
