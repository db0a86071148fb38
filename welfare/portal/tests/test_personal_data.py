"""The resident's copy of their data (GDPR art. 15): every model is either exported or said not to be about
residents; the copy holds every kind of record, with staff by their role; only its owner downloads it, for seven
days."""

import datetime as dt
import io
import json
import zipfile

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from welfare.portal.models import PersonalDataExport
from welfare.portal.personal_data import EXPORTED, NOT_ABOUT_RESIDENTS, collect
from welfare.portal.tests.test_permission_matrix import build_world


def test_every_model_is_exported_or_said_not_to_be_about_residents():
    ours = {model for model in apps.get_models() if model.__module__.startswith("welfare.")}
    assert not set(EXPORTED) & set(NOT_ABOUT_RESIDENTS)
    missing = sorted(model._meta.label for model in ours - set(EXPORTED) - set(NOT_ABOUT_RESIDENTS))
    assert not missing, f"Say how these are exported (or why they are not about residents): {missing}"


def test_the_copy_holds_every_kind_of_record_with_staff_by_role(request, catalogue, programme, accredited, child,
                                                                 settings, tmp_path):  # fmt: skip
    settings.VAR_DIR = tmp_path
    users, _objects = build_world(request, catalogue, programme, accredited)
    alice, bob = users["alice"], users["bob"]
    records = collect(alice)["records"]
    for label in ("accounts.User", "accounts.CitizenProfile", "accounts.HouseholdMember", "care.ServiceRequest",
                  "care.RequestEvent", "care.Attachment", "care.Complaint", "catalogue.Review",
                  "vouchers.Application", "vouchers.Voucher", "ledger.Entry", "employers.Employee",
                  "employers.Wallet", "employers.Claim", "outreach.CampaignEntry", "audit.AuditEntry"):  # fmt: skip
        assert records[label], label
    text = json.dumps(records, ensure_ascii=False, default=str)
    for staff in ("sofia", "diana", "olga", "pietro", "enzo"):
        person = users[staff]
        assert person.last_name not in text, staff
        assert person.email not in text, staff
    assert "Assistente sociale comunale" in text or "Municipal social worker" in text
    assert all("password" not in row for row in records["accounts.User"])
    bob_records = collect(bob)["records"]
    assert bob_records["assistance.Interview"]
    assert "notes" in bob_records["assistance.Interview"][0]
    assert bob_records["family_assistants.Need"]
    assert bob_records["assistance.Interview"][0]["operator"] != users["olga"].get_full_name()


def test_ask_wait_download_within_seven_days(client, alice, bob, settings, tmp_path,
                                            django_capture_on_commit_callbacks, mailoutbox):  # fmt: skip
    settings.VAR_DIR = tmp_path
    client.force_login(alice)
    url = reverse("portal:my_data")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    export = PersonalDataExport.objects.get(user=alice)
    assert export.ready_at is not None
    assert mailoutbox[-1].to == [alice.email]
    page = client.get(url).content.decode()
    download = reverse("portal:my_data_download", args=[export.pk])
    assert download in page
    response = client.get(download)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["dati.json", "dati.pdf"]
    assert json.loads(archive.read("dati.json"))["records"]["accounts.CitizenProfile"][0]["codice_fiscale"]
    assert archive.read("dati.pdf").startswith(b"%PDF")
    client.force_login(bob)
    assert client.get(download).status_code == 404
    client.force_login(alice)
    PersonalDataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(download).status_code == 404
    client.get(url)
    assert not PersonalDataExport.objects.filter(pk=export.pk).exists()


def test_one_copy_at_a_time(client, alice):
    client.force_login(alice)
    client.post(reverse("portal:my_data"))  # not built: its task waits for the commit
    response = client.post(reverse("portal:my_data"), follow=True)
    assert "in preparazione" in response.content.decode() or "being prepared" in response.content.decode()
    assert PersonalDataExport.objects.filter(user=alice).count() == 1
