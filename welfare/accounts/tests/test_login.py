from django.urls import reverse

from conftest import PASSWORD
from welfare.audit.models import AuditEntry


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password}, HTTP_ACCEPT_LANGUAGE="it")


def test_it_logs_in_with_email_and_lands_in_my_area(client, alice):
    response = login(client, "ALICE@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("accounts:home")


def test_a_wrong_password_says_so_without_saying_whether_the_email_exists(client, alice):
    wrong_password = login(client, alice.email, "wrong-password").context["form"].errors
    unknown_email = login(client, "nobody@example.org", "wrong-password").context["form"].errors
    assert wrong_password == unknown_email


def test_too_many_failures_lock_the_account_with_an_italian_message(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, alice.email, "wrong-password")

    response = login(client, alice.email, PASSWORD)  # even the right password is refused now

    assert response.status_code == 429
    assert "Troppi tentativi" in response.text
    assert "bloccato per un'ora" in response.text
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_email_only(client, alice, bob, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        login(client, alice.email, "wrong-password")
    assert login(client, bob.email, PASSWORD).status_code == 302


def test_changing_the_password_is_recorded(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "another-long-password-7", "password2": "another-long-password-7"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(verb="user.password_set", actor=alice).exists()


def test_failed_logins_leave_no_email_in_the_logs(client, alice, settings, caplog):
    settings.AXES_FAILURE_LIMIT = 2
    with caplog.at_level("DEBUG"):
        for _ in range(3):
            login(client, alice.email, "wrong-password")
    assert caplog.records  # something was logged (the 429)…
    assert alice.email not in caplog.text  # …but not who
