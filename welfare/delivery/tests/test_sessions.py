"""Logging sessions: price at the accredited tariff, split to the cent, flags, corrections, the family's answer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from welfare.delivery.actions import (
    SessionInput,
    do_confirm_session,
    do_confirm_silent_sessions,
    do_correct_session,
    do_dispute_session,
    do_log_session,
    do_resolve_dispute,
    do_withdraw_session,
    price_of,
)
from welfare.delivery.models import Session
from welfare.ledger.actions import reconcile
from welfare.ledger.models import Account
from welfare.vouchers.actions import do_spend_voucher

TODAY = timezone.localdate()


def at(start, end, day=None, **fields):
    return SessionInput(day=day or TODAY, starts_at=dt.time(*start), ends_at=dt.time(*end), operator="Marta Bianchi",
                        activity="Compiti di matematica", place="A casa", **fields)  # fmt: skip


def balance(voucher):
    return Account.objects.get(voucher=voucher).balance_cents


@pytest.mark.parametrize(("tariff", "minutes", "cents"), [(2200, 60, 2200), (2200, 90, 3300), (2050, 45, 1538),
                                                          (2050, 50, 1708), (1999, 1, 33)])  # fmt: skip
def test_a_session_is_priced_at_the_tariff_to_the_cent(tariff, minutes, cents):
    assert price_of(tariff, minutes) == cents


def test_a_session_is_split_between_voucher_and_family_and_moves_money(voucher_request, pietro):
    voucher = voucher_request.voucher
    session = do_log_session(voucher_request, actor=pietro, data=at((15, 0), (17, 0)))
    assert (session.minutes, session.amount_cents, session.voucher_cents, session.copayment_cents) == (
        120, 4400, 3960, 440,
    )  # fmt: skip
    assert balance(voucher) == 150_000 - 3960
    assert Account.objects.get(key=f"provider:{voucher_request.organization_id}").balance_cents == 4400
    assert session.flags == []
    assert not reconcile()


def test_when_the_voucher_runs_out_mid_session_the_split_is_exact(voucher_request, pietro):
    voucher = voucher_request.voucher
    do_spend_voucher(voucher, voucher_request.organization, 150_000 - 1000, actor=None)  # 10 € left
    session = do_log_session(voucher_request, actor=pietro, data=at((15, 0), (16, 0)))  # 22 €: 19.80 wanted
    assert (session.voucher_cents, session.copayment_cents) == (1000, 1200)
    assert session.flags == ["no_voucher_left"]
    assert balance(voucher) == 0
    after = do_log_session(voucher_request, actor=pietro, data=at((16, 0), (16, 30)))
    assert (after.voucher_cents, after.copayment_cents) == (0, 1100)  # the family pays it all now
    assert not reconcile()


def test_a_session_outside_the_voucher_validity_is_flagged_and_the_voucher_does_not_pay(voucher_request, pietro):
    from welfare.vouchers.models import Voucher

    Voucher.objects.filter(pk=voucher_request.voucher_id).update(valid_from=TODAY - dt.timedelta(days=30),
                                                                  valid_until=TODAY - dt.timedelta(days=1))  # fmt: skip
    voucher_request.refresh_from_db()
    session = do_log_session(voucher_request, actor=pietro, data=at((9, 0), (10, 0)))
    assert "beyond_validity" in session.flags
    assert (session.voucher_cents, session.copayment_cents) == (0, 2200)


def test_a_session_before_the_agreed_start_is_flagged(voucher_request, pietro):
    session = do_log_session(voucher_request, actor=pietro, data=at((9, 0), (10, 0), day=TODAY - dt.timedelta(days=2)))
    assert "before_start" in session.flags


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (at((10, 0), (9, 0)), "times_order"),
        (at((9, 0), (10, 0), day=TODAY + dt.timedelta(days=1)), "future"),
        (at((6, 0), (19, 0)), "too_long"),
    ],
)
def test_impossible_sessions_are_refused_and_nothing_moves(voucher_request, pietro, data, code):
    with pytest.raises(ValidationError) as refused:
        do_log_session(voucher_request, actor=pietro, data=data)
    assert refused.value.code == code
    assert not Session.objects.exists()
    assert balance(voucher_request.voucher) == 150_000


def test_a_correction_reverses_the_old_entry_and_keeps_it(voucher_request, pietro):
    old = do_log_session(voucher_request, actor=pietro, data=at((15, 0), (17, 0), external_id="GEST-1"))
    new = do_correct_session(old, actor=pietro, data=at((15, 0), (16, 0)), reason="Uscita anticipata")
    old.refresh_from_db()
    assert (old.status, new.corrects, new.external_id) == ("corrected", old, "GEST-1")
    assert old.transaction.reversed_by is not None
    assert balance(voucher_request.voucher) == 150_000 - 1980
    with pytest.raises(ValidationError):
        do_correct_session(old, actor=pietro, data=at((15, 0), (16, 0)), reason="Di nuovo")
    assert not reconcile()


def test_a_withdrawn_session_gives_the_money_back(voucher_request, pietro):
    session = do_log_session(voucher_request, actor=pietro, data=at((15, 0), (17, 0)))
    do_withdraw_session(session, actor=pietro, reason="Registrata per errore")
    assert balance(voucher_request.voucher) == 150_000
    assert not reconcile()


def test_the_family_confirms_or_disputes_within_the_deadline(voucher_request, pietro, alice):
    first = do_log_session(voucher_request, actor=pietro, data=at((9, 0), (10, 0)))
    second = do_log_session(voucher_request, actor=pietro, data=at((10, 0), (11, 0)))
    do_confirm_session(first, actor=alice)
    disputed = do_dispute_session(second, actor=alice, reason="Quel giorno l'educatrice non è venuta")
    assert disputed.confirmation == "disputed"
    assert not disputed.counts  # held out of statements
    with pytest.raises(ValidationError):
        do_confirm_session(second, actor=alice)
    resolved = do_resolve_dispute(disputed, actor=pietro, note="Era presente dalle 10 alle 11, firma sul registro")
    assert resolved.counts


def test_silence_counts_as_confirmation_after_the_deadline(voucher_request, pietro, alice):
    session = do_log_session(voucher_request, actor=pietro, data=at((9, 0), (10, 0)))
    assert do_confirm_silent_sessions(session.confirm_by) == 0
    assert do_confirm_silent_sessions(session.confirm_by + dt.timedelta(days=1)) == 1
    session.refresh_from_db()
    assert session.confirmation == "silent"
    from welfare.audit.models import AuditEntry

    silent = AuditEntry.objects.get(verb="session.silent")  # who changed it: nobody, by the deadline
    assert (silent.actor, silent.target_id) == (None, str(session.pk))
    Session.objects.filter(pk=session.pk).update(confirmation="pending")
    session.refresh_from_db()
    Session.objects.filter(pk=session.pk).update(confirm_by=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as late:
        do_dispute_session(Session.objects.get(pk=session.pk), actor=alice, reason="Tardi")
    assert late.value.code == "too_late"


def test_the_family_answers_on_the_request_page_and_the_neighbour_cannot(client, voucher_request, pietro, alice, bob):
    session = do_log_session(voucher_request, actor=pietro, data=at((9, 0), (10, 0)))
    client.force_login(bob)
    url = reverse("delivery:citizen_session_action", args=[session.pk, "conferma"])
    assert client.post(url).status_code == 404
    client.force_login(alice)
    page = client.get(reverse("care:citizen_request", args=[voucher_request.pk]))
    assert "Compiti di matematica" in page.text
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.confirmation == "confirmed"


def test_provider_pages_log_and_another_provider_is_refused(client, voucher_request, pietro, rita):
    url = reverse("delivery:provider_sessions", args=[voucher_request.pk])
    data = {"day": TODAY.isoformat(), "starts_at": "15:00", "ends_at": "16:30", "operator": "Marta",
            "activity": "Lettura", "place": "Casa"}  # fmt: skip
    client.force_login(rita)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(pietro)
    assert client.post(url, data | {"ends_at": "14:00"}).status_code == 200  # explained on the form
    assert client.post(url, data).status_code == 302
    session = Session.objects.get()
    assert (session.minutes, session.amount_cents) == (90, 3300)
    client.force_login(rita)
    correct = reverse("delivery:session_correct", args=[session.pk])
    assert client.get(correct).status_code == 404


def test_the_family_timeline_says_how_many_sessions_wait_for_an_answer(client, voucher_request, pietro, alice):
    do_log_session(voucher_request, actor=pietro, data=at((9, 0), (10, 0)))
    do_log_session(voucher_request, actor=pietro, data=at((10, 0), (11, 0)))
    client.force_login(alice)
    assert "2 prestazioni da controllare" in client.get(reverse("portal:timeline")).text


def test_the_sessions_page_lists_in_a_fixed_number_of_queries(client, voucher_request, pietro,
                                                              django_assert_max_num_queries):  # fmt: skip
    for hour in range(8, 16):
        do_log_session(voucher_request, actor=pietro, data=at((hour, 0), (hour, 45)))
    client.force_login(pietro)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("delivery:provider_sessions", args=[voucher_request.pk]))
    assert response.text.count("Compiti di matematica") == 0  # activities are not listed to keep the table short
    assert response.text.count("16,50 €") == 8


def test_a_refund_after_the_voucher_was_cancelled_goes_back_to_the_budget(voucher_request, pietro, diana):
    """Cancel a voucher (its remainder goes back to the budget), then withdraw a session it paid: the voucher's
    share goes to the budget too, in the same transaction, instead of stranding on the cancelled voucher."""
    from welfare.ledger.chart import budget_account
    from welfare.vouchers.actions import do_cancel_voucher

    voucher = voucher_request.voucher
    budget = budget_account(voucher.programme, voucher.municipality)
    session = do_log_session(voucher_request, actor=pietro, data=at((15, 0), (17, 0)))  # voucher 39.60, family 4.40
    do_cancel_voucher(voucher, actor=diana, reason="Trasferimento in altro comune")
    after_cancel = Account.objects.get(pk=budget.pk).balance_cents
    do_withdraw_session(session, actor=pietro, reason="Registrata per errore")
    assert balance(voucher) == 0
    assert Account.objects.get(pk=budget.pk).balance_cents == after_cancel + 3960
    assert Account.objects.get(key=f"provider:{voucher_request.organization_id}").balance_cents == 0
    assert not reconcile()


def test_reconciliation_flags_money_left_on_an_ended_voucher(voucher_request, pietro, diana):
    from welfare.ledger.actions import do_reverse
    from welfare.vouchers.actions import do_cancel_voucher

    session = do_log_session(voucher_request, actor=pietro, data=at((15, 0), (17, 0)))
    do_cancel_voucher(voucher_request.voucher, actor=diana, reason="Rinuncia")
    do_reverse(session.transaction, actor=pietro, reason="A refund straight to the voucher, as before the fix")
    (mismatch,) = reconcile()
    assert (mismatch.what, mismatch.key, mismatch.found_cents) == (
        "ended voucher",
        f"voucher:{voucher_request.voucher.pk}",
        3960,
    )
