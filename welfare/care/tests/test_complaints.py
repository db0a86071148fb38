"""Complaints: a protocol code, 30 days to answer, a reminder five days before, the planning office told when the
deadline passes, the answer to the complainant by their channel; anyone may complain about a municipal service."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from welfare.accounts.models import Notice
from welfare.care.complaints import do_answer_complaint, do_file_complaint, do_follow_complaints, text_of
from welfare.care.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_complaint_is_reminded_escalated_and_answered(
    catalogue, alice, pietro, rita, diana, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = do_file_complaint(actor=alice, organization=catalogue.educativa.organization,
                                      service=catalogue.educativa, text="Nessuno è venuto martedì")  # fmt: skip
    assert complaint.protocol.startswith(f"RCL-{timezone.localdate().year}-")
    assert complaint.deadline == timezone.localdate() + dt.timedelta(days=30)
    assert "martedì" not in complaint.text_encrypted
    assert text_of(complaint) == "Nessuno è venuto martedì"
    assert [m.to for m in mailoutbox] == [["pietro@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert do_follow_complaints(timezone.localdate() + dt.timedelta(days=24)) == (0, 0)
        assert do_follow_complaints(timezone.localdate() + dt.timedelta(days=25)) == (1, 0)  # five days before
        assert do_follow_complaints(timezone.localdate() + dt.timedelta(days=31)) == (0, 1)  # missed
        assert do_follow_complaints(timezone.localdate() + dt.timedelta(days=32)) == (0, 0)  # each once
    assert mailoutbox[-1].to == ["diana@example.org"]
    with pytest.raises(PermissionDenied):
        do_answer_complaint(complaint, actor=rita, answer="Non siamo noi")
    with django_capture_on_commit_callbacks(execute=True):
        do_answer_complaint(complaint, actor=pietro, answer="Ci scusiamo: l'operatrice era malata.")
    assert mailoutbox[-1].to == ["alice@example.org"]
    assert "malata" not in mailoutbox[-1].body  # the email carries a link, not the answer
    with pytest.raises(ValidationError):
        do_answer_complaint(complaint, actor=pietro, answer="Di nuovo")


def test_a_resident_who_prefers_letters_gets_the_answer_itself(catalogue, alice, pietro):
    alice.citizen_profile.contact_channel, alice.citizen_profile.postal_address = "letter", "Via Roma 1"
    alice.citizen_profile.save()
    complaint = do_file_complaint(actor=alice, organization=catalogue.educativa.organization, text="Ritardi")
    do_answer_complaint(complaint, actor=pietro, answer="Abbiamo cambiato l'orario.")
    notice = Notice.objects.get(template="care/email/complaint_answered")
    assert notice.context["answer"] == "Abbiamo cambiato l'orario."


def test_anyone_may_complain_about_a_municipal_service_but_not_a_cooperatives(client, catalogue):
    url = reverse("care:complaint_new")
    body = {"text": "Lo sportello era chiuso in orario di apertura", "contact_name": "Luigi",
            "contact_email": "luigi@example.org"}  # fmt: skip
    refused = client.post(url, body | {"organization": catalogue.educativa.organization_id})
    assert refused.status_code == 400  # not a choice for someone without an account
    assert client.post(url, body | {"organization": catalogue.municipal.pk}).status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.complainant, complaint.contact_email) == (None, "luigi@example.org")
    with pytest.raises(PermissionDenied):
        do_file_complaint(actor=None, organization=catalogue.educativa.organization, text="x", contact_name="A",
                          contact_email="a@example.org")  # fmt: skip


def test_the_provider_answers_on_its_page_and_the_complainant_reads_it(client, catalogue, alice, pietro):
    complaint = do_file_complaint(actor=alice, organization=catalogue.educativa.organization, text="Ritardi")
    client.force_login(pietro)
    page = client.get(reverse("care:provider_complaint", args=[complaint.pk]))
    assert "Ritardi" in page.text
    client.post(reverse("care:provider_complaint", args=[complaint.pk]), {"answer": "Ci scusiamo"})
    client.force_login(alice)
    assert "Ci scusiamo" in client.get(reverse("care:my_complaints")).text
