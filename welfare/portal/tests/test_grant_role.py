import pytest
from django.core.management import CommandError, call_command

from welfare.accounts.access import roles_of
from welfare.accounts.models import Role, User
from welfare.audit.models import AuditEntry


def test_it_grants_a_role_to_an_existing_user(alice):
    call_command("grant_role", alice.email, "social_worker", "012134")
    assert roles_of(User.objects.get(pk=alice.pk)) == {Role.SOCIAL_WORKER}
    assert AuditEntry.objects.filter(verb="membership.granted").exists()


def test_it_creates_the_account_without_a_usable_password_when_asked(district):
    call_command(
        "grant_role", "new.operator@example.org", "operator", "tradate-centro", "--create", "--first-name", "Nina"
    )
    user = User.objects.get(email="new.operator@example.org")
    assert not user.has_usable_password()
    assert roles_of(user) == {Role.OPERATOR}


def test_it_explains_an_unknown_place_and_changes_nothing(alice):
    with pytest.raises(CommandError, match="No municipality ISTAT code '999999'"):
        call_command("grant_role", alice.email, "social_worker", "999999")
    with pytest.raises(CommandError, match="--create"):
        call_command("grant_role", "nobody@example.org", "district_admin", "ambito-tradate")
    assert not User.objects.filter(email="nobody@example.org").exists()
    assert roles_of(alice) == frozenset()


def test_a_grant_and_a_revocation_are_seen_at_once_by_the_same_user_object(alice, district):
    from django.core.exceptions import PermissionDenied

    from welfare.accounts.access import require_role, scopes_for
    from welfare.accounts.actions import do_grant_membership, do_revoke_membership
    from welfare.territory.models import Municipality

    tradate = Municipality.objects.get(istat_code="012127")
    with pytest.raises(PermissionDenied):
        require_role(alice, Role.SOCIAL_WORKER)  # remembered on the object for the rest of the request…
    membership = do_grant_membership(alice, Role.SOCIAL_WORKER, tradate, actor=None)
    assert scopes_for(alice, Role.SOCIAL_WORKER) == [tradate]  # …and forgotten by the grant
    assert roles_of(alice) == {Role.SOCIAL_WORKER}
    do_revoke_membership(membership, actor=None)
    with pytest.raises(PermissionDenied):
        require_role(membership.user, Role.SOCIAL_WORKER)
