"""Primary care co-commissioning's dates on the planning timeline (issue 15, "What to build" 3):
each open application window's dates as deadlines for the people they concern, and as
reminder items claimed by the same exactly-once sweep as milestones.

Seed 002, "Implementation timetable" and "Arrangements for 2015/16": CCGs' proposals are due to
the regional office by `submit_by`; the region reviews and approves (joint) or assures and
recommends (delegated) before go-live; the Commissioning Committee signs delegated proposals
off on `sign_off_on`; arrangements go live on 1 April. A window's dates belong to the financial
year they fall in (1 April 2016's proposals were due on 1 June 2015, in 2015/16).

Read in a fixed number of queries: the windows, then the applications for them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from cocommissioning.models import Application, ApplicationCCG, ApplicationWindow, Model
from commissioning.dates import nhs_date

Status = Application.Status
# Still the CCG's to submit: a draft, or returned by the region for changes.
DRAFTING = (Status.DRAFT, Status.CHANGES_REQUESTED)
# Awaiting the region's decision.
WITH_REGION = (Status.SUBMITTED, Status.UNDER_REVIEW)
CLOSED_WITHOUT = (Status.WITHDRAWN, Status.NOT_APPROVED)


@dataclass(frozen=True)
class WindowDate:
    """One date of an application window, shaped as deadline lists read a milestone."""

    key: str
    title: str
    due_on: datetime.date
    description: str = ""
    never_overdue: bool = False  # go-live: the day itself, not a task

    @property
    def pk(self) -> str:  # calendar feeds build their event ids from it
        return self.key


def _for(window: ApplicationWindow) -> str:
    return f"for {nhs_date(window.go_live_on)}"


def proposals_due(window: ApplicationWindow) -> WindowDate:
    noun = "Delegated" if window.model == Model.DELEGATED else "Joint commissioning"
    return WindowDate(
        f"coco-{window.pk}-submit",
        f"{noun} proposals due ({_for(window)})",
        window.submit_by,
        "Proposals go to the regional office (seed 002, Implementation timetable).",
    )


def region_decides(window: ApplicationWindow) -> WindowDate:
    """The region's review: recommended before sign-off (delegated), approved before go-live
    (joint)."""
    if window.model == Model.DELEGATED:
        due = window.sign_off_on or window.go_live_on - datetime.timedelta(days=1)
        title = f"Review and recommend delegated proposals ({_for(window)})"
    else:
        due = window.go_live_on - datetime.timedelta(days=1)
        title = f"Review and approve joint commissioning proposals ({_for(window)})"
    return WindowDate(f"coco-{window.pk}-region", title, due)


def committee_signs_off(window: ApplicationWindow) -> WindowDate:
    return WindowDate(
        f"coco-{window.pk}-sign-off",
        f"Commissioning Committee sign-off of delegated proposals ({_for(window)})",
        window.sign_off_on,
    )


def goes_live(window: ApplicationWindow) -> WindowDate:
    return WindowDate(
        f"coco-{window.pk}-live",
        f"{window.get_model_display()} goes live ({_for(window)})",
        window.go_live_on,
        never_overdue=True,
    )


def open_windows(start: datetime.date, end: datetime.date) -> list[ApplicationWindow]:
    """Open windows with any date between start and end (one query)."""
    windows = ApplicationWindow.objects.filter(
        archived=False, go_live_on__gte=start, submit_by__lte=end
    )
    return list(windows)


def applications_for(windows: list[ApplicationWindow]) -> dict[int, list[Application]]:
    """{window id: its applications}, with their lead CCG's hub and their parties (two queries
    whatever the number)."""
    if not windows:
        return {}
    by_key = {(w.model, w.go_live_on): w.pk for w in windows}
    rows = (
        Application.objects.filter(
            model__in={w.model for w in windows},
            go_live_on__in={w.go_live_on for w in windows},
        )
        .select_related("lead_ccg__hub")
        .prefetch_related(
            Prefetch("parties", queryset=ApplicationCCG.objects.select_related("ccg__hub"))
        )
    )
    result: dict[int, list[Application]] = defaultdict(list)
    for application in rows:
        window_id = by_key.get((application.model, application.go_live_on))
        if window_id is not None:
            result[window_id].append(application)
    return result


def region_ids_of(application: Application) -> set[int]:
    return {p.ccg.hub.region_id for p in application.parties.all()}


def link_to(application: Application | None) -> str:
    """The application's page; the arrangements table when there is none."""
    from django.urls import reverse

    if application is None:
        return reverse("cocommissioning:arrangements")
    return application.get_absolute_url()


def _in_range(day, start, end) -> bool:
    return day is not None and start <= day <= end


def window_deadlines(s, today: datetime.date, start: datetime.date, end: datetime.date) -> list:
    """The window dates between start and end that concern the holder of scopes `s`, as
    deadlines (timeline.status.Deadline). Done, or past with nothing left to do: left out by
    the caller like a milestone. Two or three queries."""
    from .status import Deadline, state_of

    if not (s.ccg_ids or s.region_ids or s.committee):
        return []
    windows = open_windows(start, end)
    if not windows:
        return []
    by_window = applications_for(windows)
    ccgs = {a.ccg_id: a.ccg for a in s.assignments if a.ccg_id in s.ccg_ids}
    regions = {a.region_id: a.region for a in s.assignments if a.region_id in s.region_ids}
    result = []

    def add(when: WindowDate, done: bool, *, application=None, ccg=None, region=None):
        state = state_of(when, done, today)  # past and not done: overdue, or awaited (go-live)
        result.append(Deadline(when, None, state, link_to(application), ccg=ccg, region=region))

    for window in windows:
        applications = [a for a in by_window.get(window.pk, []) if a.status not in CLOSED_WITHOUT]
        submit, live = proposals_due(window), goes_live(window)
        for ccg in ccgs.values():
            mine = next(
                (a for a in applications if ccg.pk in {p.ccg_id for p in a.parties.all()}), None
            )
            if _in_range(submit.due_on, start, end) and ccg.is_valid_on(window.go_live_on):
                if mine is not None:
                    add(submit, mine.status not in DRAFTING, application=mine, ccg=ccg)
                elif submit.due_on >= today:  # nobody must apply: never overdue
                    add(submit, False, ccg=ccg)
            if mine is not None and _in_range(live.due_on, start, end):
                add(live, mine.status == Status.LIVE, application=mine, ccg=ccg)
        for region in regions.values():
            theirs = [a for a in applications if region.pk in region_ids_of(a)]
            decide = region_decides(window)
            pending = [a for a in theirs if a.status in WITH_REGION]
            if _in_range(decide.due_on, start, end) and (pending or decide.due_on >= today):
                add(decide, bool(theirs) and not pending and not _drafting(theirs), region=region)
            if theirs and _in_range(live.due_on, start, end):
                add(live, all(a.status == Status.LIVE for a in theirs), region=region)
        if s.committee and window.model == Model.DELEGATED:
            if window.sign_off_on and _in_range(window.sign_off_on, start, end):
                pending = [a for a in applications if a.status == Status.RECOMMENDED]
                sign_off = committee_signs_off(window)
                if pending or sign_off.due_on >= today:
                    add(sign_off, False if pending else sign_off.due_on < today)
            approved = [a for a in applications if a.status == Status.IMPLEMENTING]
            if approved and _in_range(live.due_on, start, end):
                add(live, False)
    return result


def _drafting(applications) -> bool:
    return any(a.status in DRAFTING for a in applications)
