import datetime as dt

from django.urls import reverse

from conftest import VEDANO, make_codice_fiscale
from welfare.accounts.models import CitizenProfile
from welfare.audit.models import AuditEntry
from welfare.territory.models import Municipality


def profile_data(user, **changes):
    profile = user.citizen_profile
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "birth_date": profile.birth_date.isoformat(),
        "municipality": profile.municipality_id,
        "phone": profile.phone,
        "contact_channel": profile.contact_channel,
        "preferred_language": user.preferred_language,
    } | changes


def test_it_changes_residence_and_records_who_changed_what(client, alice):
    client.force_login(alice)
    vedano = Municipality.objects.get(istat_code=VEDANO)

    response = client.post(
        reverse("accounts:profile"), profile_data(alice, municipality=vedano.pk, phone="333 1234567")
    )

    assert response.status_code == 302
    alice.citizen_profile.refresh_from_db()
    assert alice.citizen_profile.municipality == vedano
    entry = AuditEntry.objects.get(verb="citizen_profile.updated")
    assert entry.actor == alice
    assert entry.on_behalf_of is None
    assert entry.data == {"fields": ["municipality", "phone"]}
    assert "333" not in str(entry.data)  # values of personal fields stay out of the audit trail


def test_the_chosen_language_is_saved_on_the_account(client, alice):
    client.force_login(alice)
    client.post(reverse("accounts:profile"), profile_data(alice, preferred_language="en"))
    alice.refresh_from_db()
    assert alice.preferred_language == "en"
    assert '<html lang="en">' in client.get(reverse("accounts:home")).text


def test_a_birth_date_against_the_codice_fiscale_is_refused_and_nothing_changes(client, alice):
    client.force_login(alice)

    response = client.post(
        reverse("accounts:profile"),
        profile_data(alice, birth_date="1985-03-13", phone="333"),
        HTTP_ACCEPT_LANGUAGE="it",
    )

    assert response.status_code == 200
    assert "non corrisponde al codice fiscale" in response.context["form"].errors["birth_date"][0]
    alice.citizen_profile.refresh_from_db()
    assert alice.citizen_profile.phone == ""
    assert not AuditEntry.objects.filter(verb="citizen_profile.updated").exists()


def test_staff_without_a_profile_can_add_one(client, olga):
    client.force_login(olga)
    birth = dt.date(1979, 11, 2)
    code = make_codice_fiscale("Olga", "Ferrari", birth, "Tradate")

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Olga",
            "last_name": "Ferrari",
            "codice_fiscale": code,
            "birth_date": birth.isoformat(),
            "municipality": Municipality.objects.get(istat_code=VEDANO).pk,
            "phone": "",
            "contact_channel": "phone",
            "privacy_accepted": "on",
        },
    )

    assert response.status_code == 302
    assert CitizenProfile.objects.get(user=olga).codice_fiscale == code


def test_a_codice_fiscale_of_someone_else_is_refused_without_saying_whose(client, olga, alice):
    client.force_login(olga)
    profile = alice.citizen_profile

    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Olga",
            "last_name": "Ferrari",
            "codice_fiscale": profile.codice_fiscale,
            "birth_date": profile.birth_date.isoformat(),
            "municipality": profile.municipality_id,
            "phone": "",
            "contact_channel": "email",
            "privacy_accepted": "on",
        },
        HTTP_ACCEPT_LANGUAGE="it",
    )

    assert response.status_code == 200
    assert "Non è stato possibile collegare" in response.context["form"].errors["codice_fiscale"][0]
    assert "registrato" not in response.text  # never confirms that the code is known
    assert "Alice" not in response.text
    assert not CitizenProfile.objects.filter(user=olga).exists()
    olga.refresh_from_db()
    assert olga.first_name == "Olga"


def test_the_profile_page_shows_only_my_own_data(client, alice, bob):
    client.force_login(bob)
    response = client.get(reverse("accounts:home"))
    assert bob.citizen_profile.codice_fiscale in response.text
    assert alice.citizen_profile.codice_fiscale not in response.text


def test_the_profile_page_is_not_an_oracle_of_registered_codici_fiscali(
    client, olga, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    """Tries are limited per account (and per client address), and the owner of a code tried is warned."""
    client.force_login(olga)
    data = {"first_name": "Olga", "last_name": "Ferrari", "phone": "", "contact_channel": "email",
            "privacy_accepted": "on"}  # fmt: skip
    targets = [alice.citizen_profile, bob.citizen_profile] * 3
    answers = []
    for target in targets:
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(client.post(reverse("accounts:profile"), data | {
                "codice_fiscale": target.codice_fiscale, "birth_date": target.birth_date.isoformat(),
                "municipality": target.municipality_id,
            }, HTTP_ACCEPT_LANGUAGE="it"))  # fmt: skip
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "Troppi tentativi" in answers[-1].text
    assert alice.email in [m.to[0] for m in mailoutbox]
    assert not CitizenProfile.objects.filter(user=olga).exists()
