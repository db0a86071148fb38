# Accreditation now lives in the catalogue (catalogue 0005): its tables stay as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0002_queue_and_inbox_indexes"),
        ("catalogue", "0005_accreditation_moves_to_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="accreditation",
                    name="accreditation_unique_per_call_kind",
                ),
                migrations.RemoveConstraint(
                    model_name="accreditation",
                    name="accreditation_approved_has_validity",
                ),
                migrations.RemoveConstraint(
                    model_name="accreditationcall",
                    name="call_dates_ordered",
                ),
                migrations.RemoveField(
                    model_name="accreditationcall",
                    name="district",
                ),
                migrations.RemoveField(
                    model_name="accreditationcall",
                    name="kinds",
                ),
                migrations.DeleteModel(
                    name="Accreditation",
                ),
                migrations.DeleteModel(
                    name="AccreditationCall",
                ),
            ],
            database_operations=[],
        ),
    ]
