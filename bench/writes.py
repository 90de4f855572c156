"""Writes as hub staff make them, for the load benchmark (bench/load.py).

While a page is measured, a write every few seconds goes through the product's own services,
each in its transaction, so that it invalidates cached pages exactly as real work does (whatever
the page cache does about writes; see commissioning/pagecache.py). The kinds take turns:

- proposal text: a draft proposal of the hub's current plan, its problem edited and saved;
- meeting action: an action of the group's latest meeting, its description edited;
- delivery update: a RAG update recorded on a priority of the plan the pages show (a new row);
- milestone status: a milestone of that plan moved between planned and in progress;
- notification: an inbox entry for each of the hub's staff (new rows);
- review recommendation: progress reported on a recommendation of the review the pages show.

Each lands in a hub at random ("spread", as work across the country does) or always in one
hub ("one-hub": by default the hub whose pages are measured, the worst case). "before" is
"spread" with each write invalidating every cached page (PAGE_CACHE_SCOPED off in this, the
writing, process), as before issue 20: the same run shows the change's before and after.
Edits are made in place and undone by the next edit of the same record (a suffix added,
then taken off; a status moved, then moved back), so repeated runs leave the data as they
found it but for a few small new rows (delivery updates, notifications, and the audit and
history rows every write makes).
"""

import datetime
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

SUFFIX = " (revised)"
KINDS = (
    "proposal text",
    "meeting action",
    "delivery update",
    "milestone status",
    "notification",
    "review recommendation",
)
MODES = ("between", "before", "spread", "one-hub")
SAMPLE = 20  # records of each kind per hub to write to


def measured(hub):
    """(group, plan, meeting, review) of `hub` as the load benchmark shows them: its first
    group, that group's latest plan and meeting, and the hub's latest peer review."""
    from meetings.models import Meeting
    from oversight.models import OversightGroup
    from priorities.models import PrioritiesPlan
    from reviews.models import PeerReview

    group = OversightGroup.objects.filter(hub=hub).order_by("pk").first()
    if group is None:
        return None, None, None, None
    plan = PrioritiesPlan.objects.filter(group=group).order_by("-year").first()
    meeting = Meeting.objects.filter(group=group).order_by("-starts_at").first()
    review = PeerReview.objects.filter(hub=hub).order_by("-cycle__year", "cycle__kind").first()
    return group, plan, meeting, review


def _text(value: str, limit: int) -> str:
    """`value` with SUFFIX added, or taken off if it is there."""
    if value.endswith(SUFFIX):
        return value[: -len(SUFFIX)]
    return value[: limit - len(SUFFIX)] + SUFFIX


@dataclass
class HubWork:
    """One hub's records that writes go to (ids, re-read at each write) and who writes."""

    slug: str
    staff: object  # the hub's first member of staff: who edits and records
    staff_ids: list[int]
    plan_url: str = ""
    records: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, hub) -> "HubWork | None":
        from accounts.models import Role, RoleAssignment, User
        from meetings.models import Action
        from priorities.models import Milestone, PrioritiesPlan, Proposal
        from reviews.models import ReviewRecommendation
        from reviews.services.report import issued_recommendation_ids

        staff = list(
            RoleAssignment.objects.active()
            .filter(role=Role.HUB_STAFF, hub=hub, user__is_active=True)
            .order_by("pk")
            .values_list("user_id", flat=True)
        )
        _, plan, meeting, review = measured(hub)
        if not staff or plan is None:
            return None
        current = PrioritiesPlan.objects.filter(group__hub=hub).order_by("-year").first()
        included = Proposal.objects.filter(plan=plan, status=Proposal.Status.INCLUDED)
        issued = issued_recommendation_ids(review) if review else set()
        records = {
            "proposal text": Proposal.objects.filter(plan=current, status__in=Proposal.EDITABLE),
            "meeting action": Action.objects.filter(meeting=meeting),
            "delivery update": included,
            "milestone status": Milestone.objects.filter(
                proposal__in=included,
                status__in=[Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS],
            ),
            "review recommendation": ReviewRecommendation.objects.filter(
                pk__in=issued, archived=False
            ),
        }
        return cls(
            slug=hub.slug,
            staff=User.objects.get(pk=staff[0]),
            staff_ids=staff,
            plan_url=plan.get_absolute_url(),
            records={
                kind: list(rows.order_by("pk").values_list("pk", flat=True)[:SAMPLE])
                for kind, rows in records.items()
            }
            | {"notification": staff},
        )

    def can(self, kind: str) -> bool:
        return bool(self.records.get(kind))


def _proposal_text(work: HubWork, pk: int) -> None:
    from priorities.models import Proposal
    from priorities.services import proposals

    proposal = Proposal.objects.get(pk=pk)
    proposals.proposal_update(
        by=proposal.proposed_by or work.staff,
        proposal=proposal,
        version=proposal.version,
        ccgs_affected=list(proposal.ccgs_affected.all()),
        problem=_text(proposal.problem, 100_000),
    )


def _meeting_action(work: HubWork, pk: int) -> None:
    from meetings import services
    from meetings.models import Action

    action = Action.objects.get(pk=pk)
    services.action_update(
        by=work.staff,
        action=action,
        version=action.version,
        description=_text(action.description, 300),
    )


def _delivery_update(work: HubWork, pk: int) -> None:
    from priorities.models import DeliveryUpdate, Proposal
    from priorities.services import delivery

    proposal = Proposal.objects.select_related("plan").get(pk=pk)
    delivery.update_add(
        by=work.staff,
        proposal=proposal,
        rag=DeliveryUpdate.Rag.values[pk % len(DeliveryUpdate.Rag.values)],
        commentary="Reviewed at the delivery sub-group (a write by bench/load.py).",
        qipp_realised=Decimal(1000),
        reported_on=datetime.date(proposal.plan.year + 1, 3, 31),
    )


def _milestone_status(work: HubWork, pk: int) -> None:
    from priorities.models import Milestone
    from priorities.services import delivery

    milestone = Milestone.objects.get(pk=pk)
    planned = milestone.status == Milestone.Status.PLANNED
    delivery.milestone_set_status(
        by=work.staff,
        milestone=milestone,
        version=milestone.version,
        status=Milestone.Status.IN_PROGRESS if planned else Milestone.Status.PLANNED,
    )


def _notification(work: HubWork, pk: int) -> None:
    from timeline.notifications import notify

    notify(
        user_ids=work.staff_ids,
        title="A delivery update was recorded on your hub's plan",
        link=work.plan_url,
        body="A write by bench/load.py.",
    )


def _review_recommendation(work: HubWork, pk: int) -> None:
    from reviews.models import ReviewRecommendation
    from reviews.services import response

    recommendation = ReviewRecommendation.objects.get(pk=pk)
    status, note = recommendation.status, recommendation.closure_note
    if status == ReviewRecommendation.Status.CLOSED:
        note = _text(note or "Done.", 100_000)  # closed stays closed: its note edited
    elif status == ReviewRecommendation.Status.OPEN:
        status = ReviewRecommendation.Status.IN_PROGRESS
    else:
        status = ReviewRecommendation.Status.OPEN
    response.recommendation_progress(
        by=work.staff,
        recommendation=recommendation,
        version=recommendation.version,
        status=status,
        note=note,
    )


WRITE = {
    "proposal text": _proposal_text,
    "meeting action": _meeting_action,
    "delivery update": _delivery_update,
    "milestone status": _milestone_status,
    "notification": _notification,
    "review recommendation": _review_recommendation,
}


class Writer:
    """Makes the writes: `with writer.during("spread"):` writes every `every` seconds in a
    thread (its own database connection) until the block ends. Kinds take turns across calls;
    records and hubs are drawn from a seeded random sequence, so runs repeat."""

    def __init__(self, hubs: list, *, every: float, one_hub: str, seed: int = 2015):
        self.work = [w for w in (HubWork.of(hub) for hub in hubs) if w is not None]
        self.one_hub = next(w for w in self.work if w.slug == one_hub)
        self.every = every
        self.seed = seed
        self.random = random.Random(seed)
        self.turn = 0
        self.done: dict[str, Counter] = {mode: Counter() for mode in MODES}
        self.refused: dict[str, Counter] = {mode: Counter() for mode in MODES}
        self.seconds: dict[str, float] = dict.fromkeys(MODES, 0.0)

    def during(self, mode: str, start: int = 0) -> "_Writing":
        """Writes for one page in one mode. Every mode of a page starts at the same `start`
        (the page's number): the same kinds in the same hubs, so its modes compare; the kinds
        move on from page to page."""
        self.turn = (start * 2) % len(KINDS)
        self.random = random.Random(self.seed + start)
        return _Writing(self, mode)

    def write(self, mode: str) -> None:
        """One write, in its transaction, of the next kind the hub has records for."""
        from django.conf import settings
        from django.db import transaction

        from commissioning.concurrency import ConflictError
        from commissioning.errors import RuleError

        work = self.one_hub if mode == "one-hub" else self.random.choice(self.work)
        kinds = [KINDS[(self.turn + i) % len(KINDS)] for i in range(len(KINDS))]
        kind = next(k for k in kinds if work.can(k))
        self.turn = KINDS.index(kind) + 1
        pk = self.random.choice(work.records[kind])
        started = time.perf_counter()
        # The writer decides what a write invalidates (commissioning/pagedeps.py).
        settings.PAGE_CACHE_SCOPED = mode != "before"
        try:
            with transaction.atomic():
                WRITE[kind](work, pk)
        except (RuleError, ConflictError):
            self.refused[mode][kind] += 1  # the product refused it: counted, reported
        else:
            self.done[mode][kind] += 1
        self.seconds[mode] += time.perf_counter() - started

    def summary(self, mode: str) -> str:
        done, refused = self.done[mode], self.refused[mode]
        total = sum(done.values())
        if not total and not refused:
            return f"{mode}: no writes"
        where = "all in " + self.one_hub.slug if mode == "one-hub" else "hubs at random"
        kinds = ", ".join(f"{kind} {done[kind]}" for kind in KINDS if done[kind])
        return (
            f"{mode}: {total} writes ({where}; {kinds}), {sum(refused.values())} refused, "
            f"{1000 * self.seconds[mode] / max(1, total):.0f} ms each"
        )


class _Writing:
    def __init__(self, writer: Writer, mode: str):
        self.writer, self.mode = writer, mode
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from django.db import connection

        started = time.monotonic()
        try:
            n = 1
            while not self.stop.wait(max(0.0, started + n * self.writer.every - time.monotonic())):
                self.writer.write(self.mode)
                n += 1
        finally:
            connection.close()  # this thread's own

    def __enter__(self):
        if self.mode != "between" and self.writer.every:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()
