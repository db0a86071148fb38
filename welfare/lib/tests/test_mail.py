from django.test import RequestFactory

from welfare.lib.mail import absolute_url


def test_links_follow_the_demos_own_address_and_production_uses_portal_url(settings):
    """Issue 17, defect 10: the voucher PDF linked to port 8000 whatever port the demo ran on."""
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8781")
    settings.PORTAL_URL = "https://welfare.example.org/"
    settings.DEBUG = True
    assert absolute_url("/voucher/verifica/", request) == "http://127.0.0.1:8781/voucher/verifica/"
    assert absolute_url("/voucher/verifica/") == "https://welfare.example.org/voucher/verifica/"
    settings.DEBUG = False  # production never trusts the Host header for a link it prints
    assert absolute_url("/voucher/verifica/", request) == "https://welfare.example.org/voucher/verifica/"
