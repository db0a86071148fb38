import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from welfare.accounts.access import roles_of, scopes_for
from welfare.accounts.actions import do_grant_membership, do_revoke_membership
from welfare.accounts.models import Membership, Role
from welfare.audit.models import AuditEntry
from welfare.territory.models import Municipality


def test_one_person_can_hold_several_roles(olga, diana, district):
    do_grant_membership(olga, Role.DISTRICT_ADMIN, district, actor=diana)
    assert roles_of(olga) == {Role.OPERATOR, Role.DISTRICT_ADMIN}
    entry = AuditEntry.objects.get(verb="membership.granted", actor=diana)
    assert entry.data["role"] == "district_admin"


def test_granting_twice_creates_one_membership(sofia, diana):
    tradate = scopes_for(sofia, Role.SOCIAL_WORKER)[0]
    do_grant_membership(sofia, Role.SOCIAL_WORKER, tradate, actor=diana)
    assert Membership.objects.filter(user=sofia).count() == 1


def test_the_database_refuses_a_role_bound_to_the_wrong_kind_of_place(alice, district):
    tradate = Municipality.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=alice, role=Role.OPERATOR, municipality=tradate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=alice, role=Role.DISTRICT_ADMIN)


def test_a_social_worker_sees_only_their_municipality(client, sofia, vittorio):
    client.force_login(sofia)
    response = client.get(reverse("accounts:social_worker_dashboard"))
    assert "Tradate" in response.text
    assert "Vedano Olona" not in response.text.split("<main")[1].split("</main>")[0]


def test_the_provider_dashboard_names_only_the_users_own_organisation(client, pietro, rita):
    client.force_login(rita)
    main = client.get(reverse("accounts:provider_dashboard")).text.split("<main")[1]
    assert "Arcobaleno" in main
    assert "Melograno" not in main


def test_revoking_a_role_closes_its_dashboard_on_the_next_request(client, olga, diana):
    client.force_login(olga)
    assert client.get(reverse("assistance:console")).status_code == 200
    do_revoke_membership(Membership.objects.get(user=olga), actor=diana)
    assert client.get(reverse("assistance:console")).status_code == 403
    assert AuditEntry.objects.filter(verb="membership.revoked", actor=diana).exists()


def test_navigation_shows_each_role_its_own_dashboards(client, olga, alice):
    client.force_login(olga)
    assert reverse("assistance:console") in client.get("/").text
    client.force_login(alice)
    assert reverse("assistance:console") not in client.get("/").text


def test_an_inactive_user_holds_no_role(olga):
    olga.is_active = False
    assert roles_of(olga) == frozenset()
