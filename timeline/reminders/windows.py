"""Reminders of co-commissioning's application windows (issue 15, "What to build" 3), claimed
by the same exactly-once sweep as milestones:

- a CCG lead whose application for a window is still a draft, or returned for changes, is
  reminded before the window's `submit_by` (and while it is overdue), escalating to the
  region's team; a partner CCG's lead who has not confirmed taking part is reminded with them;
- Commissioning Committee members are reminded of each application the region has recommended
  before the window's `sign_off_on`, escalating to national admins.

Seed 002, "Implementation timetable" and "Arrangements for 2015/16".
"""

import datetime

from django.db.models import OuterRef, Q, Subquery

from cocommissioning.models import Application, ApplicationWindow, Model
from commissioning.dates import nhs_date

from ..cocommissioning import DRAFTING, Status, link_to
from .items import Item, Recipients


def window_items(start: datetime.date, end: datetime.date, people: Recipients) -> list[Item]:
    """Items for the open windows' dates between start and end: one query, and one for the
    CCGs taking part when there are applications to remind of."""
    items: list[Item] = []
    for application in _due(start, end):
        hub = application.lead_ccg.hub
        ccg = application.lead_ccg
        what = f"{ccg.name}, {application.get_model_display().lower()}"
        what += f" from {nhs_date(application.go_live_on)}"
        submit_by, sign_off_on = application.window_submit_by, application.window_sign_off_on
        if application.status in DRAFTING and start <= submit_by <= end:
            to = set(people.ccg_leads[ccg.pk])
            for party in application.parties.all():
                if party.ccg_id != ccg.pk and party.confirmed_at is None:
                    to |= people.ccg_leads[party.ccg_id]
            items.append(
                Item(
                    key=f"coco-submit:{application.pk}:{submit_by:%Y%m%d}",
                    title=f"Submit your co-commissioning proposal ({what})",
                    due_on=submit_by,
                    link=link_to(application),
                    hub_id=hub.pk,
                    region_id=hub.region_id,
                    recipients=tuple(sorted(to)),
                    escalate_to=tuple(sorted(people.regional[hub.region_id])),
                )
            )
        if application.status == Status.RECOMMENDED and sign_off_on and start <= sign_off_on <= end:
            items.append(
                Item(
                    key=f"coco-sign-off:{application.pk}:{sign_off_on:%Y%m%d}",
                    title=f"Commissioning Committee sign-off ({what})",
                    due_on=sign_off_on,
                    link=link_to(application),
                    hub_id=hub.pk,
                    region_id=hub.region_id,
                    recipients=tuple(sorted(people.committee)),
                    escalate_to=tuple(sorted(people.national)),
                )
            )
    return items


def _due(start: datetime.date, end: datetime.date):
    """Drafts whose window is due between start and end, and recommended delegated applications
    whose window's sign-off is, each with its window's dates."""
    window = ApplicationWindow.objects.filter(
        archived=False, model=OuterRef("model"), go_live_on=OuterRef("go_live_on")
    )
    return (
        Application.objects.annotate(
            window_submit_by=Subquery(window.values("submit_by")[:1]),
            window_sign_off_on=Subquery(window.values("sign_off_on")[:1]),
        )
        .filter(
            Q(status__in=DRAFTING, window_submit_by__range=(start, end))
            | Q(
                status=Status.RECOMMENDED,
                model=Model.DELEGATED,
                window_sign_off_on__range=(start, end),
            )
        )
        .select_related("lead_ccg__hub")
        .prefetch_related("parties")
        .order_by("pk")
    )
