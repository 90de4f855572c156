"""The default reminder rules and the seed's 2015/16 planning calendar (seed 000, 4.1)."""

import datetime

from django.db import migrations

# The first seed, frozen here as it was (migration 0004 brings it to seed 000 §4.1 exactly).
SEED_2015 = [
    (
        "Guidance published",
        "National guidance on collaborative commissioning oversight groups is published.",
        None,
        datetime.date(2015, 3, 6),
        (False, False, True),
        "manual",
    ),
    (
        "Hub workshop with its CCGs",
        "Review governance, share priority areas (access, quality, equity) and agree emerging "
        "priorities.",
        datetime.date(2015, 3, 1),
        datetime.date(2015, 3, 31),
        (True, True, False),
        "meeting_held",
    ),
    (
        "CCG priority proposals submitted",
        "Each CCG proposes its priorities for the hub's plan.",
        datetime.date(2015, 3, 15),
        datetime.date(2015, 4, 24),
        (False, True, False),
        "proposal_submitted",
    ),
    (
        "Draft governance proposal and priorities plan",
        "Each hub has a draft proposal for its governance and a service priorities plan.",
        datetime.date(2015, 4, 1),
        datetime.date(2015, 5, 8),
        (True, False, False),
        "plan_submitted",
    ),
    (
        "Ready for the first peer review",
        "The hub declares readiness for the peer review of its plan and governance.",
        datetime.date(2015, 5, 1),
        datetime.date(2015, 5, 15),
        (True, False, False),
        "readiness_declared",
    ),
    (
        "First peer review and assurance of plans",
        "Peer review and assurance of each hub's plan, by the end of May.",
        datetime.date(2015, 5, 1),
        datetime.date(2015, 5, 29),
        (False, False, True),
        "first_report_issued",
    ),
    (
        "Input into national commissioning intentions",
        "Input into next year's national commissioning intentions; revised local priorities.",
        datetime.date(2015, 9, 1),
        datetime.date(2015, 9, 30),
        (True, True, False),
        "manual",
    ),
    (
        "Next year's plan started",
        "Develop next year's plan, capturing the full-year benefits of this year's priorities.",
        datetime.date(2015, 10, 1),
        datetime.date(2015, 10, 30),
        (True, False, False),
        "next_plan_started",
    ),
    (
        "Second peer review",
        "Improvements made, how the collaborative functions, and learning to share.",
        datetime.date(2015, 12, 1),
        datetime.date(2016, 3, 31),
        (False, False, True),
        "second_report_issued",
    ),
    (
        "Planning and contracting for next year",
        "Finalise planning and support contracting for the next financial year.",
        datetime.date(2016, 1, 4),
        datetime.date(2016, 3, 31),
        (True, False, False),
        "manual",
    ),
]



def seed(apps, schema_editor):
    from timeline.reminders import DEFAULT_RULES

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
