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


def test_the_demo_has_welfare_aziendale_with_three_payers(loaded):
    from welfare.delivery.models import Session
    from welfare.employers.models import Claim, Employee, Plan, Wallet
    from welfare.ledger.actions import reconcile

    assert Employee.objects.count() == 20
    plan = Plan.objects.get(status=Plan.Status.PUBLISHED)
    assert Wallet.objects.filter(plan=plan).count() == 60  # f-ter, f-bis and fringe for everyone
    assert sum(w.allocated_cents for w in Wallet.objects.filter(employee__first_name="Giulia")) == 50000
    first, second = Session.objects.filter(wallet__employee__first_name="Giulia").order_by("starts_at")
    # the voucher, Giulia's credit and the family each pay a share of the first; the credit runs out within it
    assert (first.voucher_cents > 0, first.employer_cents > 0, first.copayment_cents > 0) == (True, True, True)
    assert "no_credit_left" in first.flags
    assert (second.voucher_cents > 0, second.employer_cents, second.copayment_cents > 0) == (True, 0, True)
    assert Claim.objects.filter(status=Claim.Status.SUBMITTED).count() == 1  # the nursery, for the officer
    assert Claim.objects.filter(status=Claim.Status.APPROVED).count() == 1
    assert reconcile() == []
