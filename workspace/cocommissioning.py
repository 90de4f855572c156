"""Each role's primary care co-commissioning tasks for My work (issue 15, "What to build" 2):

- CCG leads: their CCG's drafts, applications returned for changes, the region's questions
  awaiting an answer, and joint applications waiting for their CCG to confirm it takes part;
- regional teams: applications from their region's CCGs submitted for review, and under review;
- Commissioning Committee members: delegated applications the region has recommended, awaiting
  sign-off (seed 002, "Model 3: Delegated arrangements" and "Sign-off and approvals").

At most three queries whatever the number of applications: the applications (with their lead
CCG), their CCGs, and the conversations of the CCG leads' applications.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from accounts.permissions import scopes
from cocommissioning.models import Application, ApplicationCCG, Message, Model
from timeline.cocommissioning import link_to

Status = Application.Status
CCG_SEES = [
    Status.DRAFT,
    Status.CHANGES_REQUESTED,
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.RECOMMENDED,
]
REGION_SEES = [Status.SUBMITTED, Status.UNDER_REVIEW]


@dataclass
class CCGTasks:
    drafts: list = field(default_factory=list)
    changes_requested: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    confirmations: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.drafts or self.changes_requested or self.questions or self.confirmations)


@dataclass
class RegionTasks:
    submitted: list = field(default_factory=list)
    under_review: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.submitted or self.under_review)


@dataclass
class CoTasks:
    ccgs: dict = field(default_factory=lambda: defaultdict(CCGTasks))  # ccg id → tasks
    regions: dict = field(default_factory=lambda: defaultdict(RegionTasks))  # region id → tasks
    sign_off: list = field(default_factory=list)  # the committee's


def co_tasks(user) -> CoTasks:
    s = scopes(user)
    tasks = CoTasks()
    if not (s.ccg_ids or s.region_ids or s.committee):
        return tasks
    wanted = Q(pk__in=[])
    if s.ccg_ids:
        wanted |= Q(parties__ccg__in=s.ccg_ids, status__in=CCG_SEES)
    if s.region_ids:
        wanted |= Q(parties__ccg__hub__region__in=s.region_ids, status__in=REGION_SEES)
    if s.committee:
        wanted |= Q(model=Model.DELEGATED, status=Status.RECOMMENDED)
    applications = list(
        Application.objects.filter(pk__in=Application.objects.filter(wanted).values("pk"))
        .select_related("lead_ccg")
        .prefetch_related(
            Prefetch("parties", queryset=ApplicationCCG.objects.select_related("ccg__hub"))
        )
        .order_by("go_live_on", "lead_ccg__name", "pk")
    )
    if not applications:
        return tasks
    asked = _unanswered(
        [a.pk for a in applications if s.ccg_ids & {p.ccg_id for p in a.parties.all()}]
    )
    for application in applications:
        application.link = link_to(application)
        parties = list(application.parties.all())
        for party in parties:
            if party.ccg_id in s.ccg_ids:
                _for_ccg(tasks.ccgs[party.ccg_id], application, party, asked)
        if application.status in REGION_SEES:
            for region_id in {p.ccg.hub.region_id for p in parties} & s.region_ids:
                region = tasks.regions[region_id]
                if application.status == Status.SUBMITTED:
                    region.submitted.append(application)
                else:
                    region.under_review.append(application)
        recommended = application.status == Status.RECOMMENDED
        if s.committee and recommended and application.model == Model.DELEGATED:
            tasks.sign_off.append(application)
    return tasks


def _for_ccg(mine: CCGTasks, application, party, asked: dict) -> None:
    is_lead = party.ccg_id == application.lead_ccg_id
    if is_lead and application.status == Status.DRAFT:
        mine.drafts.append(application)
    elif is_lead and application.status == Status.CHANGES_REQUESTED:
        mine.changes_requested.append(application)
    if not is_lead and party.confirmed_at is None and application.is_editable:
        mine.confirmations.append(application)
    if application.pk in asked and application not in mine.questions:
        application.question = asked[application.pk]
        mine.questions.append(application)


def _unanswered(application_ids: list[int]) -> dict[int, Message]:
    """{application id: the region's latest question} where no answer came after it."""
    if not application_ids:
        return {}
    latest: dict[int, Message] = {}
    for message in Message.objects.filter(
        application_id__in=application_ids, kind__in=[Message.Kind.QUESTION, Message.Kind.ANSWER]
    ).order_by("at", "pk"):
        latest[message.application_id] = message
    return {pk: m for pk, m in latest.items() if m.kind == Message.Kind.QUESTION}
