"""Staff use a second factor before any staff page; their sessions end when idle or long; decrypting notes and
approving or cancelling asks for a recent confirmation. Residents are not asked for a second factor."""

import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, plain_force_login
from welfare.accounts.second_factor import SEEN, SINCE

CONSOLE = "/area-riservata/social-point/"


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_staff_member_without_totp_is_sent_to_set_it_up(client, olga):
    plain_force_login(client, olga)
    response = client.get(CONSOLE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert client.get("/area-riservata/").status_code == 302  # their own area too: the account holds a role


def test_a_resident_is_not_asked_for_a_second_factor(client, alice):
    plain_force_login(client, alice)
    assert client.get("/area-riservata/").status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth tells of the new authenticator on commit, as in production
def test_setting_up_totp_opens_the_staff_pages(client, olga):
    response = client.post(reverse("account_login"), {"login": olga.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(CONSOLE).url.startswith(reverse("mfa_activate_totp"))
    # allauth asks to confirm the password before adding an authenticator
    assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post(reverse("mfa_activate_totp"), {"code": "000000"}).status_code == 200  # wrong code
    assert client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)}).status_code == 302
    assert Authenticator.objects.filter(user=olga, type="totp").exists()
    assert Authenticator.objects.filter(user=olga, type="recovery_codes").exists()
    assert client.get(CONSOLE).status_code == 200


def test_the_next_login_asks_for_the_code(client, olga):
    client.post(reverse("account_login"), {"login": olga.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": olga.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    assert client.get(CONSOLE).status_code == 302  # not logged in until the code
    client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert client.get(CONSOLE).status_code == 200


def test_a_session_without_the_second_factor_is_asked_to_confirm_it(client, olga):
    Authenticator.objects.create(user=olga, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    plain_force_login(client, olga)
    response = client.get(CONSOLE)
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    api = client.get("/api/v1/me/requests")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"


def test_staff_sessions_end_when_idle_and_after_ten_hours(client, olga, settings):
    client.force_login(olga)
    assert client.get(CONSOLE).status_code == 200
    session = client.session
    session[SEEN] = time.time() - settings.STAFF_IDLE_SECONDS - 1
    session.save()
    response = client.get(CONSOLE)
    assert response.url == f"{reverse('account_login')}?next=%2Farea-riservata%2Fsocial-point%2F"
    assert client.get(CONSOLE).status_code == 302  # logged out
    client.force_login(olga)
    client.get(CONSOLE)
    session = client.session
    session[SINCE] = time.time() - settings.STAFF_SESSION_SECONDS - 1
    session.save()
    assert client.get(CONSOLE).url.startswith(reverse("account_login"))


def test_a_residents_session_is_not_cut(client, alice):
    client.force_login(alice)
    client.get("/area-riservata/")
    session = client.session
    session[SEEN] = session[SINCE] = time.time() - 86400
    session.save()
    assert client.get("/area-riservata/").status_code == 200


def test_decrypting_interview_notes_needs_a_recent_confirmation(client, olga, bob, settings):
    from welfare.assistance.actions import do_record_interview
    from welfare.territory.models import SocialPoint

    interview = do_record_interview(
        actor=olga, social_point=SocialPoint.objects.get(slug="tradate-centro"), resident=bob.citizen_profile,
        held_on=timezone.localdate(), need_areas=["elderly"], notes="Vive solo", services=[], follow_up_on=None,
        outcome="open", consent_given=True,
    )  # fmt: skip
    client.force_login(olga)
    url = reverse("assistance:interview", args=[interview.pk])
    assert client.get(url).status_code == 200
    session = client.session
    long_ago = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 1
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": long_ago},
                                                   {"method": "mfa", "at": long_ago, "type": "totp"}]  # fmt: skip
    session.save()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(url).status_code == 200
