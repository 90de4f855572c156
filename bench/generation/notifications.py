"""Twenty notifications for every generated person, the last five unread."""

import datetime

from priorities.models import PrioritiesPlan
from timeline.models import Notification

from .constants import NOTIFICATIONS_PER_USER, UNREAD_PER_USER
from .helpers import at, bulk


class NotificationSteps:
    """Twenty notifications for every generated person, the last five unread."""

    def notifications(self) -> None:
        rng = self.rng
        last = self.years[-1]
        hub_of = {u.pk: hub for hub in self.all_hubs for u in self.staff[hub.pk]}
        region_of = {u.pk: r for r in self.regions for u in self.team[r.pk]}
        lead_hub = {}
        for hub in self.all_hubs:
            for ccg in self.ccgs_by_hub[hub.pk]:
                for user, _, _ in self.lead_spells.get(ccg.pk, []):
                    lead_hub.setdefault(user.pk, hub)
        plans = {
            p.group.hub_id: p.pk
            for p in PrioritiesPlan.objects.filter(year=last).select_related("group")
        }
        made = []
        start = datetime.date(last, 4, 1)
        for user in self.users:
            hub = hub_of.get(user.pk) or lead_hub.get(user.pk)
            if user.pk in hub_of and hub.pk in plans:
                link = f"/plans/{plans[hub.pk]}/"
            elif hub is not None:
                link = f"/timeline/hubs/{hub.slug}/"
            elif user.pk in region_of:
                link = "/reviews/"
            else:
                link = "/timeline/"
            for k in range(NOTIFICATIONS_PER_USER):
                when = at(start + datetime.timedelta(days=18 * k + rng.randrange(0, 5)), 7)
                essential = rng.random() < 0.2
                made.append(
                    Notification(
                        user=user,
                        title=rng.choice(
                            [
                                "Reminder: draft governance proposal and priorities plan due",
                                "Due today: ready for the first peer review",
                                "Overdue: input into national commissioning intentions",
                                "Reminder: a meeting action is due in 3 working days",
                                "Overdue: a peer review recommendation",
                            ]
                        ),
                        body="Open it to see what is due and where to record it.",
                        link=link,
                        essential=essential,
                        created_at=when,
                        read_at=None
                        if k >= NOTIFICATIONS_PER_USER - UNREAD_PER_USER
                        else when + datetime.timedelta(hours=3),
                    )
                )
        bulk(Notification, made, self.counts)
