"""SPID and CIE login against the local test identity provider: real signed AuthnRequests and signed answers,
checked by pysaml2 with xmlsec1 and by the SPID rules (AgID's own checks run in CI with spid-sp-test)."""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from conftest import TRADATE, make_codice_fiscale
from welfare.accounts.actions import do_register_assisted_citizen
from welfare.accounts.models import CitizenProfile, Delegation, User
from welfare.audit.models import AuditEntry
from welfare.spid import test_idp
from welfare.spid.config import LEVELS
from welfare.territory.models import Municipality

pytestmark = pytest.mark.django_db

GIULIA_CF = make_codice_fiscale("Giulia", "Neri", dt.date(1990, 5, 17), "Tradate")
MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"


@pytest.fixture(autouse=True)
def _spid(settings, tmp_path):
    settings.PORTAL_URL = "http://testserver"
    settings.SPID_ENABLED = settings.CIE_ENABLED = settings.SPID_TEST_IDP = True
    settings.SPID_IDP_METADATA = settings.CIE_IDP_METADATA = []
    settings.RESIDENT_PASSWORD_LOGIN = True


def start(client, federation="spid", next_path="/area-riservata/"):
    response = client.get(f"/{federation}/login/", {"idp": test_idp.entity_id(), "next": next_path})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == test_idp.sso_url()
    query = parse_qs(location.query)
    return test_idp.read_authn_request(query["SAMLRequest"][0]), query


def answer(client, authn, attributes, *, federation="spid", level=None, tamper=None):
    xml = test_idp.signed_response(request_id=authn["id"], acs_url=authn["acs_url"], audience=authn["issuer"],
                                   level=level or authn["level"], attributes=attributes)  # fmt: skip
    if tamper:
        xml = tamper(xml)
    return client.post(f"/{federation}/acs/", {"SAMLResponse": base64.b64encode(xml.encode()).decode(),
                                               "RelayState": "x"})  # fmt: skip


def giulia(**extra):
    return {"fiscalNumber": f"TINIT-{GIULIA_CF}", "name": "Giulia", "familyName": "Neri", "dateOfBirth": "1990-05-17",
            "email": "giulia.neri@example.org"} | extra  # fmt: skip


def test_metadata_is_signed_and_names_the_public_administration(client):
    root = ElementTree.fromstring(client.get("/spid/metadata/").content)
    assert root.get("entityID") == "http://testserver/spid/metadata/"
    assert root.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is not None
    sp = root.find(f"{MD}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    requested = {attribute.get("Name") for attribute in sp.iter(f"{MD}RequestedAttribute")}
    assert requested == {"fiscalNumber", "name", "familyName", "dateOfBirth", "email"}
    contact = root.find(f"{MD}ContactPerson")
    assert contact.get("contactType") == "other"
    assert contact.find(f"{MD}Extensions/{{https://spid.gov.it/saml-extensions}}IPACode").text == "c_l319"
    assert contact.find(f"{MD}Extensions/{{https://spid.gov.it/saml-extensions}}Public") is not None

    cie = ElementTree.fromstring(client.get("/cie/metadata/").content)
    assert cie.get("entityID") == "http://testserver/cie/metadata/"
    extensions = cie.find(f"{MD}ContactPerson/{MD}Extensions")
    assert extensions.find("{https://www.cartaidentita.interno.gov.it/saml-extensions}Municipality").text == "012127"


def test_the_authn_request_is_signed_at_spid_level_2(client):
    authn, query = start(client)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert query["Signature"][0]
    assert query["RelayState"][0]
    assert "http" not in query["RelayState"][0]
    assert authn["level"] == LEVELS[2]
    assert authn["issuer"] == "http://testserver/spid/metadata/"


def test_a_new_resident_completes_the_registration(client, district):
    authn, _ = start(client)
    response = answer(client, authn, giulia())
    assert response.status_code == 302
    assert response["Location"] == reverse("spid:register")
    page = client.get(reverse("spid:register"))
    assert GIULIA_CF in page.content.decode()
    assert "Giulia Neri" in page.content.decode()
    assert not User.objects.filter(email="giulia.neri@example.org").exists()  # nothing until she completes it

    tradate = Municipality.objects.get(istat_code=TRADATE)
    refused = client.post(reverse("spid:register"), {"email": "giulia.neri@example.org", "contact_channel": "email"})
    assert refused.status_code == 200
    assert not User.objects.filter(email="giulia.neri@example.org").exists()

    response = client.post(reverse("spid:register"), {
        "municipality": tradate.pk, "email": "giulia.neri@example.org", "contact_channel": "email",
        "privacy_accepted": "on",
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/area-riservata/"
    user = User.objects.get(email="giulia.neri@example.org")
    assert not user.has_usable_password()
    assert user.emailaddress_set.get().verified  # the address SPID gave
    profile = user.citizen_profile
    assert profile.codice_fiscale == GIULIA_CF
    assert profile.birth_date == dt.date(1990, 5, 17)
    assert profile.identity_verified_with == "spid"
    assert set(profile.identity_verified_fields) == {"codice_fiscale", "first_name", "last_name", "birth_date", "email"}
    assert client.get("/area-riservata/").status_code == 200
    assert AuditEntry.objects.filter(verb="citizen_profile.identity_verified", actor=user).exists()

    shown = client.get(reverse("accounts:profile")).content.decode()
    assert "Identit" in shown
    assert "SPID" in shown


def test_the_email_of_another_account_is_refused_and_nothing_is_saved(client, alice):
    authn, _ = start(client)
    answer(client, authn, giulia(email="alice@example.org"))
    tradate = Municipality.objects.get(istat_code=TRADATE)
    response = client.post(reverse("spid:register"), {
        "municipality": tradate.pk, "email": "alice@example.org", "contact_channel": "email", "privacy_accepted": "on",
    })  # fmt: skip
    assert response.status_code == 200
    assert "another account" in response.content.decode() or "altro account" in response.content.decode()
    assert not CitizenProfile.objects.filter(codice_fiscale=GIULIA_CF).exists()


def test_a_password_account_is_linked_once_its_owner_confirms(client, alice):
    code = alice.citizen_profile.codice_fiscale
    attributes = {"fiscalNumber": f"TINIT-{code}", "name": "Alice", "familyName": "Rossi",
                  "dateOfBirth": "1985-03-12", "email": "alice@example.org"}  # fmt: skip
    authn, _ = start(client)
    response = answer(client, authn, attributes)
    assert response["Location"] == reverse("spid:confirm")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("spid:confirm"), {"password": "not-her-password"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    from conftest import PASSWORD

    response = client.post(reverse("spid:confirm"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/area-riservata/"
    assert int(client.session["_auth_user_id"]) == alice.pk
    alice.citizen_profile.refresh_from_db()
    assert alice.citizen_profile.identity_verified_with == "spid"

    client.logout()
    authn, _ = start(client)
    response = answer(client, authn, attributes)  # linked: straight in
    assert response["Location"] == "/area-riservata/"
    assert int(client.session["_auth_user_id"]) == alice.pk


def test_a_resident_registered_at_a_social_point_is_logged_in_and_owns_the_account(client, district, olga):
    point = olga.memberships.get().social_point
    code = make_codice_fiscale("Giuseppe", "Verdi", dt.date(1944, 3, 3), "Tradate", "M")
    registration = do_register_assisted_citizen(
        actor=olga, social_point=point, first_name="Giuseppe", last_name="Verdi", codice_fiscale=code,
        birth_date=dt.date(1944, 3, 3), municipality=Municipality.objects.get(istat_code=TRADATE), email="",
        phone="0331 1", contact_channel="phone", document_type="identity_card", document_number="CA1",
        consent_given=True,
    )  # fmt: skip
    authn, _ = start(client, federation="cie")
    response = answer(client, authn, {"fiscalNumber": f"TINIT-{code}", "name": "Giuseppe", "familyName": "Verdi",
                                      "dateOfBirth": "1944-03-03"}, federation="cie")  # fmt: skip
    assert response["Location"] == "/area-riservata/"
    user = registration.profile.user
    assert int(client.session["_auth_user_id"]) == user.pk
    registration.refresh_from_db()
    assert registration.taken_over_at is not None
    assert Delegation.objects.get(pk=registration.delegation_id).revoked_at is not None
    registration.profile.refresh_from_db()
    assert registration.profile.identity_verified_with == "cie"


@pytest.mark.parametrize("case", ["tampered", "lower_level", "cancelled", "replayed", "unsolicited", "no_code"])
def test_answers_that_break_the_rules_are_refused(client, alice, case):
    code = alice.citizen_profile.codice_fiscale
    attributes = {"fiscalNumber": f"TINIT-{code}", "name": "Alice", "familyName": "Rossi", "dateOfBirth": "1985-03-12"}
    alice.citizen_profile.identity_verified_with = "spid"
    alice.citizen_profile.save()
    authn, _ = start(client)
    if case == "tampered":  # another codice fiscale after the signature
        other = make_codice_fiscale("Bruno", "Bianchi", dt.date(1970, 1, 1), "Tradate", "M")
        response = answer(client, authn, attributes, tamper=lambda xml: xml.replace(code, other))
    elif case == "lower_level":
        response = answer(client, authn, attributes, level=LEVELS[1])
    elif case == "cancelled":
        response = answer(client, authn, {})
        assert "cancelled" in response.content.decode() or "annullato" in response.content.decode()
    elif case == "replayed":
        xml = test_idp.signed_response(request_id=authn["id"], acs_url=authn["acs_url"], audience=authn["issuer"],
                                       level=authn["level"], attributes=attributes)  # fmt: skip
        data = {"SAMLResponse": base64.b64encode(xml.encode()).decode(), "RelayState": "x"}
        assert client.post("/spid/acs/", data)["Location"] == "/area-riservata/"
        client.logout()
        response = client.post("/spid/acs/", data)
    elif case == "unsolicited":
        client.cookies.clear()
        response = answer(client, authn, attributes)
    else:
        response = answer(client, authn, {"name": "Alice", "familyName": "Rossi", "spidCode": "X"})
    assert response.status_code in (400, 403)
    assert "_auth_user_id" not in client.session


def test_an_unknown_identity_provider_is_refused_with_the_list(client):
    response = client.get("/spid/login/", {"idp": "https://evil.example/"})
    assert response.status_code == 400
    assert "Identity provider di prova" in response.content.decode()


def test_residents_password_login_can_be_turned_off(client, settings, alice, olga):
    from conftest import PASSWORD, plain_force_login  # noqa: F401

    settings.RESIDENT_PASSWORD_LOGIN = False
    response = client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    response = client.post(reverse("account_login"), {"login": olga.email, "password": PASSWORD})
    assert int(client.session["_auth_user_id"]) == olga.pk
    client.logout()
    assert "SPID" in client.get(reverse("account_login")).content.decode()
    signup = client.get(reverse("account_signup"))
    assert (
        "Register" not in signup.content.decode()
        or signup.status_code != 200
        or "closed" in signup.content.decode().lower()
    )


def test_login_is_off_unless_configured(client, settings):
    settings.SPID_ENABLED = settings.CIE_ENABLED = False
    assert client.get("/spid/metadata/").status_code == 404
    assert client.get("/cie/login/").status_code == 404
    assert "/spid/login/" not in client.get(reverse("account_login")).content.decode()


def test_posts_without_a_login_in_progress_change_nothing(client, alice):
    """The public SPID/CIE endpoints act only on a login started in this browser: posted cold, by a stranger or by
    someone logged in, they record nothing and log nobody in or out."""
    before = AuditEntry.objects.count()
    for url in (
        "/spid/acs/",
        "/cie/acs/",
        reverse("spid:confirm"),
        reverse("spid:register"),
        reverse("spid:reopen"),
        "/spid/ls/",
    ):
        response = client.post(url, {"SAMLResponse": "bm90IHNhbWw=", "password": "x", "email": "x@example.org"})
        assert response.status_code in (302, 400, 403), url
        if response.status_code == 302:
            assert response["Location"] in (reverse("account_login"), reverse("portal:home"))
        assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.count() == before
    client.force_login(alice)
    before = AuditEntry.objects.count()
    for url in ("/spid/ls/", "/cie/ls/"):
        assert client.get(url).status_code == 400  # no signed LogoutRequest: nobody is logged out
        assert client.post(url, {"SAMLRequest": "bm90IHNhbWw="}).status_code == 400
    assert int(client.session["_auth_user_id"]) == alice.pk
    assert AuditEntry.objects.count() == before


def test_unreadable_metadata_leaves_the_password_login_working(client, settings, tmp_path, caplog):
    settings.SPID_IDP_METADATA = [str(tmp_path / "missing.xml")]
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert "cannot be read" in caplog.text


def test_the_owner_of_a_closed_account_reopens_it(client, alice, catalogue, pietro):
    from welfare.care.access import requests_for_provider
    from welfare.care.actions import do_submit_request, do_withdraw
    from welfare.portal.closure import do_close_account

    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    do_withdraw(request, actor=alice)
    do_close_account(alice, actor=alice)
    assert not requests_for_provider(pietro).filter(pk=request.pk).exists()
    code = CitizenProfile.objects.get(user=alice).codice_fiscale
    authn, _ = start(client)
    response = answer(client, authn, {"fiscalNumber": f"TINIT-{code}", "name": "Alice", "familyName": "Rossi",
                                      "dateOfBirth": "1985-03-12", "email": "alice.nuova@example.org"})  # fmt: skip
    assert response["Location"] == reverse("spid:reopen")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("spid:reopen"), {"email": "alice.nuova@example.org"})
    assert response["Location"] == "/area-riservata/"
    user = User.objects.get(pk=alice.pk)
    assert user.is_active
    assert user.email == "alice.nuova@example.org"
    assert CitizenProfile.objects.get(user=user).restricted_at is None
    assert requests_for_provider(pietro).filter(pk=request.pk).exists()
    assert AuditEntry.objects.filter(verb="account.reopened", actor=user).exists()


def test_nothing_of_the_answer_stays_in_the_saml_session(client, alice):
    from django.conf import settings

    code = alice.citizen_profile.codice_fiscale
    alice.citizen_profile.identity_verified_with = "spid"
    alice.citizen_profile.save()
    authn, _ = start(client)
    assert settings.SAML_SESSION_COOKIE_NAME in client.cookies
    response = answer(client, authn, {"fiscalNumber": f"TINIT-{code}", "name": "Alice", "familyName": "Rossi",
                                      "dateOfBirth": "1985-03-12"})  # fmt: skip
    assert response["Location"] == "/area-riservata/"
    assert response.cookies[settings.SAML_SESSION_COOKIE_NAME].value == ""  # deleted
    from django.contrib.sessions.models import Session

    assert not any(code in str(session.get_decoded()) for session in Session.objects.all())
