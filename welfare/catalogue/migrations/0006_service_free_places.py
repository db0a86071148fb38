# `Service.capacity` held the number of families a service can take now: its name says so at last.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_accreditation_moves_to_catalogue")]

    operations = [migrations.RenameField(model_name="service", old_name="capacity", new_name="free_places")]
