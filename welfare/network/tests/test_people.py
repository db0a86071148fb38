"""People and roles: the planning office gives and takes roles at its district's places, invites people and
deactivates accounts; a provider's own administrator manages its organisation's staff; nobody removes a district's
last planning office account or gives a role above their own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_staff
from welfare.accounts.models import Membership, Role, User
from welfare.audit.models import AuditEntry
from welfare.network.access import manager_of
from welfare.network.actions import do_give_role
from welfare.territory.actions import do_save_social_point
from welfare.territory.models import District, Municipality, SocialPoint

URL = "/area-riservata/persone/"


@pytest.fixture
def neighbour(db, district):
    """Another district with its planning office (Sara) and a Social Point: never Diana's to touch."""
    other = District.objects.create(slug="saronno", name="Ambito di Saronno", province="VA", region="Lombardia")
    town = Municipality.objects.create(district=other, name="Saronno", istat_code="012119", cadastral_code="I441",
                                       postal_codes=["21047"])  # fmt: skip
    do_save_social_point(actor=None, slug="saronno-centro", municipality=town, name="Social Point Saronno",
                         address="Piazza Libertà 1", postal_code="21047")  # fmt: skip
    make_staff("sara@example.org", "Sara", "Bianchi", Role.DISTRICT_ADMIN, other)
    return other


def give(client, **data):
    return client.post(URL, {"first_name": "", "last_name": ""} | data)


def test_the_planning_office_invites_a_new_operator_who_sets_a_password_from_the_email(
    client, diana, mailoutbox, django_capture_on_commit_callbacks
):
    point = SocialPoint.objects.get(slug="tradate-centro")
    client.force_login(diana)
    with django_capture_on_commit_callbacks(execute=True):
        response = give(client, email="Nuova.Operatrice@example.org", first_name="Nadia", last_name="Sala",
                        role="operator", place=f"social_point:{point.pk}")  # fmt: skip
    assert response.status_code == 302
    nadia = User.objects.get(email="nuova.operatrice@example.org")
    assert not nadia.has_usable_password()
    assert Membership.objects.filter(user=nadia, role=Role.OPERATOR, social_point=point).exists()
    assert AuditEntry.objects.filter(verb="membership.granted", actor=diana).count() == 1
    (email,) = mailoutbox
    assert email.to == ["nuova.operatrice@example.org"]
    assert "Social Point Tradate Centro" in email.body
    link = next(line.strip() for line in email.body.splitlines() if "/account/password/reset/key/" in line)
    # The link lets Nadia choose a password, then log in.
    stranger = Client()
    form_page = stranger.get(link[link.index("/account/") :], follow=True)
    assert form_page.status_code == 200
    set_password = stranger.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                                 {"password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    assert set_password.status_code == 302
    nadia.refresh_from_db()
    assert nadia.check_password(PASSWORD)
    # The planning office's list shows her role; she has never logged in.
    page = client.get(URL).content.decode()
    assert "nuova.operatrice@example.org" in page


def test_an_existing_person_is_told_and_a_second_grant_changes_nothing(
    client, diana, bob, mailoutbox, django_capture_on_commit_callbacks
):
    tradate = Municipality.objects.get(name="Tradate")
    client.force_login(diana)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert give(client, email="bob@example.org", role="social_worker",
                        place=f"municipality:{tradate.pk}").status_code == 302  # fmt: skip
    assert Membership.objects.filter(user=bob, role=Role.SOCIAL_WORKER).count() == 1
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "x@example.org", "role": "operator"}, "Nuovo"),  # no place: required
        ({"email": "nuovo@example.org", "role": "operator", "place": "POINT"}, "nome e cognome"),  # no name to invite
        ({"email": "bob@example.org", "role": "social_worker", "place": "POINT"}, "Social Point"),  # wrong kind
        ({"email": "bob@example.org", "role": "operator", "place": "social_point:NEIGHBOUR"}, "opzione valida"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_saved(client, diana, bob, neighbour, data, message):
    point = SocialPoint.objects.get(slug="tradate-centro")
    saronno = SocialPoint.objects.get(slug="saronno-centro")
    data = {k: v.replace("POINT", f"social_point:{point.pk}").replace("NEIGHBOUR", str(saronno.pk))
            for k, v in data.items()}  # fmt: skip
    client.force_login(diana)
    before = Membership.objects.count(), User.objects.count()
    response = give(client, **data)
    assert response.status_code == 400
    if message != "Nuovo":
        assert message in response.content.decode()
    assert (Membership.objects.count(), User.objects.count()) == before
    assert not AuditEntry.objects.filter(actor=diana).exists()


def test_a_place_of_another_district_is_refused_by_the_action_too(diana, neighbour):
    with pytest.raises(PermissionDenied):
        do_give_role(manager_of(diana), email="x@example.org", first_name="X", last_name="Y", role=Role.OPERATOR,
                     place=SocialPoint.objects.get(slug="saronno-centro"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        do_give_role(manager_of(diana), email="x@example.org", first_name="X", last_name="Y",
                     role=Role.DISTRICT_ADMIN, place=neighbour)  # fmt: skip
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_last_planning_office_account_cannot_be_removed_or_deactivated(client, diana, district):
    own = Membership.objects.get(user=diana, role=Role.DISTRICT_ADMIN)
    client.force_login(diana)
    response = client.post(reverse("network:membership_revoke", args=[own.pk]), follow=True)
    assert "senza un Ufficio di Piano" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    # With a second planning office account, Diana may hand over and leave.
    giulia = make_staff("giulia@example.org", "Giulia", "Re", Role.DISTRICT_ADMIN, district)
    client.force_login(giulia)
    giulia_own = Membership.objects.get(user=giulia)
    # Diana's account cannot be deactivated while Giulia's is the only other one… unless Giulia's is active: it is.
    assert client.post(reverse("network:person_active", args=[diana.pk]), {"attivo": "0"}).status_code == 302
    diana.refresh_from_db()
    assert not diana.is_active
    # Now Giulia is the last active one: her own role cannot go.
    response = client.post(reverse("network:membership_revoke", args=[giulia_own.pk]), follow=True)
    assert "senza un Ufficio di Piano" in response.content.decode()
    assert Membership.objects.filter(pk=giulia_own.pk).exists()


def test_a_deactivated_account_cannot_log_in_and_is_reactivated(client, diana, olga):
    client.force_login(diana)
    assert client.post(reverse("network:person_active", args=[olga.pk]), {"attivo": "0"}).status_code == 302
    olga.refresh_from_db()
    assert not olga.is_active
    assert AuditEntry.objects.filter(verb="user.deactivated", actor=diana).count() == 1
    login = Client().post(reverse("account_login"), {"login": "olga@example.org", "password": PASSWORD})
    assert login["Location"] == reverse("account_inactive")
    olga_client = Client()
    olga_client.force_login(olga)  # a session opened before: it no longer counts
    assert olga_client.get("/area-riservata/social-point/").status_code == 302
    assert client.post(reverse("network:person_active", args=[olga.pk]), {"attivo": "1"}).status_code == 302
    olga.refresh_from_db()
    assert olga.is_active


def test_who_may_not_be_deactivated_by_the_planning_office(client, diana, alice, neighbour):
    """Oneself, a resident without roles, someone with a role in another district: as if they did not exist."""
    sara = User.objects.get(email="sara@example.org")
    client.force_login(diana)
    for person in (diana, alice, sara):
        assert client.post(reverse("network:person_active", args=[person.pk]), {"attivo": "0"}).status_code == 404
        person.refresh_from_db()
        assert person.is_active


def test_a_providers_administrator_manages_its_own_staff_only(
    client, pietro, rita, provider_a, provider_b, mailoutbox, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(user=pietro)
    client.force_login(pietro)
    assert client.get(URL).status_code == 403  # not an administrator of the organisation yet
    membership.manages_staff = True
    membership.save()
    client.force_login(pietro)
    page = client.get(URL)
    assert page.status_code == 200
    assert "rita@example.org" not in page.content.decode()  # another organisation's staff
    with django_capture_on_commit_callbacks(execute=True):
        response = give(client, email="collega@example.org", first_name="Carla", last_name="Neri",
                        role="provider_staff", place=f"organization:{provider_a.pk}")  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="collega@example.org", organization=provider_a).exists()
    # Not at another organisation, not a role above their own, not accounts.
    assert give(client, email="x@example.org", first_name="X", last_name="Y", role="provider_staff",
                place=f"organization:{provider_b.pk}").status_code == 400  # fmt: skip
    assert give(client, email="x@example.org", first_name="X", last_name="Y", role="district_admin",
                place="district:1").status_code == 400  # fmt: skip
    rita_role = Membership.objects.get(user=rita)
    assert client.post(reverse("network:membership_revoke", args=[rita_role.pk])).status_code == 404
    assert client.post(reverse("network:person_active", args=[rita.pk]), {"attivo": "0"}).status_code == 403
    assert Membership.objects.filter(pk=rita_role.pk).exists()
    assert not User.objects.filter(email="x@example.org").exists()


def test_changes_ask_for_the_password_again_when_not_confirmed_recently(diana):
    """Logged in with password and code two hours ago: reading is fine, a change asks for them again first."""
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    from conftest import plain_force_login

    client = Client()
    plain_force_login(client, diana)
    session = client.session
    then = time.time() - 7200
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": then},
                                                   {"method": "mfa", "at": then, "type": "totp"}]  # fmt: skip
    session["account_authentication_methods_user"] = str(diana.pk)
    session.save()
    assert client.get(URL).status_code == 200
    point = SocialPoint.objects.get(slug="tradate-centro")
    response = client.post(URL, {"email": "n@example.org", "first_name": "N", "last_name": "S", "role": "operator",
                                 "place": f"social_point:{point.pk}"})  # fmt: skip
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert not User.objects.filter(email="n@example.org").exists()
