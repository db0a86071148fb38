# Every "acting for" becomes a Delegation row (accounts.access.authority_over reads only that table):
# the consent recorded in an interview, and an assisted registration not yet taken over.

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def delegations_from_consents_and_registrations(apps, schema_editor):
    Delegation = apps.get_model("accounts", "Delegation")
    AssistedRegistration = apps.get_model("accounts", "AssistedRegistration")
    Interview = apps.get_model("assistance", "Interview")
    for interview in Interview.objects.filter(delegation__isnull=True).order_by("held_on", "pk"):
        interview.delegation = Delegation.objects.create(
            source="interview_consent",
            granter_id=interview.resident_id,
            delegate_social_point_id=interview.social_point_id,
            may_request=True,
            may_manage_vouchers=False,
            covers_self=True,
            covers_all_members=True,
            starts_on=min(interview.held_on, interview.consent_until),
            ends_on=interview.consent_until,
            created_by_id=interview.operator_id,
        )  # fmt: skip  (a withdrawn consent already ends yesterday: its delegation is over by its dates)
        interview.save(update_fields=["delegation"])
    for registration in AssistedRegistration.objects.filter(delegation__isnull=True).select_related("profile"):
        registration.delegation = Delegation.objects.create(
            source="assisted_registration", granter_id=registration.profile_id,
            delegate_social_point_id=registration.social_point_id, may_request=True, may_manage_vouchers=True,
            covers_self=True, covers_all_members=True, starts_on=timezone.localdate(registration.created_at),
            ends_on=dt.date.max, created_by_id=registration.operator_id, revoked_at=registration.taken_over_at,
            revoked_by_id=registration.profile.user_id if registration.taken_over_at else None,
        )  # fmt: skip
        registration.save(update_fields=["delegation"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_delegation_sources"),
        ("assistance", "0002_appointment_contact_and_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="interview",
            name="delegation",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="interview",
                to="accounts.delegation",
            ),
        ),
        migrations.RunPython(delegations_from_consents_and_registrations, migrations.RunPython.noop),
    ]
