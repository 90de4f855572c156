"""The application windows of seed 002 (see cocommissioning/timetable.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from cocommissioning.timetable import SEED_WINDOWS

    Window = apps.get_model("cocommissioning", "ApplicationWindow")
    for model, go_live_on, submit_by, sign_off_on, source in SEED_WINDOWS:
        Window.objects.get_or_create(
            model=model,
            go_live_on=go_live_on,
            archived=False,
            defaults={"submit_by": submit_by, "sign_off_on": sign_off_on, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("cocommissioning", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
