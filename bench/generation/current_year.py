"""The current financial year in the ICB era (issue 13): each hub's current group drafts its
plan, and the footprint's ICB leads (Role.CCG_LEAD on an ICB row) propose its priorities."""

import datetime

from priorities.models import Assessor, Criterion, PrioritiesPlan, Proposal
from priorities.services import DEFAULT_CRITERIA

from .constants import ASSESSORS_PER_PLAN, PROPOSALS_PER_PLAN, SERVICES, VERBS
from .helpers import at, bulk, money


class CurrentYearSteps:
    """This year's plans, still in draft, with proposals submitted by ICB leads."""

    def current_plans(self) -> None:
        rng, year = self.rng, self.current_year
        start = datetime.date(year, 4, 1)
        self.era(year)
        plans = [
            PrioritiesPlan(
                group=self.group[hub.pk],
                year=year,
                status=PrioritiesPlan.Status.DRAFT,
                context=f"{hub.name}'s specialised services for {year}/{(year + 1) % 100:02d}, "
                "as the Integrated Care Boards of the footprint proposed.",
                risks="Workforce; provider capacity over winter.",
                version=1,
                created_at=at(datetime.date(year - 1, 10, 15)),
            )
            for hub in self.hubs
        ]
        bulk(PrioritiesPlan, plans, self.counts)
        criteria, assessors, proposals, affected = [], [], [], []
        through = Proposal.ccgs_affected.through
        for hub, plan in zip(self.hubs, plans, strict=True):
            criteria += [
                Criterion(plan=plan, name=name, weight=weight, order=i)
                for i, (name, weight) in enumerate(DEFAULT_CRITERIA)
            ]
            assessors += [
                Assessor(plan=plan, user=u) for u in self.staff[hub.pk][:ASSESSORS_PER_PLAN]
            ]
            icbs = self.footprint(hub, start)
            for _ in range(PROPOSALS_PER_PLAN):
                icb = rng.choice(icbs)
                lead = self.lead_of(icb.pk, start)
                place = icb.name.removeprefix("NHS ").removesuffix(" Integrated Care Board")
                service = rng.choice(SERVICES)
                proposals.append(
                    Proposal(
                        plan=plan,
                        ccg=icb,
                        proposed_by=lead or rng.choice(self.staff[hub.pk]),
                        title=f"{rng.choice(VERBS)} {service} in {place}",
                        programme_of_care=rng.choice(self.programmes),
                        service=service.capitalize(),
                        problem=f"Patients in {place} wait longer for {service} than elsewhere.",
                        benefits="Shorter waits and care closer to home.",
                        qipp_savings=money(rng, 20_000, 2_000_000),
                        costs=money(rng, 0, 500_000),
                        status=Proposal.Status.SUBMITTED
                        if rng.random() < 0.8
                        else Proposal.Status.DRAFT,
                        suggested_subgroup=rng.choice(self.subgroups[hub.pk]),
                        version=2,
                        created_at=at(datetime.date(year, 3, rng.randint(1, 28))),
                    )
                )
                affected.append((proposals[-1], icb))
        bulk(Criterion, criteria, self.counts)
        bulk(Assessor, assessors, self.counts)
        bulk(Proposal, proposals, self.counts)
        bulk(through, [through(proposal_id=p.pk, ccg_id=c.pk) for p, c in affected], self.counts)
