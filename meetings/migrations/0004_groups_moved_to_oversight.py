"""The oversight group's models moved from `hubs` to `oversight` with their tables unchanged:
these foreign keys now name the new home. State only: the columns and constraints stay."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_papers'),
        ('oversight', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='attendance',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='oversight.groupmember'),
                ),
                migrations.AlterField(
                    model_name='declaration',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='oversight.groupmember'),
                ),
                migrations.AlterField(
                    model_name='historicalattendance',
                    name='member',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.groupmember'),
                ),
                migrations.AlterField(
                    model_name='historicaldeclaration',
                    name='member',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.groupmember'),
                ),
                migrations.AlterField(
                    model_name='historicalmeeting',
                    name='group',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.oversightgroup'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='oversight.oversightgroup'),
                ),
            ],
            database_operations=[],
        ),
    ]
