"""The default reminder rules and the seed's 2015/16 planning calendar (seed 000, 4.1)."""

from django.db import migrations


def seed(apps, schema_editor):
    from timeline.reminders import DEFAULT_RULES
    from timeline.services import SEED_2015

    ReminderRule = apps.get_model("timeline", "ReminderRule")
    CalendarMilestone = apps.get_model("timeline", "CalendarMilestone")
    for name, kind, days, essential in DEFAULT_RULES:
        ReminderRule.objects.get_or_create(
            name=name, defaults={"kind": kind, "working_days": days, "essential": essential}
        )
    if not CalendarMilestone.objects.filter(year=2015).exists():
        for title, description, starts, due, (hub, ccg, region), satisfier in SEED_2015:
            CalendarMilestone.objects.create(
                year=2015,
                title=title,
                description=description,
                starts_on=starts,
                due_on=due,
                for_hub_staff=hub,
                for_ccg_leads=ccg,
                for_regional_teams=region,
                satisfied_by=satisfier,
            )


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
