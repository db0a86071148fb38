"""Each shipped signal: the situation is created, the task is found, routed to the right role and place; changing
the rule (not the code) changes the outcome."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import TRADATE, make_application
from welfare.care.actions import do_propose, do_submit_request
from welfare.care.models import ServiceRequest
from welfare.outreach.actions import do_evaluate_signals, do_install_default_rules, do_save_rule
from welfare.outreach.models import Assignee, SignalRule, Situation, Task
from welfare.outreach.signals import ALLOWED_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(district):
    do_install_default_rules()
    return {rule.situation: rule for rule in SignalRule.objects.all()}


def tasks(situation):
    return list(Task.objects.filter(rule__situation=situation).select_related("social_point", "municipality"))


def test_a_proposal_for_a_resident_without_email_is_a_call_for_the_social_point_within_the_hour(
    rules, catalogue, alice, pietro, diana
):
    alice.citizen_profile.contact_channel = "phone"
    alice.citizen_profile.save()
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    do_propose(request, actor=pietro, start=timezone.localdate(), schedule="Lun", operator="Marta", price_cents=2200,
               funding="family")  # fmt: skip
    before = timezone.now()
    assert do_evaluate_signals() == 1
    (task,) = tasks(Situation.PROPOSAL_UNREACHED)
    assert (task.assignee, task.social_point.slug, task.resident.user) == ("social_point", "tradate-centro", alice)
    assert task.due_at <= before + dt.timedelta(hours=1, minutes=1)
    assert do_evaluate_signals() == 0  # one task per case
    # The rule, not the code: switched off, the next such proposal makes no task.
    do_save_rule(rules[Situation.PROPOSAL_UNREACHED], actor=diana, active=False)
    ServiceRequest.objects.filter(pk=request.pk).update(state="submitted")
    Task.objects.all().delete()
    do_propose(request, actor=pietro, start=timezone.localdate(), schedule="Lun", operator="Marta", price_cents=2200,
               funding="family")  # fmt: skip
    assert do_evaluate_signals() == 0


def test_a_resident_reached_by_email_makes_no_call_task(rules, catalogue, alice, pietro):
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    do_propose(request, actor=pietro, start=timezone.localdate(), schedule="Lun", operator="Marta", price_cents=2200,
               funding="family")  # fmt: skip
    assert do_evaluate_signals() == 0


def test_an_isee_lapsing_within_the_rules_days_goes_to_the_municipalitys_social_worker(rules, programme, alice, diana):
    application = make_application(alice, programme, isee_cents=900_000)
    type(application).objects.filter(pk=application.pk).update(dsu_expires_on=timezone.localdate() + dt.timedelta(20))
    do_save_rule(rules[Situation.ISEE_EXPIRING], actor=diana, days=10)
    assert do_evaluate_signals() == 0  # 20 days away: not yet, by the rule
    do_save_rule(rules[Situation.ISEE_EXPIRING], actor=diana, days=30)
    assert do_evaluate_signals() == 1
    (task,) = tasks(Situation.ISEE_EXPIRING)
    assert (task.assignee, task.municipality.istat_code, task.social_point) == ("social_worker", TRADATE, None)


def test_a_voucher_running_low_tells_the_family_and_the_social_point_that_follows_them(
    rules, voucher_request, diana, alice, mailoutbox, django_capture_on_commit_callbacks
):
    from welfare.accounts.actions import do_grant_delegation
    from welfare.territory.models import SocialPoint

    assert do_evaluate_signals() == 0  # 1.500 € left of 1.500 €, valid for months
    do_save_rule(rules[Situation.VOUCHER_RUNNING_OUT], actor=diana, percent=101)  # "below 101%": every voucher
    with django_capture_on_commit_callbacks(execute=True):
        assert do_evaluate_signals() == 1
    (told,) = [m for m in mailoutbox if m.to == ["alice@example.org"]]
    assert "Il voucher sta finendo" in told.body
    (task,) = tasks(Situation.VOUCHER_RUNNING_OUT)
    assert (task.assignee, task.outcome) == ("family", "reached")  # a record that she was told, nobody's work
    # Followed by her Social Point: the next such case is also a task for it.
    do_grant_delegation(alice.citizen_profile, actor=alice, delegate_social_point=SocialPoint.objects.get(
        slug="tradate-centro"), may_request=True, may_manage_vouchers=True, covers_self=True, beneficiaries=[],
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=30))  # fmt: skip
    Task.objects.all().delete()
    assert do_evaluate_signals() == 1
    (task,) = tasks(Situation.VOUCHER_RUNNING_OUT)
    assert (task.assignee, task.social_point.slug, task.outcome) == ("social_point", "tradate-centro", "open")


def test_a_service_with_no_session_for_the_rules_days_goes_to_the_social_worker(rules, voucher_request, diana):
    assert do_evaluate_signals() == 0  # started today
    ServiceRequest.objects.filter(pk=voucher_request.pk).update(created_at=timezone.now() - dt.timedelta(days=20))
    assert do_evaluate_signals() == 1
    (task,) = tasks(Situation.SERVICE_SILENT)
    assert (task.assignee, task.municipality.istat_code) == ("social_worker", TRADATE)


def test_an_urgent_finder_answer_in_an_interview_is_a_follow_up_due_today(rules, district, olga, bob):
    from welfare.assistance.actions import do_record_interview, do_save_finder_answers
    from welfare.territory.models import SocialPoint

    interview = do_record_interview(
        actor=olga, social_point=SocialPoint.objects.get(slug="tradate-centro"), resident=bob.citizen_profile,
        held_on=timezone.localdate(), need_areas=["elderly"], notes="", services=[], follow_up_on=None,
        outcome="open", consent_given=True,
    )  # fmt: skip
    do_save_finder_answers(interview, actor=olga, answers={"urgency": "soon"})
    assert do_evaluate_signals() == 0
    do_save_finder_answers(interview, actor=olga, answers={"urgency": "now"})
    assert do_evaluate_signals() == 1
    (task,) = tasks(Situation.URGENT_ANSWER)
    assert task.social_point.slug == "tradate-centro"  # the interview's Social Point, though bob lives in Vedano
    assert timezone.localtime(task.due_at).date() == timezone.localdate()


def test_a_request_waiting_a_month_in_a_full_service_reaches_the_planning_office(rules, catalogue, alice):
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    type(catalogue.educativa).objects.filter(pk=catalogue.educativa.pk).update(free_places=0)
    assert do_evaluate_signals() == 0
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert do_evaluate_signals() == 1
    (task,) = tasks(Situation.LONG_WAIT)
    assert task.assignee == Assignee.PLANNING_OFFICE


def test_no_situation_reads_a_health_or_support_note():
    """The signals' module names fields from the allow-list only: no `notes`, `support`, `disability`."""
    source = (Path(__file__).parents[1] / "signals.py").read_text()
    names = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " not in node.value
    }  # field names, not the docstrings
    forbidden = [name for name in names if any(word in name for word in ("notes", "support", "disab", "health"))]
    assert forbidden == []
    assert all("notes" not in field for fields in ALLOWED_FIELDS.values() for field in fields)
