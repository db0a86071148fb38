# Accreditation moves from vouchers to the catalogue (catalogue and care read it; vouchers build on it).
# The tables keep their names: this changes Django's picture of the models, not the database.

import uuid

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def audit_targets_follow_the_model(apps, schema_editor):
    """The audit trail names its targets by content type: the accreditations' rows keep theirs, renamed."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("accreditation", "accreditationcall"):
        if not ContentType.objects.filter(app_label="catalogue", model=model).exists():
            ContentType.objects.filter(app_label="vouchers", model=model).update(app_label="catalogue")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_search_vector"),
        ("vouchers", "0002_queue_and_inbox_indexes"),  # the tables exist: only Django's picture of them moves
        ("contenttypes", "0002_remove_content_type_name"),
        ("territory", "0002_socialpoint_slot_minutes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccreditationCall",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("opens_on", models.DateField(verbose_name="applications open on")),
                        ("closes_on", models.DateField(verbose_name="applications close on")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "district",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="accreditation_calls",
                                to="territory.district",
                            ),
                        ),
                        (
                            "kinds",
                            models.ManyToManyField(
                                db_table="vouchers_accreditationcall_kinds",
                                related_name="+",
                                to="catalogue.taxonomyterm",
                                verbose_name="kinds of service",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "accreditation call",
                        "verbose_name_plural": "accreditation calls",
                        "db_table": "vouchers_accreditationcall",
                        "ordering": ["-opens_on", "title"],
                    },
                ),
                migrations.CreateModel(
                    name="Accreditation",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        (
                            "hourly_tariff_cents",
                            models.PositiveIntegerField(
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="hourly tariff in cents",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("submitted", "Waiting for review"),
                                    ("approved", "Accredited"),
                                    ("returned", "Returned for changes"),
                                ],
                                default="submitted",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                        ("valid_until", models.DateField(blank=True, null=True, verbose_name="valid until")),
                        ("returned_reason", models.TextField(blank=True, verbose_name="reason for returning")),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "kind",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="catalogue.taxonomyterm",
                                verbose_name="kind of service",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="accreditations",
                                to="catalogue.organization",
                            ),
                        ),
                        (
                            "services",
                            models.ManyToManyField(
                                db_table="vouchers_accreditation_services",
                                related_name="accreditations",
                                to="catalogue.service",
                                verbose_name="services offered",
                            ),
                        ),
                        (
                            "submitted_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "call",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="accreditations",
                                to="catalogue.accreditationcall",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "accreditation",
                        "verbose_name_plural": "accreditations",
                        "db_table": "vouchers_accreditation",
                        "ordering": ["organization__name", "kind__position"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="accreditationcall",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("closes_on__gte", models.F("opens_on"))), name="call_dates_ordered"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="accreditation",
                    constraint=models.UniqueConstraint(
                        fields=("call", "organization", "kind"), name="accreditation_unique_per_call_kind"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="accreditation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "approved"), _negated=True),
                            models.Q(("valid_from__isnull", False), ("valid_until__gte", models.F("valid_from"))),
                            _connector="OR",
                        ),
                        name="accreditation_approved_has_validity",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(audit_targets_follow_the_model, migrations.RunPython.noop),
    ]
