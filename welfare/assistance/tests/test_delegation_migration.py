"""The data migration that turns interview consents and assisted registrations into Delegation rows, run on a
copy of the demo data: every operator's authority over every resident is the same before and after."""

import datetime as dt
import importlib

from django.apps import apps
from django.utils import timezone

from conftest import TRADATE, make_codice_fiscale
from welfare.accounts.access import authority_over
from welfare.accounts.actions import do_issue_activation_code, do_register_assisted_citizen, do_take_over_account
from welfare.accounts.models import AssistedRegistration, CitizenProfile, Delegation, Membership, Role
from welfare.assistance.actions import do_record_interview, do_withdraw_interview_consent
from welfare.assistance.models import Interview
from welfare.portal.tests.test_demo import loaded  # noqa: F401 (fixture: the demo data)
from welfare.territory.models import Municipality, SocialPoint

migration = importlib.import_module("welfare.assistance.migrations.0003_interview_delegation")


def make_history():
    """What a district would hold before the migration: consents, one withdrawn, assisted accounts, one taken over."""
    operator = Membership.objects.filter(role=Role.OPERATOR).select_related("user", "social_point").first()
    point, olga = operator.social_point, operator.user
    residents = list(CitizenProfile.objects.select_related("user").order_by("pk")[:2])
    interview = None
    for profile in residents:
        interview = do_record_interview(
            actor=olga, social_point=point, resident=profile, held_on=timezone.localdate() - dt.timedelta(days=3),
            need_areas=["elderly"], notes="", services=[], follow_up_on=None, outcome="open", consent_given=True,
        )  # fmt: skip
    do_withdraw_interview_consent(interview, actor=olga)
    registered = []
    for number, first_name in enumerate(("Giuseppe", "Maria")):
        registered.append(do_register_assisted_citizen(
            actor=olga, social_point=point, first_name=first_name, last_name="Verdi",
            codice_fiscale=make_codice_fiscale(first_name, "Verdi", dt.date(1940, 1, 1 + number), "Tradate",
                                               "M" if number == 0 else "F"),
            birth_date=dt.date(1940, 1, 1 + number), municipality=Municipality.objects.get(istat_code=TRADATE),
            email="", phone="0331 1", contact_channel="phone", document_type="identity_card", document_number="X1",
            consent_given=True,
        ))  # fmt: skip
    code = do_issue_activation_code(registered[0], actor=olga)
    do_take_over_account(codice_fiscale=registered[0].profile.codice_fiscale, code=code, email="g.verdi@example.org",
                         password="una-password-lunga-42", client="203.0.113.1")  # fmt: skip
    return olga


def authorities(operators, residents):
    def describe(acting):
        return None if acting is None else (acting.powers, acting.members, acting.covers_self, acting.managed)

    return {(o.pk, r.pk): describe(authority_over(o, r)) for o in operators for r in residents}


def test_the_migration_gives_every_operator_the_same_authority_as_before(loaded):  # noqa: F811
    olga = make_history()
    operators = [m.user for m in Membership.objects.filter(role=Role.OPERATOR).select_related("user")]
    residents = [p.user for p in CitizenProfile.objects.select_related("user")]
    expected = authorities(operators, residents)
    assert any(value is not None for value in expected.values())
    # Back to the state before the migration: consents and registrations without their delegation rows.
    Interview.objects.update(delegation=None)
    AssistedRegistration.objects.update(delegation=None)
    Delegation.objects.exclude(source=Delegation.Source.GRANTED).delete()
    assert all(authority_over(olga, r) is None for r in residents if r.pk != olga.pk)
    migration.delegations_from_consents_and_registrations(apps, None)
    assert authorities(operators, residents) == expected
    assert Delegation.objects.filter(source=Delegation.Source.INTERVIEW_CONSENT).count() == Interview.objects.count()
    assert Delegation.objects.filter(source=Delegation.Source.ASSISTED_REGISTRATION).count() == 2
    assert SocialPoint.objects.filter(delegations__isnull=False).distinct().count() == 1
