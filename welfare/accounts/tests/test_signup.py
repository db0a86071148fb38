import datetime as dt

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from conftest import TRADATE, make_codice_fiscale
from welfare.accounts.models import CitizenProfile, User
from welfare.audit.models import AuditEntry
from welfare.territory.models import Municipality

BIRTH = dt.date(1990, 4, 21)


@pytest.fixture
def form_data(district):
    tradate = Municipality.objects.get(istat_code=TRADATE)
    return {
        "first_name": "Chiara",
        "last_name": "Villa",
        "codice_fiscale": make_codice_fiscale("Chiara", "Villa", BIRTH, "Tradate").lower(),
        "birth_date": BIRTH.isoformat(),
        "municipality": tradate.pk,
        "email": "chiara.villa@example.org",
        "phone": "",
        "contact_channel": "email",
        "password1": "una-password-lunga-2026",
        "password2": "una-password-lunga-2026",
        "privacy_accepted": "on",
    }


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    """POST the sign-up form in Italian, running what the request queued for after commit (emails)."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="it")

    return post


def test_it_registers_a_resident_with_profile_consent_and_audit(client, signup, form_data):
    response = signup(form_data)

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="chiara.villa@example.org")
    profile = user.citizen_profile
    assert profile.codice_fiscale == form_data["codice_fiscale"].upper()  # normalised
    assert profile.birth_date == BIRTH
    assert profile.municipality.istat_code == TRADATE
    assert profile.privacy_notice_version
    assert (user.first_name, user.last_name, user.preferred_language) == ("Chiara", "Villa", "it")
    assert AuditEntry.objects.filter(verb="citizen_profile.created", actor=user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chiara.villa@example.org"]
    # Personal data never travels in the URL.
    assert form_data["codice_fiscale"].upper() not in response.headers["Location"]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("VLLCHR90D61L31", "16 caratteri"),
        ("VLLCHR90D61L319Z", "non è valido"),
    ],
)
def test_it_refuses_an_invalid_codice_fiscale_on_the_field_and_saves_nothing(client, signup, form_data, code, message):
    response = signup(form_data | {"codice_fiscale": code})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["codice_fiscale"]
    assert message in errors["codice_fiscale"][0]
    assert 'aria-invalid="true"' in response.text
    assert not User.objects.filter(email=form_data["email"]).exists()
    assert not CitizenProfile.objects.exists()
    assert not mail.outbox


def test_it_refuses_a_birth_date_that_contradicts_the_codice_fiscale(client, signup, form_data):
    response = signup(form_data | {"birth_date": "1990-04-22"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["birth_date"]
    assert "non corrisponde al codice fiscale" in errors["birth_date"][0]
    assert not User.objects.exists()


def test_it_accepts_the_same_day_a_century_apart_because_the_code_cannot_tell(client, signup, form_data):
    """The code holds two year digits: 1990 and 1890 look the same; 1890 fails only the age check."""
    response = signup(form_data | {"birth_date": "1890-04-21"})
    assert list(response.context["form"].errors) == ["birth_date"]
    assert "anno di nascita" in response.context["form"].errors["birth_date"][0]


def test_it_requires_the_privacy_notice(client, signup, form_data):
    data = dict(form_data)
    del data["privacy_accepted"]
    response = signup(data)
    assert list(response.context["form"].errors) == ["privacy_accepted"]
    assert not User.objects.exists()


def test_a_registered_email_gets_the_same_page_and_the_owner_an_email(client, signup, form_data, alice):
    response = signup(form_data | {"email": alice.email})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=alice.email).count() == 1
    assert not CitizenProfile.objects.filter(codice_fiscale=form_data["codice_fiscale"].upper()).exists()
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_a_registered_codice_fiscale_gets_the_same_page_and_both_people_an_email(client, signup, form_data, alice):
    users_before = User.objects.count()
    code = alice.citizen_profile.codice_fiscale

    response = signup(
        form_data | {"codice_fiscale": code, "first_name": "Alice", "last_name": "Rossi", "birth_date": "1985-03-12"}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == users_before
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([alice.email, form_data["email"]])
    warning = next(message for message in mail.outbox if message.to == [alice.email])
    assert "codice fiscale" in warning.subject
    for message in mail.outbox:
        assert code not in message.body  # the code itself never travels by email
        assert form_data["email"] not in message.body or message.to == [form_data["email"]]


def test_the_page_after_a_duplicate_is_the_same_page_as_after_a_new_sign_up(client, signup, form_data, alice):
    new = client.get(signup(form_data).headers["Location"])
    client.cookies.clear()
    duplicate = client.get(
        signup(
            form_data
            | {
                "email": "other@example.org",
                "codice_fiscale": alice.citizen_profile.codice_fiscale,
                "birth_date": "1985-03-12",
            }
        ).headers["Location"]
    )
    assert new.status_code == duplicate.status_code == 200
    assert new.templates[0].name == duplicate.templates[0].name


def test_nothing_is_half_saved_when_the_profile_cannot_be_written(client, signup, form_data, monkeypatch):
    """If the profile fails after the user row exists, the user row is rolled back too."""
    from welfare.accounts import forms

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(forms, "do_create_citizen_profile", fail)
    client.raise_request_exception = False
    response = signup(form_data)
    assert response.status_code == 500
    assert not User.objects.exists()


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher (fast, for tests) that counts how many passwords it hashed."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        type(self).hashed += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("path", ["new", "email_registered", "codice_fiscale_registered"])
def test_every_sign_up_answer_costs_one_password_hash(signup, form_data, alice, settings, path):
    """A new account hashes its password; the "already registered" answers hash it too and throw it away, so the
    time taken tells nobody who is registered (it was ~490 ms against ~20 ms)."""
    settings.PASSWORD_HASHERS = ["welfare.accounts.tests.test_signup.CountingHasher"]
    if path == "email_registered":
        form_data["email"] = alice.email.upper()
    if path == "codice_fiscale_registered":
        form_data["codice_fiscale"] = alice.citizen_profile.codice_fiscale
        form_data["birth_date"] = alice.citizen_profile.birth_date.isoformat()
    CountingHasher.hashed, accounts = 0, User.objects.count()
    response = signup(form_data)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert CountingHasher.hashed == 1
    assert User.objects.count() == accounts + (1 if path == "new" else 0)


def test_the_log_filter_masks_codici_fiscali_and_emails_in_messages_and_tracebacks(alice):
    import io
    import logging

    code = alice.citizen_profile.codice_fiscale
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer, stream = io.StringIO(), handler.stream
    handler.setStream(buffer)
    try:
        try:
            raise ValueError(f"duplicate key. DETAIL:  Key (codice_fiscale)=({code}) already exists; {alice.email}")
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error: %s for %s", "/x", code.lower())
    finally:
        handler.setStream(stream)
    assert "Internal Server Error" in buffer.getvalue()
    assert "DETAIL" in buffer.getvalue()
    assert code not in buffer.getvalue().upper()
    assert alice.email not in buffer.getvalue()


def test_the_confirmation_and_reset_emails_are_the_portals_own(client, signup, form_data, alice, settings):
    """Issue 17, defect 10: the emails were allauth's defaults ("Ciao da 127.0.0.1:8781!")."""
    settings.PORTAL_URL = "https://welfare.example.org"
    signup(form_data)
    (confirmation,) = mail.outbox
    assert confirmation.subject == "[Welfare Integrato] Conferma il tuo indirizzo email"
    body = confirmation.body
    assert body.startswith("Buongiorno,")
    assert "Ciao da" not in body
    assert "/account/confirm-email/" in body
    assert "Il link funziona per 3 giorni" in body
    assert "https://welfare.example.org/social-point/" in body
    assert "Ambito territoriale di Tradate" in body
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": alice.email}, HTTP_ACCEPT_LANGUAGE="it")
    (reset,) = mail.outbox
    assert reset.subject == "[Welfare Integrato] Scegli una nuova password"
    assert "/account/password/reset/key/" in reset.body
    assert "Il link funziona per 3 giorni e una sola volta" in reset.body


def test_a_form_with_errors_opens_with_a_summary_linking_to_each_field(client, signup, form_data):
    """Issue 17, friction: "Errore:" in the title, a focused summary at the top, a link to every wrong field."""
    response = signup(form_data | {"codice_fiscale": "VLLCHR90D61L319Z", "birth_date": ""})
    page = response.text
    assert response.status_code == 200
    assert "<title>Errore: " in page
    summary = page[page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))]
    assert (
        "autofocus"
        in page[page.index("<div", page.index('id="error-summary"') - 200) : page.index('id="error-summary"') + 200]
    )
    assert 'href="#id_codice_fiscale"' in summary
    assert 'href="#id_birth_date"' in summary
    assert "2 campi" in summary
    assert page.index('id="error-summary"') < page.index("<h1")
