"""The oversight group's models moved to the `oversight` app, keeping their tables.

State only: `hubs` forgets the models (after every other app's foreign keys name their new home);
the tables and rows stay as they are, now owned by `oversight`.
"""

from django.db import migrations

MOVED = [
    "HistoricalSubGroup_members",
    "HistoricalSubGroup",
    "SubGroup",
    "HistoricalInterest",
    "Interest",
    "HistoricalGroupMember",
    "GroupMember",
    "HistoricalCCGMembership",
    "CCGMembership",
    "HistoricalOversightGroup",
    "OversightGroup",
]


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0003_historicalinterest_historicalsubgroup_subgroup_and_more"),
        ("oversight", "0001_initial"),
        ("accountability", "0002_groups_moved_to_oversight"),
        ("governance", "0002_groups_moved_to_oversight"),
        ("meetings", "0004_groups_moved_to_oversight"),
        ("priorities", "0006_groups_moved_to_oversight"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
            database_operations=[],
        ),
    ]
