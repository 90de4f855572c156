"""Helpers for the evaluations' tests (issue 17, "What to build" 6): North East and Cumbria's
2015/16 plan with an included priority (with its delivery target and KPIs) and a deferred one,
London's plan for another hub, and a snapshot of everything a refused change must leave."""

import datetime
from decimal import Decimal

import pytest

from commissioning.models import AuditEvent
from evaluations import services
from evaluations.models import Evaluation
from hubs.models import CCG, Hub, ProgrammeOfCare
from ideas.models import Post
from oversight import services as group_services
from priorities import services as plans
from tests.priorities.helpers import included, submitted


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def audited(verb: str):
    return AuditEvent.objects.filter(verb=f"evaluations.{verb}")


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(
            Evaluation.objects.values_list(
                "pk",
                "rating",
                "qipp_realised",
                "benefits",
                "theme",
                "version",
                "archived_at",
                "library_shared_at",
                "idea_post",
            ),
            key=str,
        ),
        Evaluation.history.count(),
        Post.objects.count(),
        AuditEvent.objects.filter(verb__startswith="evaluations.").count(),
    )


FIELDS = {
    "rating": "partly_met",
    "qipp_realised": Decimal(180000),
    "theme": "pathway",
    "benefits": "Mortality after aneurysm repair fell from 4.1% to 2.6%.",
    "working": "One referral pathway worked; follow-up moved slowly.",
    "perverse_incentives": "Spoke hospitals lost tariff income.",
    "blockages": "Interventional radiology recruitment.",
    "good_practice": "A joint monthly governance meeting.",
}


def evaluate(by, proposal, **overrides) -> Evaluation:
    return services.evaluation_record(by=by, proposal=proposal, **{**FIELDS, **overrides})


def form_data(**overrides) -> dict:
    return {k: str(v) for k, v in {**FIELDS, **overrides}.items()}


@pytest.fixture
def group(nec_hub_officer):
    """North East and Cumbria's oversight group, with Sunderland CCG invited."""
    group = group_services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC Group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    return group


@pytest.fixture
def plan(group, nec_hub_officer):
    return plans.plan_create(by=nec_hub_officer, group=group, year=2015)


@pytest.fixture
def priority(plan, sunderland_lead, nec_hub_officer):
    """Vascular surgery, included in the 2015/16 plan, with a £200,000 QIPP target and KPIs."""
    proposal = included(plan, sunderland_lead, nec_hub_officer, "Two arterial centres")
    proposal.programme_of_care = ProgrammeOfCare.objects.get(name="Internal Medicine")
    proposal.benefits = "Lower mortality; 24/7 interventional radiology."
    proposal.save(update_fields=["programme_of_care", "benefits"])
    plans.delivery_set(
        by=nec_hub_officer,
        proposal=proposal,
        lead="Dr Vascular",
        subgroup=None,
        kpis="Mortality under 3%",
        qipp_target=Decimal(200000),
    )
    return proposal


@pytest.fixture
def deferred(plan, sunderland_lead, nec_hub_officer):
    """A proposal the group only submitted (not included)."""
    return submitted(plan, sunderland_lead, "Renal satellite unit")


@pytest.fixture
def evaluation(priority, nec_hub_officer) -> Evaluation:
    return evaluate(nec_hub_officer, priority)
