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


def test_behind_one_proxy_a_lockout_is_per_account_and_real_client(client, alice, settings):
    """Every request reaches the portal from the proxy (127.0.0.1); the client is the address the proxy appended
    to X-Forwarded-For. An attacker locks only themself out of alice's account, not alice, and a forged header
    changes nothing."""
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    for forged in ("203.0.113.50", "10.0.0.1", "alice"):  # whatever the client writes on the left is ignored
        client.post(reverse("account_login"), {"login": alice.email, "password": "wrong"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.9")  # fmt: skip
    locked = client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD}, **attacker)
    assert locked.status_code == 429
    from django.test import Client

    alice_at_home = Client().post(reverse("account_login"), {"login": alice.email, "password": PASSWORD},
                                  REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")  # fmt: skip
    assert alice_at_home.status_code == 302


def test_the_client_address_is_read_through_the_configured_proxies(rf, settings):
    from welfare.lib.client_address import client_address

    def seen(xff, proxies):
        settings.PROXY_COUNT = proxies
        meta = {"REMOTE_ADDR": "127.0.0.1"} | ({"HTTP_X_FORWARDED_FOR": xff} if xff else {})
        return client_address(rf.get("/", **meta))

    assert seen("198.51.100.9", 0) == "127.0.0.1"  # no proxy configured: the header is not trusted
    assert seen("198.51.100.9", 1) == "198.51.100.9"
    assert seen("1.2.3.4, 198.51.100.9", 1) == "198.51.100.9"
    assert seen("1.2.3.4, 198.51.100.9, 10.0.0.2", 2) == "198.51.100.9"  # a balancer, then nginx
    assert seen("", 1) == "127.0.0.1"
    assert seen("not-an-address", 1) == "127.0.0.1"
