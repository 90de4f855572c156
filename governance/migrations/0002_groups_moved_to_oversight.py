"""The oversight group's models moved from `hubs` to `oversight` with their tables unchanged:
these foreign keys now name the new home. State only: the columns and constraints stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0001_initial'),
        ('oversight', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='governancedocument',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='oversight.oversightgroup'),
                ),
            ],
            database_operations=[],
        ),
    ]
