"""The oversight group's models, moved from `hubs` with their tables (`hubs_*`, history included).
State only: the tables exist already, so migrating an existing database changes no table."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('hubs', '0003_historicalinterest_historicalsubgroup_subgroup_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='GroupMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('full_name', models.CharField(max_length=150)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('organisation', models.CharField(max_length=200)),
                        ('sector', models.CharField(choices=[('nhs_england', 'NHS England'), ('ccg', 'CCG'), ('phe', 'Public Health England'), ('ppv', 'Patient and public voice'), ('local_authority', 'Local authority'), ('voluntary', 'Voluntary sector'), ('provider', 'Provider')], max_length=20)),
                        ('role', models.CharField(choices=[('chair', 'Chair'), ('vice_chair', 'Vice chair'), ('clinical_lead', 'Clinical lead'), ('finance_lead', 'Finance lead'), ('member', 'Member'), ('observer', 'Observer')], default='member', max_length=20)),
                        ('voting', models.BooleanField(default=True)),
                        ('start_date', models.DateField()),
                        ('end_date', models.DateField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('ccg', models.ForeignKey(blank=True, help_text='For CCG members: the CCG they speak for.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='hubs.ccg')),
                    ],
                    options={
                        'db_table': 'hubs_groupmember',
                        'ordering': ['end_date', 'role', 'full_name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalInterest',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('financial', 'Financial interest'), ('professional', 'Non-financial professional interest'), ('personal', 'Non-financial personal interest'), ('indirect', 'Indirect interest (through a close relative or associate)')], max_length=15)),
                        ('organisation', models.CharField(help_text='The organisation the interest is in, for example a provider.', max_length=200)),
                        ('description', models.CharField(max_length=300)),
                        ('valid_from', models.DateField(verbose_name='From')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='To')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.groupmember')),
                    ],
                    options={
                        'verbose_name': 'historical interest',
                        'verbose_name_plural': 'historical interests',
                        'db_table': 'hubs_historicalinterest',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalOversightGroup',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('kind', models.CharField(choices=[('oversight_group', 'Collaborative commissioning oversight group'), ('strategy_board', 'Specialised commissioning strategy board (ICS)')], default='oversight_group', max_length=20)),
                        ('status', models.CharField(choices=[('forming', 'Forming'), ('active', 'Active'), ('closed', 'Closed')], default='forming', max_length=10)),
                        ('start_date', models.DateField()),
                        ('closed_on', models.DateField(blank=True, null=True)),
                        ('purpose', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('hub', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.hub')),
                    ],
                    options={
                        'verbose_name': 'historical oversight group',
                        'verbose_name_plural': 'historical oversight groups',
                        'db_table': 'hubs_historicaloversightgroup',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='OversightGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('kind', models.CharField(choices=[('oversight_group', 'Collaborative commissioning oversight group'), ('strategy_board', 'Specialised commissioning strategy board (ICS)')], default='oversight_group', max_length=20)),
                        ('status', models.CharField(choices=[('forming', 'Forming'), ('active', 'Active'), ('closed', 'Closed')], default='forming', max_length=10)),
                        ('start_date', models.DateField()),
                        ('closed_on', models.DateField(blank=True, null=True)),
                        ('purpose', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('hub', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='groups', to='hubs.hub')),
                    ],
                    options={
                        'db_table': 'hubs_oversightgroup',
                        'ordering': ['hub__name', '-start_date'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSubGroup',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('focus_kind', models.CharField(choices=[('pathway', 'Pathway (for example, cardiology)'), ('geography', 'Geography')], max_length=10, verbose_name='Focus')),
                        ('focus', models.CharField(max_length=200, verbose_name='Pathway or area')),
                        ('terms', models.TextField(blank=True, verbose_name='Terms (remit)')),
                        ('status', models.CharField(choices=[('active', 'Active'), ('closed', 'Closed')], default='active', max_length=8)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('lead', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.groupmember')),
                        ('group', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.oversightgroup')),
                    ],
                    options={
                        'verbose_name': 'historical sub group',
                        'verbose_name_plural': 'historical sub groups',
                        'db_table': 'hubs_historicalsubgroup',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalGroupMember',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('full_name', models.CharField(max_length=150)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('organisation', models.CharField(max_length=200)),
                        ('sector', models.CharField(choices=[('nhs_england', 'NHS England'), ('ccg', 'CCG'), ('phe', 'Public Health England'), ('ppv', 'Patient and public voice'), ('local_authority', 'Local authority'), ('voluntary', 'Voluntary sector'), ('provider', 'Provider')], max_length=20)),
                        ('role', models.CharField(choices=[('chair', 'Chair'), ('vice_chair', 'Vice chair'), ('clinical_lead', 'Clinical lead'), ('finance_lead', 'Finance lead'), ('member', 'Member'), ('observer', 'Observer')], default='member', max_length=20)),
                        ('voting', models.BooleanField(default=True)),
                        ('start_date', models.DateField()),
                        ('end_date', models.DateField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('ccg', models.ForeignKey(blank=True, db_constraint=False, help_text='For CCG members: the CCG they speak for.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.ccg')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.oversightgroup')),
                    ],
                    options={
                        'verbose_name': 'historical group member',
                        'verbose_name_plural': 'historical group members',
                        'db_table': 'hubs_historicalgroupmember',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalCCGMembership',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('status', models.CharField(choices=[('invited', 'Invited'), ('member', 'Member'), ('represented', 'Represented by another CCG'), ('declined', 'Declined (not represented)'), ('withdrawn', 'Withdrawn (not represented)')], default='invited', max_length=12)),
                        ('invited_at', models.DateTimeField()),
                        ('responded_at', models.DateTimeField(blank=True, null=True)),
                        ('note', models.CharField(blank=True, max_length=300)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('ccg', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.ccg')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('invited_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('represented_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.ccg')),
                        ('responded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.oversightgroup')),
                    ],
                    options={
                        'verbose_name': 'historical ccg membership',
                        'verbose_name_plural': 'historical ccg memberships',
                        'db_table': 'hubs_historicalccgmembership',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='groupmember',
                    name='group',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='oversight.oversightgroup'),
                ),
                migrations.CreateModel(
                    name='CCGMembership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('invited', 'Invited'), ('member', 'Member'), ('represented', 'Represented by another CCG'), ('declined', 'Declined (not represented)'), ('withdrawn', 'Withdrawn (not represented)')], default='invited', max_length=12)),
                        ('invited_at', models.DateTimeField()),
                        ('responded_at', models.DateTimeField(blank=True, null=True)),
                        ('note', models.CharField(blank=True, max_length=300)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('ccg', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='hubs.ccg')),
                        ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('represented_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='representing', to='hubs.ccg')),
                        ('responded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ccgs', to='oversight.oversightgroup')),
                    ],
                    options={
                        'db_table': 'hubs_ccgmembership',
                        'ordering': ['ccg__name'],
                    },
                ),
                migrations.CreateModel(
                    name='SubGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('focus_kind', models.CharField(choices=[('pathway', 'Pathway (for example, cardiology)'), ('geography', 'Geography')], max_length=10, verbose_name='Focus')),
                        ('focus', models.CharField(max_length=200, verbose_name='Pathway or area')),
                        ('terms', models.TextField(blank=True, verbose_name='Terms (remit)')),
                        ('status', models.CharField(choices=[('active', 'Active'), ('closed', 'Closed')], default='active', max_length=8)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subgroups', to='oversight.oversightgroup')),
                        ('lead', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='oversight.groupmember')),
                        ('members', models.ManyToManyField(blank=True, related_name='subgroups', to='oversight.groupmember')),
                    ],
                    options={
                        'db_table': 'hubs_subgroup',
                        'ordering': ['status', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalSubGroup_members',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('groupmember', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.groupmember')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='oversight.historicalsubgroup')),
                        ('subgroup', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='oversight.subgroup')),
                    ],
                    options={
                        'verbose_name': 'HistoricalSubGroup_members',
                        'db_table': 'hubs_historicalsubgroup_members',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Interest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('financial', 'Financial interest'), ('professional', 'Non-financial professional interest'), ('personal', 'Non-financial personal interest'), ('indirect', 'Indirect interest (through a close relative or associate)')], max_length=15)),
                        ('organisation', models.CharField(help_text='The organisation the interest is in, for example a provider.', max_length=200)),
                        ('description', models.CharField(max_length=300)),
                        ('valid_from', models.DateField(verbose_name='From')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='To')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='interests', to='oversight.groupmember')),
                    ],
                    options={
                        'db_table': 'hubs_interest',
                        'ordering': ['member__full_name', '-valid_from'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='interest_to_after_from')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='oversightgroup',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'closed'), _negated=True), fields=('hub',), name='oversight_group_one_open_per_hub'),
                ),
                migrations.AddConstraint(
                    model_name='oversightgroup',
                    constraint=models.CheckConstraint(condition=models.Q(('closed_on__isnull', True), ('closed_on__gte', models.F('start_date')), _connector='OR'), name='oversight_group_closed_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='oversightgroup',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_on__isnull', False), ('status', 'closed')), models.Q(('status', 'closed'), _negated=True), _connector='OR'), name='oversight_group_closed_has_date'),
                ),
                migrations.AddConstraint(
                    model_name='groupmember',
                    constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='group_member_end_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='groupmember',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('ccg__isnull', False), ('sector', 'ccg')), models.Q(('sector', 'ccg'), _negated=True), _connector='OR'), name='group_member_ccg_sector_names_ccg'),
                ),
                migrations.AddConstraint(
                    model_name='ccgmembership',
                    constraint=models.UniqueConstraint(fields=('group', 'ccg'), name='ccg_membership_once_per_group'),
                ),
                migrations.AddConstraint(
                    model_name='ccgmembership',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('represented_by__isnull', False), ('status', 'represented')), models.Q(models.Q(('status', 'represented'), _negated=True), ('represented_by__isnull', True)), _connector='OR'), name='ccg_membership_represented_has_representative'),
                ),
                migrations.AddConstraint(
                    model_name='ccgmembership',
                    constraint=models.CheckConstraint(condition=models.Q(('represented_by', models.F('ccg')), _negated=True), name='ccg_membership_not_self_represented'),
                ),
                migrations.AddConstraint(
                    model_name='subgroup',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('group', 'name'), name='subgroup_name_unique_while_active'),
                ),
            ],
            database_operations=[],
        ),
    ]
