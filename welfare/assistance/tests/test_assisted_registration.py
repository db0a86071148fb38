"""Assisted registration at the desk, the activation letter, and the resident taking the account over."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_codice_fiscale
from welfare.accounts.actions import do_issue_activation_code
from welfare.accounts.models import AssistedRegistration, CitizenProfile, User
from welfare.audit.models import AuditEntry
from welfare.lib.mail import NO_EMAIL_DOMAIN
from welfare.territory.models import Municipality

CODE = make_codice_fiscale("Giuseppe", "Verdi", dt.date(1940, 10, 10), "Tradate", "M")


def register(client, olga, **changes):
    client.force_login(olga)
    data = {
        "first_name": "Giuseppe", "last_name": "Verdi", "codice_fiscale": CODE, "birth_date": "1940-10-10",
        "municipality": Municipality.objects.get(istat_code="012127").pk, "email": "", "phone": "0331 123456",
        "contact_channel": "phone", "document_type": "identity_card", "document_number": "ca12345ab",
        "consent_given": "on",
    } | changes  # fmt: skip
    return client.post(reverse("assistance:resident_new"), data)


def test_an_operator_registers_a_resident_without_email(client, olga):
    response = register(client, olga)
    profile = CitizenProfile.objects.get(codice_fiscale=CODE)
    assert response.status_code == 302
    assert response["Location"] == reverse("assistance:resident", args=[profile.pk])
    assert profile.user.email.endswith("@" + NO_EMAIL_DOMAIN)
    assert not profile.user.has_usable_password()
    registration = profile.assisted_registration
    assert registration.operator == olga
    assert registration.document_number == "CA12345AB"
    assert registration.consent_notice_version == profile.privacy_notice_version
    entry = AuditEntry.objects.get(verb="assisted_registration.created")
    assert (entry.actor, entry.on_behalf_of) == (olga, profile.user)
    assert "CA12345AB" not in str(entry.data)  # the document number stays out of the trail


def test_a_resident_without_email_is_not_defaulted_to_the_email_channel(client, olga):
    """Issue 17, friction: the channel defaulted to email for residents who have none."""
    client.force_login(olga)
    page = client.get(reverse("assistance:resident_new"))
    assert page.context["form"]["contact_channel"].value() in (None, "")
    refused = register(client, olga, contact_channel="email")
    assert refused.status_code == 200
    assert "contact_channel" in refused.context["form"].errors
    no_phone = register(client, olga, phone="")
    assert "phone" in no_phone.context["form"].errors
    assert not CitizenProfile.objects.filter(codice_fiscale=CODE).exists()


def test_without_consent_nothing_is_saved(client, olga):
    response = register(client, olga, consent_given="")
    assert response.status_code == 200
    assert "Senza il consenso" in response.text
    assert not CitizenProfile.objects.filter(codice_fiscale=CODE).exists()
    assert not User.objects.filter(last_name="Verdi").exists()


def test_a_codice_fiscale_already_registered_is_refused_with_nothing_half_saved(client, olga, alice):
    users = User.objects.count()
    response = register(client, olga, codice_fiscale=alice.citizen_profile.codice_fiscale, birth_date="1985-03-12")
    assert response.status_code == 200
    assert User.objects.count() == users


def test_only_operators_register_and_the_other_social_point_does_not_see_the_resident(client, olga, olindo, alice):
    client.force_login(alice)
    assert client.get(reverse("assistance:resident_new")).status_code == 403
    register(client, olga)
    profile = CitizenProfile.objects.get(codice_fiscale=CODE)
    assert client.get(reverse("assistance:resident", args=[profile.pk])).status_code == 200
    client.force_login(olindo)
    assert client.get(reverse("assistance:resident", args=[profile.pk])).status_code == 404


def test_the_letter_is_a_pdf_with_a_fresh_code(client, olga):
    register(client, olga)
    registration = AssistedRegistration.objects.get()
    response = client.post(reverse("assistance:activation_letter", args=[registration.profile_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    registration.refresh_from_db()
    assert registration.activation_code_hash
    assert registration.activation_expires_at


def take_over(client, code, REMOTE_ADDR="127.0.0.1", **changes):
    data = {"codice_fiscale": CODE.lower(), "activation_code": code, "email": "giuseppe@example.org",
            "password1": "una-password-lunga-42", "password2": "una-password-lunga-42"} | changes  # fmt: skip
    client.logout()
    return client.post(reverse("accounts:take_over"), data, REMOTE_ADDR=REMOTE_ADDR)


def test_the_resident_takes_over_and_the_social_point_then_needs_a_delegation(client, olga):
    register(client, olga)
    registration = AssistedRegistration.objects.get()
    code = do_issue_activation_code(registration, actor=olga)
    response = take_over(client, code.lower()[:5] + "-" + code.lower()[5:])  # as typed from paper
    assert response.status_code == 302
    registration.refresh_from_db()
    user = registration.profile.user
    assert registration.taken_over_at is not None
    assert not registration.activation_code_hash
    assert user.email == "giuseppe@example.org"
    assert user.check_password("una-password-lunga-42")
    assert AuditEntry.objects.filter(verb="assisted_registration.taken_over", actor=user).exists()
    client.force_login(olga)
    assert client.get(reverse("assistance:resident", args=[registration.profile_id])).status_code == 404
    assert take_over(client, code).status_code == 200  # the code worked once only


def test_wrong_codes_do_not_cancel_the_code_and_the_social_point_is_told(
    client, olga, mailoutbox, django_capture_on_commit_callbacks
):
    """A stranger who knows the codice fiscale types wrong codes from several addresses: the resident's code
    still works (nobody can send them back to the desk), and the Social Point hears of it once, by email naming
    nobody."""
    register(client, olga)
    registration = AssistedRegistration.objects.get()
    code = do_issue_activation_code(registration, actor=olga)
    for attempt in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            response = take_over(client, "WRONGCODE1", REMOTE_ADDR=f"198.51.100.{attempt}")
        assert "codice di attivazione non è corretto" in response.text
    registration.refresh_from_db()
    assert registration.activation_attempts == 6
    assert registration.activation_code_hash
    (alert,) = [m for m in mailoutbox if m.to == [olga.email]]
    assert "Giuseppe" not in alert.body
    assert CODE not in alert.body
    assert f"/area-riservata/social-point/residenti/{registration.profile_id}/" in alert.body
    assert AuditEntry.objects.filter(verb="assisted_registration.wrong_codes").count() == 1
    assert take_over(client, code, REMOTE_ADDR="203.0.113.5").status_code == 302  # the resident gets in


def test_guessing_is_stopped_per_client_address(client, olga):
    register(client, olga)
    registration = AssistedRegistration.objects.get()
    code = do_issue_activation_code(registration, actor=olga)
    for _attempt in range(10):
        take_over(client, "WRONGCODE1", REMOTE_ADDR="198.51.100.9")
    stopped = take_over(client, code, REMOTE_ADDR="198.51.100.9")  # even the right code, from that address
    assert stopped.status_code == 200
    assert "Troppi tentativi da questa connessione" in stopped.text
    registration.refresh_from_db()
    assert registration.taken_over_at is None
    assert take_over(client, code, REMOTE_ADDR="203.0.113.5").status_code == 302


@pytest.mark.parametrize("field", ["codice_fiscale", "activation_code"])
def test_the_refusal_does_not_say_which_part_was_wrong(client, olga, field):
    register(client, olga)
    code = do_issue_activation_code(AssistedRegistration.objects.get(), actor=olga)
    wrong = {"codice_fiscale": make_codice_fiscale("Anna", "Bianchi", dt.date(1950, 1, 1), "Tradate"),
             "activation_code": "ZZZZZZZZZZ"}[field]  # fmt: skip
    response = take_over(client, code, **{field: wrong})
    assert "Il codice fiscale o il codice di attivazione non è corretto" in response.text
