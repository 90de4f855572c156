"""Existing rows that name the moved models by app follow them from `hubs` to `oversight`:
content types (so permissions and admin history still resolve) and audit events' targets
(so a group's history page still shows what was done before the move)."""

from django.db import migrations

MODELS = [
    "oversightgroup",
    "ccgmembership",
    "groupmember",
    "interest",
    "subgroup",
    "historicaloversightgroup",
    "historicalccgmembership",
    "historicalgroupmember",
    "historicalinterest",
    "historicalsubgroup",
    "historicalsubgroup_members",
]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("commissioning", "AuditEvent")
    for model in MODELS:
        old_type = ContentType.objects.filter(app_label=old, model=model)
        if old_type.exists():
            # A type made under the new label by a post_migrate run in between would clash;
            # the old one carries the permissions that may be granted, so it is the one kept.
            ContentType.objects.filter(app_label=new, model=model).delete()
            old_type.update(app_label=new)
        AuditEvent.objects.filter(target_type=f"{old}.{model}").update(
            target_type=f"{new}.{model}"
        )


def forwards(apps, schema_editor):
    _relabel(apps, "hubs", "oversight")


def backwards(apps, schema_editor):
    _relabel(apps, "oversight", "hubs")


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("hubs", "0004_groups_moved_to_oversight"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("commissioning", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
