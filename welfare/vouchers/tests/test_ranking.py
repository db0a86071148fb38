"""Bands, ranking order, issuance while the budget lasts, the waiting list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import TRADATE, VEDANO, close_window, make_application, make_citizen, make_programme
from welfare.ledger.actions import reconcile
from welfare.territory.models import Municipality
from welfare.vouchers.actions import (
    Decision,
    band_for,
    do_assess_application,
    do_cancel_voucher,
    do_compute_ranking,
    do_expire_vouchers,
    do_issue_vouchers,
    do_publish_ranking,
    do_set_budget,
)
from welfare.vouchers.models import Application, Voucher
from welfare.vouchers.queries import budget_lines


@pytest.mark.parametrize(
    ("isee_cents", "copay", "value"),
    [
        (0, 10, 150_000),
        (1_000_000, 10, 150_000),  # exactly on the limit: the lower band
        (1_000_001, 30, 100_000),  # one cent above
        (2_000_000, 30, 100_000),
        (2_000_001, 60, 50_000),
        (9_999_999_99, 60, 50_000),
    ],
)
def test_it_finds_the_isee_band_at_the_boundaries(programme, isee_cents, copay, value):
    band = band_for(programme, isee_cents)
    assert (band.copay_percent, band.max_voucher_cents) == (copay, value)


def test_an_isee_above_every_band_is_refused_when_the_last_band_has_a_limit(district, taxonomy, alice):
    from welfare.vouchers.actions import BandSpec, do_save_programme

    programme = make_programme(district, taxonomy, slug="limitato", publish=False)
    do_save_programme(actor=None, district=district, fields={}, kinds=[taxonomy["adm"]], programme=programme,
                      bands=[BandSpec(1_500_000, 20, 100_000)])  # fmt: skip
    assert band_for(programme, 1_500_001) is None
    from welfare.vouchers.actions import do_publish_programme

    do_publish_programme(programme, actor=None)
    with pytest.raises(ValidationError) as refused:
        make_application(alice, programme, isee_cents=1_500_001)
    assert refused.value.code == "isee_above_limit"
    assert Application.objects.get(programme=programme).status == "draft"  # the draft is kept, not sent


def families(n, istat=TRADATE, prefix="famiglia"):
    return [
        make_citizen(f"{prefix}{i}@example.org", prefix.title(), f"Numero{chr(65 + i)}", dt.date(1980, 1, 1 + i), istat)
        for i in range(n)
    ]


def approve(application, worker, score):
    return do_assess_application(application, actor=worker, decision=Decision.APPROVE, need_score=score, notes="",
                                 reason="")  # fmt: skip


def test_the_ranking_orders_by_isee_then_need_then_time_with_ties(programme, sofia):
    a, b, c, d = families(4)
    # b and c have the same ISEE: the greater need comes first; c and d tie on ISEE and need: who sent first.
    first = approve(make_application(a, programme, isee_cents=500_000), sofia, 10)
    tie_late = make_application(d, programme, isee_cents=900_000)
    tie_early = make_application(c, programme, isee_cents=900_000)
    Application.objects.filter(pk=tie_late.pk).update(submitted_at=timezone.now() + dt.timedelta(seconds=5))
    tie_late.refresh_from_db()
    needier = approve(make_application(b, programme, isee_cents=900_000), sofia, 80)
    approve(tie_early, sofia, 40)
    approve(tie_late, sofia, 40)
    close_window(programme)
    do_compute_ranking(programme, Municipality.objects.get(istat_code=TRADATE), actor=sofia)
    order = list(
        Application.objects.filter(programme=programme).order_by("rank_position").values_list("pk", "rank_position")
    )
    assert order == [(first.pk, 1), (needier.pk, 2), (tie_early.pk, 3), (tie_late.pk, 4)]


def test_the_ranking_waits_for_every_assessment_and_for_the_window_to_close(programme, sofia, diana):
    (a,) = families(1)
    make_application(a, programme, isee_cents=500_000)
    tradate = Municipality.objects.get(istat_code=TRADATE)
    with pytest.raises(ValidationError) as still_open:
        do_compute_ranking(programme, tradate, actor=diana)
    assert still_open.value.code == "window_open"
    close_window(programme)
    with pytest.raises(ValidationError) as pending:
        do_compute_ranking(programme, tradate, actor=diana)
    assert pending.value.code == "assessment_pending"


def rank_and_publish(programme, istat, actor):
    municipality = Municipality.objects.get(istat_code=istat)
    close_window(programme)
    do_compute_ranking(programme, municipality, actor=actor)
    do_publish_ranking(programme, municipality, actor=actor)
    return municipality


def test_vouchers_are_issued_in_order_while_the_budget_lasts_and_the_rest_wait(programme, sofia, diana):
    # Tradate has 3,000 €: 1,500 € (ISEE 5,000) + 1,000 € (ISEE 15,000) fit, the next 1,500 € does not.
    a, b, c, d = families(4)
    first = approve(make_application(a, programme, isee_cents=500_000), sofia, 50)
    third = approve(make_application(c, programme, isee_cents=800_000), sofia, 50)
    second = approve(make_application(b, programme, isee_cents=600_000), sofia, 50)
    fourth = approve(make_application(d, programme, isee_cents=2_500_000), sofia, 50)
    tradate = rank_and_publish(programme, TRADATE, diana)
    issued = do_issue_vouchers(programme, tradate, actor=diana)
    assert [v.application_id for v in issued] == [first.pk, second.pk]
    outcomes = dict(Application.objects.values_list("pk", "outcome"))
    # The fourth (a 500 € voucher) would fit in what is left, but may not overtake the third.
    assert outcomes == {first.pk: "funded", second.pk: "funded", third.pk: "waiting", fourth.pk: "waiting"}
    line = next(line for line in budget_lines(programme) if line.istat_code == TRADATE)
    assert (line.allocated_cents, line.committed_cents, line.available_cents) == (300_000, 300_000, 0)
    assert do_issue_vouchers(programme, tradate, actor=diana) == []  # nothing more: the budget is spent
    assert not reconcile()

    # Budget freed by a cancelled voucher serves the waiting list in ranking order.
    do_cancel_voucher(Voucher.objects.get(application=first), actor=diana, reason="Trasferita in altro comune")
    assert Application.objects.get(pk=third.pk).outcome == "funded"
    assert Application.objects.get(pk=fourth.pk).outcome == "waiting"  # 1,500 € back, 1,500 € to the third
    # A raised budget serves the next one at once.
    do_set_budget(programme, tradate, allocated_cents=350_000, actor=diana)
    assert Application.objects.get(pk=fourth.pk).outcome == "funded"
    assert Voucher.objects.get(application=fourth).value_cents == 50_000
    assert not reconcile()


def test_another_municipality_has_its_own_budget_and_ranking(programme, sofia, vittorio, diana):
    (a,) = families(1)
    (b,) = families(1, istat=VEDANO, prefix="vedanese")
    approve(make_application(a, programme, isee_cents=500_000), sofia, 50)
    approve(make_application(b, programme, isee_cents=500_000), vittorio, 50)
    tradate = rank_and_publish(programme, TRADATE, diana)
    do_issue_vouchers(programme, tradate, actor=diana)
    assert Voucher.objects.filter(municipality__istat_code=TRADATE).count() == 1
    assert not Voucher.objects.filter(municipality__istat_code=VEDANO).exists()  # its ranking is not published
    assert Application.objects.get(applicant=b).rank_position is None


def test_a_budget_cannot_be_lowered_below_what_is_in_vouchers(programme, sofia, diana):
    (a,) = families(1)
    approve(make_application(a, programme, isee_cents=500_000), sofia, 50)
    tradate = rank_and_publish(programme, TRADATE, diana)
    do_issue_vouchers(programme, tradate, actor=diana)
    with pytest.raises(ValidationError) as refused:
        do_set_budget(programme, tradate, allocated_cents=100_000, actor=diana)
    assert refused.value.code == "committed"
    assert programme.budgets.get(municipality=tradate).allocated_cents == 300_000
    do_set_budget(programme, tradate, allocated_cents=150_000, actor=diana)  # exactly what is committed
    assert next(line for line in budget_lines(programme) if line.istat_code == TRADATE).available_cents == 0


def test_expired_vouchers_go_back_to_the_budget(programme, sofia, diana):
    (a,) = families(1)
    approve(make_application(a, programme, isee_cents=500_000), sofia, 50)
    tradate = rank_and_publish(programme, TRADATE, diana)
    (voucher,) = do_issue_vouchers(programme, tradate, actor=diana)
    assert do_expire_vouchers(voucher.valid_until) == 0  # still valid on its last day
    assert do_expire_vouchers(voucher.valid_until + dt.timedelta(days=1)) == 1
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.EXPIRED
    assert voucher.account.balance_cents == 0
    assert next(line for line in budget_lines(programme) if line.istat_code == TRADATE).available_cents == 300_000
    assert not reconcile()
