"""Each group's priorities plan a year: criteria, assessors, scored proposals, their
delivery, frozen as a submitted version."""

import datetime
from collections import defaultdict
from decimal import Decimal

from priorities.models import (
    Assessor,
    Criterion,
    Delivery,
    DeliveryUpdate,
    Milestone,
    PlanVersion,
    PrioritiesPlan,
    Proposal,
    Score,
)
from priorities.services import DEFAULT_CRITERIA

from .constants import (
    ASSESSORS_PER_PLAN,
    DEFERRED_PER_PLAN,
    INCLUDED_PER_PLAN,
    MILESTONE_TITLES,
    PROPOSALS_PER_PLAN,
    SERVICES,
    VERBS,
)
from .helpers import at, bulk, money, month_end


class PlanSteps:
    """Each group's priorities plan a year, frozen as a submitted version."""

    def plans(self, year: int) -> dict[int, PlanVersion]:
        rng = self.rng
        plans = [
            PrioritiesPlan(
                group=self.group[hub.pk],
                year=year,
                status=PrioritiesPlan.Status.ASSURED,
                context=f"{hub.name}'s specialised services for {year}/{(year + 1) % 100:02d}: "
                "access, quality and equity across the footprint, as the CCGs proposed.",
                delivery_arrangements="Each priority has a lead and a delivery sub-group that "
                "reports to the group monthly.",
                finance="QIPP savings are counted once, against the priority that makes them.",
                risks="Workforce in smaller units; provider capacity over winter.",
                version=3,
                created_at=at(datetime.date(year - 1, 10, 15)),
            )
            for hub in self.hubs
        ]
        bulk(PrioritiesPlan, plans, self.counts)
        self.plan_of = {p.group.hub_id: p for p in plans}

        criteria, assessors = [], []
        for p in plans:
            criteria += [
                Criterion(plan=p, name=name, weight=weight, order=i)
                for i, (name, weight) in enumerate(DEFAULT_CRITERIA)
            ]
            hub_staff = self.staff[p.group.hub_id]
            assessors += [Assessor(plan=p, user=u) for u in hub_staff[:ASSESSORS_PER_PLAN]]
        bulk(Criterion, criteria, self.counts)
        bulk(Assessor, assessors, self.counts)
        criteria_of = defaultdict(list)
        for c in criteria:
            criteria_of[c.plan_id].append(c)
        maximum = 5 * sum(w for _, w in DEFAULT_CRITERIA)

        proposals, scores, affected = [], [], []
        by_plan: dict[int, list[Proposal]] = {}
        start = datetime.date(year, 4, 1)
        for hub in self.hubs:
            p = self.plan_of[hub.pk]
            footprint = self.footprint(hub, start)
            staff = self.staff[hub.pk]
            rows, weighted = [], []
            for _ in range(PROPOSALS_PER_PLAN):
                ccg = rng.choice(footprint) if rng.random() < 0.85 else None
                proposer = (self.lead_of(ccg.pk, start) if ccg else None) or rng.choice(staff)
                service = rng.choice(SERVICES)
                place = ccg.name.removeprefix("NHS ").removesuffix(" CCG") if ccg else hub.name
                qipp = money(rng, 20_000, 2_000_000)
                proposal = Proposal(
                    plan=p,
                    ccg=ccg,
                    proposed_by=proposer,
                    title=f"{rng.choice(VERBS)} {service} in {place}",
                    programme_of_care=rng.choice(self.programmes),
                    service=service.capitalize(),
                    problem=f"Patients in {place} wait longer for {service} than elsewhere in "
                    "the region, and outcomes vary by provider.",
                    issues="Access and equity: travel times for rural patients.",
                    population=f"About {rng.randrange(200, 20000, 100)} patients a year.",
                    benefits="Shorter waits, fewer out-of-area placements, better outcomes.",
                    qipp_savings=qipp,
                    costs=money(rng, 0, 500_000),
                    risks="Provider workforce.",
                    suggested_subgroup=rng.choice(self.subgroups[hub.pk]),
                    version=4,
                    created_at=at(datetime.date(year, 3, rng.randint(1, 28))),
                )
                rows.append(proposal)
                quality = rng.uniform(1.0, 4.5)
                per_assessor = []
                for assessor in staff[:ASSESSORS_PER_PLAN]:
                    total = 0
                    for c in criteria_of[p.pk]:
                        value = min(5, max(0, round(quality + rng.gauss(0, 0.8))))
                        total += value * c.weight
                        scores.append(
                            Score(proposal=proposal, criterion=c, assessor=assessor, value=value)
                        )
                    per_assessor.append(100 * total / maximum)
                weighted.append(sum(per_assessor) / len(per_assessor))
            # The 40 best-scored are included, the next 30 deferred, the rest not included.
            order = sorted(range(len(rows)), key=lambda i: (-weighted[i], rows[i].title))
            for rank, i in enumerate(order):
                row = rows[i]
                if rank < INCLUDED_PER_PLAN:
                    row.status, row.rationale = Proposal.Status.INCLUDED, "Scored highly."
                elif rank < INCLUDED_PER_PLAN + DEFERRED_PER_PLAN:
                    row.status, row.rationale = Proposal.Status.DEFERRED, "Next year's plan."
                else:
                    row.status = Proposal.Status.NOT_INCLUDED
                    row.rationale = "Scored below the line."
            proposals += rows
            by_plan[p.pk] = rows
        bulk(Proposal, proposals, self.counts)
        for s in scores:
            s.proposal_id = s.proposal.pk
        bulk(Score, scores, self.counts)
        through = Proposal.ccgs_affected.through
        for hub in self.hubs:
            footprint = self.footprint(hub, start)
            for proposal in by_plan[self.plan_of[hub.pk].pk]:
                chosen = {proposal.ccg_id} if proposal.ccg_id else set()
                chosen |= {c.pk for c in rng.sample(footprint, min(2, len(footprint)))}
                affected += [through(proposal_id=proposal.pk, ccg_id=c) for c in sorted(chosen)]
        bulk(through, affected, self.counts)

        deliveries, milestones, updates = [], [], []
        milestones_of: dict[int, list[Milestone]] = defaultdict(list)
        for hub in self.hubs:
            p = self.plan_of[hub.pk]
            for proposal in by_plan[p.pk]:
                if proposal.status != Proposal.Status.INCLUDED:
                    continue
                deliveries.append(
                    Delivery(
                        proposal=proposal,
                        lead=rng.choice(self.members[hub.pk]).full_name,
                        subgroup=proposal.suggested_subgroup,
                        kpis="Median wait; out-of-area placements; patient experience.",
                        qipp_target=proposal.qipp_savings,
                        version=2,
                    )
                )
                for title, (month, day) in MILESTONE_TITLES:
                    due = datetime.date(year + (month < 4), month, day)
                    if due < self.as_of:
                        roll = rng.random()
                        status = (
                            Milestone.Status.DONE
                            if roll < 0.85
                            else Milestone.Status.MISSED
                            if roll < 0.95
                            else Milestone.Status.IN_PROGRESS
                        )
                    else:
                        status = rng.choice(
                            [Milestone.Status.PLANNED, Milestone.Status.IN_PROGRESS]
                        )
                    m = Milestone(
                        proposal=proposal,
                        title=title,
                        due_date=due,
                        status=status,
                        version=1 if status == Milestone.Status.PLANNED else 2,
                    )
                    milestones.append(m)
                    milestones_of[id(proposal)].append(m)
                target, realised = proposal.qipp_savings, Decimal(0)
                pace = rng.uniform(0.5, 1.1)
                for k in range(12):
                    month = 4 + k
                    day = month_end(year + (month - 1) // 12, (month - 1) % 12 + 1)
                    realised = min(
                        target, (target * Decimal(pace * (k + 1) / 12)).quantize(Decimal(1))
                    )
                    updates.append(
                        DeliveryUpdate(
                            proposal=proposal,
                            rag=rng.choices(["green", "amber", "red"], [6, 3, 1])[0],
                            commentary=f"Progress to {day:%B %Y}: on the plan's trajectory.",
                            qipp_realised=realised,
                            reported_on=day,
                            author=rng.choice(self.staff[hub.pk]),
                            created_at=at(day, 16),
                        )
                    )
        bulk(Delivery, deliveries, self.counts)
        bulk(Milestone, milestones, self.counts)
        bulk(DeliveryUpdate, updates, self.counts)

        frozen_on = datetime.date(year, 5, 1)
        versions = [
            PlanVersion(
                plan=p,
                number=1,
                status=PrioritiesPlan.Status.SUBMITTED,
                content=self.snapshot(hub, p, by_plan[p.pk], milestones_of, frozen_on),
                frozen_at=at(frozen_on),
                frozen_by=self.staff[hub.pk][0],
            )
            for hub in self.hubs
            for p in [self.plan_of[hub.pk]]
        ]
        bulk(PlanVersion, versions, self.counts)
        return {v.plan.group.hub_id: v for v in versions}

    def snapshot(self, hub, plan, proposals, milestones_of, day: datetime.date) -> dict:
        """priorities.services.snapshot's shape, from the rows in hand, as on `day`."""
        included = sorted(
            (p for p in proposals if p.status == Proposal.Status.INCLUDED), key=lambda p: p.title
        )
        footprint = self.footprint(hub, day)
        return {
            "title": f"{hub.name} priorities plan {plan.year_label}",
            "hub": hub.name,
            "group": plan.group.name,
            "year": plan.year_label,
            "status": PrioritiesPlan.Status.SUBMITTED.label,
            "taken_on": day.isoformat(),
            "sections": {
                f: getattr(plan, f)
                for f in ["context", "delivery_arrangements", "finance", "risks"]
            },
            "governance": {
                "members": len(self.members[hub.pk]),
                "covered": len(footprint),
                "footprint": len(footprint),
                "coverage_percent": 100,
                "not_covered": [],
                "terms_agreed": self.agreed[hub.pk].isoformat(),
                "agreement_agreed": self.agreed[hub.pk].isoformat(),
            },
            "priorities": [
                {
                    "title": p.title,
                    "ccg": p.ccg.name if p.ccg else "Hub staff",
                    "programme_of_care": p.programme_of_care.name,
                    "benefits": p.benefits,
                    "qipp_savings": str(p.qipp_savings),
                    "costs": str(p.costs),
                }
                for p in included
            ],
            # At submission nothing is yet reported or done: every milestone is still due.
            "delivery": [
                {
                    "title": p.title,
                    "rag": "",
                    "target": str(p.qipp_savings),
                    "realised": "0",
                    "milestones_done": 0,
                    "milestones_due": len(milestones_of[id(p)]),
                    "milestones_overdue": 0,
                }
                for p in included
            ],
            "milestones": sorted(
                (
                    {
                        "due_date": m.due_date.isoformat(),
                        "priority": p.title,
                        "title": m.title,
                        "status": Milestone.Status.PLANNED.label,
                    }
                    for p in included
                    for m in milestones_of[id(p)]
                ),
                key=lambda row: row["due_date"],
            ),
        }
