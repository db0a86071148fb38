"""Emails leave through django.tasks: queued in the database, sent by the db_worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from welfare.lib.mail import send_after_commit


def test_nothing_is_queued_before_the_transaction_commits(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    context = {"login_url": "http://x/l", "reset_url": "http://x/r", "social_points_url": "http://x/s"}

    with transaction.atomic():
        send_after_commit("accounts/email/signup_not_completed", "someone@example.org", context, "en")
        assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)  # real commits: the worker opens and closes its own connections
def test_the_worker_sends_a_queued_email(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    context = {"login_url": "http://x/l", "reset_url": "http://x/r", "social_points_url": "http://x/s"}

    with transaction.atomic():
        send_after_commit("accounts/email/signup_not_completed", "someone@example.org", context, "en")
    assert DBTaskResult.objects.count() == 1
    assert not mail.outbox

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("Your registration could not be completed")
    assert "http://x/s" in mail.outbox[0].body


def test_the_same_email_in_italian(db, django_capture_on_commit_callbacks):
    context = {"login_url": "http://x/l", "reset_url": "http://x/r", "social_points_url": "http://x/s"}
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit("accounts/email/signup_not_completed", "someone@example.org", context, "it")
    assert mail.outbox[0].subject.endswith("Non è stato possibile completare la registrazione")
