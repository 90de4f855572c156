"""The oversight group's models moved from `hubs` to `oversight` with their tables unchanged:
these foreign keys now name the new home. State only: the columns and constraints stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0001_initial'),
        ('priorities', '0005_version_pdf_attempts_claim'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='delivery',
                    name='subgroup',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='oversight.subgroup'),
                ),
                migrations.AlterField(
                    model_name='historicaldelivery',
                    name='subgroup',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.subgroup'),
                ),
                migrations.AlterField(
                    model_name='historicalprioritiesplan',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.oversightgroup'),
                ),
                migrations.AlterField(
                    model_name='historicalproposal',
                    name='suggested_subgroup',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.subgroup'),
                ),
                migrations.AlterField(
                    model_name='prioritiesplan',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='oversight.oversightgroup'),
                ),
                migrations.AlterField(
                    model_name='proposal',
                    name='suggested_subgroup',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='oversight.subgroup'),
                ),
            ],
            database_operations=[],
        ),
    ]
