"""The 2015/16 planning cycle exactly as seed 000 §4.1 sets it, one entry per milestone, each
citing the section it comes from. `calendar_seed` copies it (shifted) to any year; a rolled-forward
year copies the previous year's live milestones, with the same rules."""

import datetime
from dataclasses import dataclass

from .models import Satisfier

D = datetime.date
S411 = "Seed 000 §4.1.1"
S412 = "Seed 000 §4.1.2"


@dataclass(frozen=True)
class Seed:
    title: str
    description: str
    section: str
    starts_on: datetime.date | None
    due_on: datetime.date
    national: bool
    hub: bool
    ccg: bool
    region: bool
    satisfied_by: str
    every_ccg: bool = False

    def fields(self) -> dict:
        return {
            "title": self.title,
            "description": self.description,
            "section": self.section,
            "starts_on": self.starts_on,
            "due_on": self.due_on,
            "for_national_admins": self.national,
            "for_hub_staff": self.hub,
            "for_ccg_leads": self.ccg,
            "for_regional_teams": self.region,
            "satisfied_by": self.satisfied_by,
            "every_ccg": self.every_ccg,
        }


GUIDANCE = "Guidance published"
GROUP = "Oversight group in each hub"
WORKSHOP = "Hub workshop with its CCGs"
CO_DESIGN = "Co-design of governance and priorities"
ARRANGEMENTS = "Proposals for the collaborative arrangements developed"
PLAN = "Draft governance proposal and priorities plan"
FIRST_REVIEW = "First peer review invited"
INTENTIONS = "Input into national commissioning intentions"
NEXT_PLAN = "Next year's plan under way"
SECOND_REVIEW = "Second peer review"
CONTRACTING = "Planning and contracting for next year"

SEED_2015 = [
    Seed(
        GUIDANCE,
        "National guidance to support local discussions on collaborative commissioning is "
        "published (4 March 2015). It concerns everyone; nobody is overdue for it.",
        f"{S411} (timeline: early March 2015)",
        None,
        D(2015, 3, 4),
        True,
        True,
        True,
        True,
        Satisfier.NATIONAL_DONE,
    ),
    Seed(
        GROUP,
        "Collaborative commissioning arrangements develop from 1 April 2015: each hub's "
        "oversight group has started.",
        f"{S411} (from 1 April 2015)",
        None,
        D(2015, 4, 1),
        False,
        True,
        False,
        False,
        Satisfier.GROUP_STARTED,
    ),
    Seed(
        WORKSHOP,
        "Each hub engages its CCGs in a workshop or meeting: review the governance "
        "arrangements, share key priority areas (access, quality, equity) and agree a set of "
        "emerging priorities.",
        f"{S411} (during March 2015)",
        D(2015, 3, 1),
        D(2015, 3, 31),
        False,
        True,
        True,
        False,
        Satisfier.ENGAGEMENT_HELD,
    ),
    Seed(
        CO_DESIGN,
        "A coordinated process of co-design with CCGs and NHS England: governance arrangements "
        "and priorities for service change. Each CCG of the footprint takes part by proposing "
        "its priorities for the hub's plan.",
        f"{S411} (timeline: March/April 2015)",
        D(2015, 3, 1),
        D(2015, 4, 30),
        False,
        True,
        True,
        False,
        Satisfier.PROPOSAL_SUBMITTED,
        every_ccg=True,
    ),
    Seed(
        ARRANGEMENTS,
        "Proposals for the collaborative commissioning arrangements are developed further, "
        "led by the NHS England regional team in partnership with CCGs: the hub's governance "
        "proposal (terms of reference or collaboration agreement).",
        f"{S411} (during April 2015)",
        D(2015, 4, 1),
        D(2015, 4, 30),
        False,
        False,
        True,
        True,
        Satisfier.GOVERNANCE_DRAFTED,
    ),
    Seed(
        PLAN,
        "Each hub has a draft proposal setting out its collaborative commissioning arrangement "
        "and a service priorities plan to work on (the plan sets out the proposed governance "
        "and the priority areas for QIPP and service change).",
        f"{S411} (by the end of April/early May 2015)",
        D(2015, 4, 27),
        D(2015, 5, 8),
        False,
        True,
        False,
        False,
        Satisfier.PLAN_SUBMITTED,
    ),
    Seed(
        FIRST_REVIEW,
        "Once the hub is ready, and by the end of May 2015, the region invites a peer review of "
        "the plan and the proposed governance arrangements (it may be earlier: at the point of "
        "readiness).",
        f"{S411} (by end May 2015)",
        None,
        D(2015, 5, 31),
        False,
        False,
        False,
        True,
        Satisfier.FIRST_REVIEW_INVITED,
    ),
    Seed(
        INTENTIONS,
        "The oversight group gives guidance and input into national commissioning intentions "
        "for next year and develops revised local commissioning priorities.",
        f"{S412} (September 2015)",
        D(2015, 9, 1),
        D(2015, 9, 30),
        False,
        True,
        True,
        False,
        Satisfier.MANUAL,
    ),
    Seed(
        NEXT_PLAN,
        "The oversight group develops next year's plan, capturing the planned full-year "
        "benefits of this year's priorities work.",
        f"{S412} (October 2015)",
        D(2015, 10, 1),
        D(2015, 10, 31),
        False,
        True,
        False,
        False,
        Satisfier.NEXT_PLAN_STARTED,
    ),
    Seed(
        SECOND_REVIEW,
        "The region invites a second peer review: improvements made, how the collaborative "
        "functions, further areas for improvement and learning to share with other hubs.",
        f"{S412} (December 2015 to March 2016)",
        D(2015, 12, 1),
        D(2016, 3, 31),
        False,
        False,
        False,
        True,
        Satisfier.SECOND_REVIEW_INVITED,
    ),
    Seed(
        CONTRACTING,
        "The oversight group finalises planning and supports contracting for next year: for hub "
        "staff and CCGs.",
        f"{S412} (January to March 2016)",
        D(2016, 1, 1),
        D(2016, 3, 31),
        False,
        True,
        True,
        False,
        Satisfier.MANUAL,
    ),
]

# The titles the first seed (migration 0002) gave, and what each becomes; the data migration
# updates those rows in place. "Ready for the first peer review" (an invented 15 May deadline)
# goes: archived, with its history.
RENAMED = {
    "Guidance published": GUIDANCE,
    "Hub workshop with its CCGs": WORKSHOP,
    "CCG priority proposals submitted": CO_DESIGN,
    "Draft governance proposal and priorities plan": PLAN,
    "First peer review and assurance of plans": FIRST_REVIEW,
    "Input into national commissioning intentions": INTENTIONS,
    "Next year's plan started": NEXT_PLAN,
    "Second peer review": SECOND_REVIEW,
    "Planning and contracting for next year": CONTRACTING,
}
ARCHIVED = ["Ready for the first peer review"]
