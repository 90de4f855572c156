"""The planning calendar of each year, its manual milestones done by every hub."""

import datetime

from timeline.cycle import SEED_2015
from timeline.models import CalendarMilestone, MilestoneCompletion

from .helpers import at, bulk, shift_year


class CalendarSteps:
    """The planning calendar of each year, its manual milestones done by every hub."""

    def calendar(self, year: int) -> None:
        existing = list(
            CalendarMilestone.objects.filter(year=year, archived=False).order_by("due_on", "pk")
        )
        if not existing:
            shift = year - 2015
            existing = bulk(
                CalendarMilestone,
                [
                    CalendarMilestone(
                        year=year,
                        **{
                            **seed.fields(),
                            "starts_on": shift_year(seed.starts_on, shift),
                            "due_on": shift_year(seed.due_on, shift),
                        },
                    )
                    for seed in SEED_2015  # seed 000 §4.1 (timeline/cycle.py)
                ],
                self.counts,
            )
        done = []
        for m in existing:
            if m.satisfied_by != "manual" or m.due_on - datetime.timedelta(days=3) > self.today:
                continue  # the current year's later milestones are still to come
            for hub in self.hubs:
                by = self.staff[hub.pk][0] if m.for_hub_staff else self.team[hub.region_id][0]
                done.append(
                    MilestoneCompletion(
                        milestone=m,
                        hub=hub,
                        completed_by=by,
                        completed_at=at(m.due_on - datetime.timedelta(days=3)),
                        note="Done.",
                    )
                )
        bulk(MilestoneCompletion, done, self.counts)
