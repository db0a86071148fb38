import pytest
from django.core.management import CommandError, call_command

from welfare.accounts.models import Membership, Role, User
from welfare.catalogue.models import Organization, Service, TaxonomyTerm
from welfare.portal.demo import DEMO_ACCOUNTS
from welfare.territory.models import Municipality, SocialPoint


@pytest.fixture
def loaded(db, settings):
    settings.DEBUG = True
    call_command("load_district")
    call_command("load_taxonomy")
    call_command("load_demo")


def test_the_demo_has_four_social_points_and_an_account_per_role(loaded):
    assert SocialPoint.objects.count() == 4
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(citizen_profile__isnull=False).count() == 2


def test_the_demo_catalogue_covers_the_district(loaded):
    published = Service.objects.filter(status=Service.Status.PUBLISHED)
    assert published.count() >= 120
    assert Organization.objects.filter(kind=Organization.Kind.COOPERATIVE).count() >= 14
    kinds = set(published.values_list("kinds__code", flat=True))
    assert kinds == set(TaxonomyTerm.objects.filter(parent__isnull=False).values_list("code", flat=True))
    for municipality in Municipality.objects.all():
        assert published.filter(organization__municipality=municipality).exists(), municipality


def test_loading_the_demo_twice_creates_nothing_twice(loaded):
    counts = (User.objects.count(), Membership.objects.count(), SocialPoint.objects.count(), Service.objects.count())
    call_command("load_taxonomy")
    call_command("load_demo")
    assert (
        User.objects.count(),
        Membership.objects.count(),
        SocialPoint.objects.count(),
        Service.objects.count(),
    ) == counts
    assert counts[0] == len(DEMO_ACCOUNTS)


def test_the_demo_refuses_to_load_without_debug(db, settings):
    settings.DEBUG = False
    call_command("load_district")
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
