"""The seeded calendars (2015/16 and every year rolled forward from it) brought to seed 000 §4.1
exactly: the milestones the first seed made are updated in place (their completions and
reminders keep pointing at them), the two it lacked are added, and the one it invented (ready
for the first peer review by 15 May) is archived, not deleted."""

from django.db import migrations

def _shift(day, years):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def forward(apps, schema_editor):
    from timeline.cycle import ARCHIVED, RENAMED, SEED_2015

    CalendarMilestone = apps.get_model("timeline", "CalendarMilestone")
    legacy = set(RENAMED) | set(ARCHIVED)
    years = sorted(
        set(CalendarMilestone.objects.filter(title__in=legacy).values_list("year", flat=True))
    )
    old_title = {new: old for old, new in RENAMED.items()}
    for year in years:
        rows = {m.title: m for m in CalendarMilestone.objects.filter(year=year)}
        for seed in SEED_2015:
            fields = seed.fields()
            fields["starts_on"] = _shift(seed.starts_on, year - 2015)
            fields["due_on"] = _shift(seed.due_on, year - 2015)
            row = rows.get(old_title.get(seed.title, seed.title)) or rows.get(seed.title)
            if row is None:
                CalendarMilestone.objects.create(year=year, **fields)
                continue
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
        for title in ARCHIVED:
            row = rows.get(title)
            if row is not None and not row.archived:
                row.archived = True
                row.save()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0003_milestone_sources_audiences_and_engagement_meetings")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
