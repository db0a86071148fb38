"""A staff member's first login, in a browser: the password, a confirmation, the authenticator app set up with its
code, the recovery codes, then the console; every page accessible and in Italian."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_login_of_an_operator_sets_up_the_second_factor(web, olga):
    page = web.page
    web.goto("/area-riservata/social-point/")
    page.get_by_label(re.compile("^Email")).fill(olga.email)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    # allauth asks to confirm the password before adding an authenticator
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Conferma"))
    web.check_accessibility()
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Conferma").click()
    expect(page).to_have_url(re.compile("/account/2fa/totp/activate/"))
    web.check_accessibility()
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Attiva").click()
    expect(page).to_have_url(re.compile("/account/2fa/recovery-codes/"))
    web.check_accessibility()
    web.goto("/area-riservata/social-point/")
    expect(page.get_by_role("heading", name="Console del Social Point")).to_be_visible()
