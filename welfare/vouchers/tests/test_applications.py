"""The family applies (or someone for them), the social worker of their municipality assesses."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import DOCUMENT, make_application
from welfare.audit.models import AuditEntry
from welfare.lib.encryption import decrypt
from welfare.vouchers.models import Application


def test_a_family_keeps_a_draft_then_sends_it_when_complete(client, alice, programme):
    client.force_login(alice)
    response = client.post(reverse("vouchers:apply", args=[programme.slug]), {
        "beneficiary": "self", "isee": "8500.00", "dsu_protocol": "inps-isee-2026-12345678a-00",
    })  # fmt: skip
    application = Application.objects.get(applicant=alice)
    assert response.status_code == 302
    assert (application.status, application.isee_cents, application.dsu_protocol) == (
        "draft", 850_000, "INPS-ISEE-2026-12345678A-00",
    )  # fmt: skip
    url = reverse("vouchers:application", args=[application.pk])
    page = client.post(url, {"isee": "8500.00", "dsu_protocol": "INPS-ISEE-2026-12345678A-00", "send": "1"})
    assert page.status_code == 200
    assert "la data di scadenza" in page.text
    assert "Attestazione ISEE" in page.text
    application.refresh_from_db()
    assert application.status == "draft"  # nothing half-sent

    upload = SimpleUploadedFile("isee.pdf", DOCUMENT, content_type="application/pdf")
    client.post(reverse("vouchers:application_document_add", args=[application.pk]),
                {"label": "Attestazione ISEE", "document": upload})  # fmt: skip
    expires = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    response = client.post(url, {"isee": "8500.00", "dsu_protocol": "INPS-ISEE-2026-12345678A-00",
                                 "dsu_expires_on": expires, "send": "1"})  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submitted_at is not None
    assert client.post(url, {"isee": "1.00", "save": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.isee_cents == 850_000  # a sent application is not changed any more


def test_a_wrong_dsu_protocol_is_explained_where_it_is_typed(client, alice, programme):
    client.force_login(alice)
    response = client.post(
        reverse("vouchers:apply", args=[programme.slug]), {"beneficiary": "self", "dsu_protocol": "123"}
    )
    assert response.status_code == 200
    assert "ricevuta INPS" in response.text
    assert not Application.objects.exists()


def test_one_live_application_per_person_and_programme(alice, programme):
    make_application(alice, programme, isee_cents=500_000)
    with pytest.raises(ValidationError) as refused:
        make_application(alice, programme, isee_cents=500_000)
    assert refused.value.code == "duplicate"


def test_a_delegate_with_the_vouchers_scope_applies_for_the_citizen(client, alice, bob, child, programme):
    from welfare.accounts.access import ACTING_SESSION_KEY
    from welfare.accounts.actions import do_grant_delegation

    do_grant_delegation(alice.citizen_profile, actor=alice, delegate_user=bob, beneficiaries=[child], covers_self=False,
                        may_request=True, may_manage_vouchers=True, starts_on=dt.date.today(),
                        ends_on=dt.date.today() + dt.timedelta(days=30))  # fmt: skip
    client.force_login(bob)
    session = client.session
    session[ACTING_SESSION_KEY] = alice.pk
    session.save()
    response = client.post(reverse("vouchers:apply", args=[programme.slug]),
                           {"beneficiary": str(child.pk), "isee": "9000"})  # fmt: skip
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.applicant, application.beneficiary_member) == (alice, child)
    entry = AuditEntry.objects.get(verb="voucher_application.saved")
    assert (entry.actor, entry.on_behalf_of) == (bob, alice)


def test_a_delegate_without_the_vouchers_scope_is_refused(client, alice, bob, programme):
    from welfare.accounts.access import ACTING_SESSION_KEY
    from welfare.accounts.actions import do_grant_delegation

    do_grant_delegation(alice.citizen_profile, actor=alice, delegate_user=bob, beneficiaries=[], covers_self=True,
                        may_request=True, may_manage_vouchers=False, starts_on=dt.date.today(),
                        ends_on=dt.date.today() + dt.timedelta(days=30))  # fmt: skip
    client.force_login(bob)
    session = client.session
    session[ACTING_SESSION_KEY] = alice.pk
    session.save()
    assert client.get(reverse("vouchers:apply", args=[programme.slug])).status_code == 403
    assert client.get(reverse("vouchers:mine")).status_code == 403


def test_the_social_worker_of_the_municipality_assesses(
    client, alice, sofia, programme, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(alice, programme, isee_cents=1_500_000)
    client.force_login(sofia)
    queue = client.get(reverse("vouchers:assessment_queue"))
    assert application.protocol in queue.text
    url = reverse("vouchers:assessment", args=[application.pk])
    response = client.post(url, {"decision": "approve", "need_score": "", "notes": "Madre sola"})
    assert "Indica un punteggio di bisogno da 0 a 100." in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "need_score": "70", "notes": "Madre sola, due figli"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.need_score, application.copay_percent, application.voucher_value_cents) == (
        "approved", 70, 30, 100_000,
    )  # fmt: skip
    assert decrypt(application.assessment_notes_encrypted) == "Madre sola, due figli"
    assert "Madre sola" not in application.assessment_notes_encrypted
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert "Madre sola" not in mailoutbox[0].body  # email carries a link, never the notes


def test_asking_for_information_reopens_the_application_to_the_family(client, alice, sofia, programme):
    application = make_application(alice, programme, isee_cents=1_500_000)
    client.force_login(sofia)
    client.post(reverse("vouchers:assessment", args=[application.pk]),
                {"decision": "ask_info", "reason": "Manca il certificato di invalidità"})  # fmt: skip
    application.refresh_from_db()
    assert application.status == "info_requested"
    assert application.is_editable
    client.force_login(alice)
    page = client.get(reverse("vouchers:application", args=[application.pk]))
    assert "Manca il certificato di invalidità" in page.text
    first_sent = application.submitted_at
    client.post(reverse("vouchers:application", args=[application.pk]), {
        "isee": "15000", "dsu_protocol": application.dsu_protocol,
        "dsu_expires_on": application.dsu_expires_on.isoformat(), "send": "1",
    })  # fmt: skip
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submitted_at == first_sent  # the ranking keeps the first sending time


def test_the_social_worker_of_another_municipality_is_refused(client, alice, vittorio, programme):
    application = make_application(alice, programme, isee_cents=500_000)
    client.force_login(vittorio)
    assert application.protocol not in client.get(reverse("vouchers:assessment_queue")).text
    assert client.get(reverse("vouchers:assessment", args=[application.pk])).status_code == 404
    response = client.post(reverse("vouchers:assessment", args=[application.pk]), {"decision": "reject", "reason": "x"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"
    document = application.documents.get()
    assert client.get(reverse("vouchers:application_document", args=[document.pk])).status_code == 404


def test_drafts_stay_private_to_the_family(client, alice, sofia, programme):
    application = make_application(alice, programme, isee_cents=500_000, submit=False)
    client.force_login(sofia)
    assert client.get(reverse("vouchers:assessment", args=[application.pk])).status_code == 404


def test_the_queue_lists_in_a_fixed_number_of_queries(client, sofia, programme, django_assert_max_num_queries):
    from conftest import TRADATE, make_citizen

    for i in range(6):
        citizen = make_citizen(f"q{i}@example.org", "Quinto", f"Utente{chr(65 + i)}", dt.date(1970, 1, 1 + i), TRADATE)
        make_application(citizen, programme, isee_cents=500_000 + i)
    client.force_login(sofia)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("vouchers:assessment_queue"))
    assert response.text.count("<code>") == 6


def test_the_queue_counts_what_waits_in_each_tab_from_the_index(client, alice, bob, sofia, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from welfare.vouchers.access import applications_for_social_worker
    from welfare.vouchers.queries import waiting_counts
    from welfare.vouchers.views import ACTIONABLE

    make_application(alice, programme, isee_cents=500_000)
    make_application(bob, programme, isee_cents=700_000, submit=False)  # a draft is nobody's work yet
    with CaptureQueriesContext(connection) as captured:
        assert waiting_counts(applications_for_social_worker(sofia), ACTIONABLE) == {"submitted": 1}
    counting = captured.captured_queries[-1]["sql"]  # read now: a request through the client empties the log
    client.force_login(sofia)
    assert client.get(reverse("vouchers:assessment_queue")).context["counts"] == {"submitted": 1}
    if connection.vendor == "sqlite":  # PostgreSQL chooses its plan by the table's size
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + counting)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "COVERING INDEX" in plan  # counted from the index, without reading the applications
