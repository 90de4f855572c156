"""Each group's 12 held meetings a year: agendas, attendance, actions, recommendations."""

import datetime

from meetings.models import Action, AgendaItem, Attendance, Meeting, Recommendation

from .constants import (
    ACTIONS,
    ACTIONS_PER_MEETING,
    AGENDA,
    ITEMS_PER_MEETING,
    MEETINGS_PER_YEAR,
    SERVICES,
)
from .helpers import at, bulk, third_tuesday


class MeetingSteps:
    """Each group's 12 held meetings a year: agendas, attendance, actions, recommendations."""

    def meetings(self, year: int) -> None:
        rng = self.rng
        meetings, plan = [], []  # plan: (meeting, hub, month index)
        for hub in self.hubs:
            group = self.group[hub.pk]
            for n in range(MEETINGS_PER_YEAR):
                month = 3 + n  # March (the workshop) to February
                day = third_tuesday(year + (month - 1) // 12, (month - 1) % 12 + 1)
                online = rng.random() < 0.3
                meetings.append(
                    Meeting(
                        group=group,
                        title="Hub workshop with CCGs" if n == 0 else "Oversight group meeting",
                        starts_at=at(day, 13, 30),
                        online=online,
                        location="" if online else f"{hub.name} hub offices",
                        status=Meeting.Status.HELD,
                        minutes=f"The group met on {day:%-d %B %Y}. The chair welcomed "
                        "members; the minutes of the last meeting were agreed.",
                        version=4,
                        created_by=self.staff[hub.pk][0],
                    )
                )
                plan.append((meetings[-1], hub, n))
        bulk(Meeting, meetings, self.counts)

        items, attendance, recommendations = [], [], []
        items_of: dict[int, list[AgendaItem]] = {}
        for meeting, hub, n in plan:
            chosen = [
                AGENDA[0],
                AGENDA[1],
                *rng.sample(AGENDA[2:-1], ITEMS_PER_MEETING - 3),
                AGENDA[-1],
            ]
            mine = []
            for number, (title, purpose) in enumerate(chosen, start=1):
                decided = purpose == AgendaItem.Purpose.DECISION
                mine.append(
                    AgendaItem(
                        meeting=meeting,
                        number=number,
                        title=title,
                        purpose=purpose,
                        summary=f"Paper {number} for the {meeting.title.lower()}.",
                        concerns="Regional teaching hospitals NHS trust"
                        if title.startswith("Service")
                        else "",
                        decision="Agreed." if decided else "",
                        version=2,
                    )
                )
            items += mine
            items_of[id(meeting)] = mine
            for i, member in enumerate(self.members[hub.pk]):
                roll = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if i == 0 or roll < 0.8
                    else Attendance.Status.APOLOGIES
                    if roll < 0.95
                    else Attendance.Status.ABSENT
                )
                attendance.append(Attendance(meeting=meeting, member=member, status=status))
            if n % 3 == 2:
                made_on = meeting.starts_at.date()
                awaiting = made_on + datetime.timedelta(days=40) > self.as_of
                recommendations.append(
                    Recommendation(
                        meeting=meeting,
                        title=f"Commission {rng.choice(SERVICES)} from a single network",
                        detail="The group recommends a single provider network for the "
                        "footprint, to reduce variation in outcomes.",
                        made_on=made_on,
                        status=Recommendation.Status.AWAITING
                        if awaiting
                        else rng.choice(
                            [
                                Recommendation.Status.ACCEPTED,
                                Recommendation.Status.ACCEPTED_WITH_CHANGES,
                                Recommendation.Status.NOT_ACCEPTED,
                            ]
                        ),
                        rationale=""
                        if awaiting
                        else "Considered at the regional team's commissioning meeting.",
                        responded_at=None
                        if awaiting
                        else at(made_on + datetime.timedelta(days=21)),
                        responded_by=None if awaiting else self.team[hub.region_id][0],
                        version=1 if awaiting else 2,
                    )
                )
        bulk(AgendaItem, items, self.counts)
        bulk(Attendance, attendance, self.counts)
        bulk(Recommendation, recommendations, self.counts)

        actions = []
        for meeting, hub, _ in plan:
            for _ in range(ACTIONS_PER_MEETING):
                due = meeting.starts_at.date() + datetime.timedelta(days=21)
                status = (
                    Action.Status.OPEN
                    if due > self.as_of - datetime.timedelta(days=30)
                    else Action.Status.DROPPED
                    if rng.random() < 0.05
                    else Action.Status.DONE
                )
                actions.append(
                    Action(
                        meeting=meeting,
                        item=rng.choice(items_of[id(meeting)][1:]),
                        description=rng.choice(ACTIONS),
                        owner=rng.choice(self.members[hub.pk]).full_name,
                        due_date=due,
                        status=status,
                        version=1 if status == Action.Status.OPEN else 2,
                    )
                )
        bulk(Action, actions, self.counts)
