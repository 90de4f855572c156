"""The oversight group's models moved from `hubs` to `oversight` with their tables unchanged:
these foreign keys now name the new home. State only: the columns and constraints stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accountability', '0001_initial'),
        ('oversight', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalracimatrix',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.oversightgroup'),
                ),
                migrations.AlterField(
                    model_name='racimatrix',
                    name='group',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='raci', to='oversight.oversightgroup'),
                ),
            ],
            database_operations=[],
        ),
    ]
