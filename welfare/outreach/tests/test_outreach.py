"""The work list, the sentinels' reports, call-me wishes, campaign lists and the heat-wave switch, through the
actions and through HTTP."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, make_citizen
from welfare.audit.models import AuditEntry
from welfare.outreach.actions import (
    do_call_me,
    do_create_campaign,
    do_declare_heat_alert,
    do_purge_expired_lists,
    do_work_task,
    notes_of,
)
from welfare.outreach.models import Campaign, CampaignEntry, Task
from welfare.territory.models import Municipality

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def campaign_csv(*people) -> str:
    return "codice_fiscale\n" + "".join(f"{p.citizen_profile.codice_fiscale}\n" for p in people)


def make_campaign(diana, *people, **changes):
    fields = {"actor": diana, "name": "Piano caldo", "source": "ATS Insubria", "legal_basis": "art. 9.2.g GDPR",
              "valid_from": TODAY(), "expires_on": TODAY() + dt.timedelta(days=60), "message": "Telefona",
              "text": campaign_csv(*people)} | changes  # fmt: skip
    return do_create_campaign(**fields)


def test_a_neighbours_report_reaches_only_the_social_workers_of_that_municipality(client, sofia, vittorio, olga):
    page = client.post(reverse("outreach:report"), {
        "what": "Non vedo la vicina da una settimana", "person": "Signora Maria", "where": "Via Roma 3, scala B",
        "municipality": Municipality.objects.get(istat_code=TRADATE).pk, "reporter": "Luigi, 333 1234567",
    }, follow=True)  # fmt: skip
    assert "numero di ricevuta" in page.text
    assert "Via Roma 3" not in page.text  # the reporter sees the receipt, nothing about anyone
    task = Task.objects.get()
    assert (task.source, task.assignee, task.municipality.istat_code) == ("sentinel", "social_worker", TRADATE)
    assert "Via Roma" not in task.details_encrypted  # encrypted at rest
    for other in (vittorio, olga):
        client.force_login(other)
        assert client.get(reverse("outreach:task", args=[task.pk])).status_code == 404
    client.force_login(sofia)
    detail = client.get(reverse("outreach:task", args=[task.pk]))
    assert "Via Roma 3, scala B" in detail.text
    assert AuditEntry.objects.filter(verb="task.person_viewed", actor=sofia).count() == 1


def test_reports_are_rate_limited(client, district):
    body = {"what": "x", "where": "y", "municipality": Municipality.objects.get(istat_code=TRADATE).pk}
    for _ in range(5):
        client.post(reverse("outreach:report"), body)
    assert client.post(reverse("outreach:report"), body).status_code == 400
    assert Task.objects.count() == 5


def test_working_a_task_records_attempts_and_closing_asks_an_outcome(diana, olga, alice):
    campaign = make_campaign(diana, alice)
    task = campaign.tasks.get()
    assert task.social_point.slug == "tradate-centro"
    do_work_task(task, actor=olga, outcome="open", notes="Non risponde")
    task.refresh_from_db()
    assert (task.attempts, task.is_open) == (1, True)
    do_work_task(task, actor=olga, outcome="escalated", notes="Vive sola, confusa")
    task.refresh_from_db()
    assert (task.attempts, task.outcome) == (2, "escalated")
    assert "Non risponde" in notes_of(task)
    assert "confusa" not in task.notes_encrypted
    (escalated,) = Task.objects.filter(assignee="social_worker")
    assert escalated.resident == alice.citizen_profile


def test_a_campaign_list_with_a_bad_row_saves_nothing_until_fixed(client, diana, alice, bob):
    client.force_login(diana)
    bad = campaign_csv(alice, bob) + "NONVALIDO\n"
    body = {"name": "Piano caldo", "source": "ATS", "legal_basis": "art. 9.2.g GDPR", "valid_from": TODAY(),
            "expires_on": TODAY() + dt.timedelta(days=30), "message": "Telefona"}  # fmt: skip
    page = client.post(reverse("outreach:campaigns"), body | {"file": SimpleUploadedFile("l.csv", bad.encode())})
    assert page.status_code == 400
    assert "Riga 4" in page.text
    assert not Campaign.objects.exists()
    good = campaign_csv(alice, bob)
    preview = client.post(reverse("outreach:campaigns"), body | {"file": SimpleUploadedFile("l.csv", good.encode())})
    assert preview.status_code == 200
    assert not Campaign.objects.exists()
    saved = client.post(reverse("outreach:campaigns"), body | {"text": good, "conferma": "1"})
    assert saved.status_code == 302
    campaign = Campaign.objects.get()
    assert {t.social_point.slug for t in campaign.tasks.all()} == {"tradate-centro", "vedano-olona"}


def test_an_expired_list_is_deleted_with_its_tasks(diana, alice):
    campaign = make_campaign(diana, alice, expires_on=TODAY())
    assert do_purge_expired_lists(TODAY()) == 0
    assert do_purge_expired_lists(TODAY() + dt.timedelta(days=1)) == 1
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not CampaignEntry.objects.exists()
    assert not Task.objects.exists()
    assert AuditEntry.objects.filter(verb="campaign.purged").exists()


def test_a_heat_wave_calls_the_opted_in_and_listed_living_alone_and_oldest_first(diana, alice, bob, district):
    tradate = Municipality.objects.get(istat_code=TRADATE)
    old = make_citizen("nonna@example.org", "Ada", "Neri", dt.date(1935, 1, 1), TRADATE)
    alone = make_citizen("solo@example.org", "Rino", "Villa", dt.date(1950, 1, 1), TRADATE, gender="M")
    do_call_me(old.citizen_profile, actor=old, channel="phone", phone="333", lives_alone=False)
    do_call_me(alone.citizen_profile, actor=alone, channel="phone", phone="334", lives_alone=True)
    make_campaign(diana, alice)  # alice is on an active list
    _alert, made = do_declare_heat_alert(actor=diana, level=2, starts_on=TODAY(), ends_on=TODAY(),
                                         municipalities=[tradate])  # fmt: skip
    assert made == 3  # bob lives in Vedano: not in this alert
    calls = Task.objects.filter(source="heat_wave").order_by("due_at")
    assert [t.resident.user for t in calls] == [alone, old, alice]


def test_call_me_is_chosen_and_withdrawn_at_once(client, alice):
    client.force_login(alice)
    assert client.post(reverse("outreach:call_me"), {"channel": "phone", "phone": ""}).status_code == 400
    client.post(reverse("outreach:call_me"), {"channel": "phone", "phone": "0331 123456", "lives_alone": "on"})
    assert alice.citizen_profile.call_me.lives_alone
    client.post(reverse("outreach:call_me"), {"azione": "ritira"})
    alice.citizen_profile.refresh_from_db()
    assert not hasattr(alice.citizen_profile, "call_me") or not type(alice.citizen_profile).objects.filter(
        pk=alice.citizen_profile.pk, call_me__isnull=False).exists()  # fmt: skip


def test_the_work_list_shows_overdue_tasks_and_a_page_at_a_time(client, diana, olga, alice):
    make_campaign(diana, alice)
    Task.objects.update(due_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(olga)
    page = client.get(reverse("outreach:tasks"))
    assert "In ritardo" in page.text
    assert client.get(reverse("outreach:tasks"), {"pagina": 2}).status_code == 404


def test_a_campaign_from_the_portals_own_data_families_whose_voucher_ends_this_month(client, diana, voucher_request):
    from welfare.outreach.actions import vouchers_ending_this_month
    from welfare.vouchers.models import Voucher

    assert vouchers_ending_this_month() == "codice_fiscale\n"
    Voucher.objects.update(valid_until=TODAY())
    client.force_login(diana)
    body = {"name": "Voucher in scadenza", "source": "Welfare Integrato", "legal_basis": "art. 6.1.e GDPR",
            "valid_from": TODAY(), "expires_on": TODAY() + dt.timedelta(days=30), "message": "Telefona",
            "group": "vouchers_ending"}  # fmt: skip
    preview = client.post(reverse("outreach:campaigns"), body)
    assert "1 persona, nessun problema." in preview.text
    client.post(reverse("outreach:campaigns"), body | {"conferma": "1"})
    (task,) = Campaign.objects.get().tasks.all()
    assert task.resident == voucher_request.requester.citizen_profile


def test_the_purge_command_deletes_expired_lists(diana, alice):
    from django.core.management import call_command

    make_campaign(diana, alice, expires_on=TODAY())
    call_command("purge_expired_lists")  # today it is still valid
    assert Campaign.objects.count() == 1
    Campaign.objects.update(expires_on=TODAY() - dt.timedelta(days=1), valid_from=TODAY() - dt.timedelta(days=9))
    call_command("purge_expired_lists")
    assert not Campaign.objects.exists()
