"""Demo evaluations for `make run` (issue 17, "What to build" 6): the North East and Cumbria
hub's officer evaluates the included priorities of the hub's 2015/16 plan (its year ended on
31 March 2016), and shares the first to the learning library and the idea exchange. Idempotent:
a priority evaluated already is left as it is. Called with the demo people by email, from
demo/people.py."""

from decimal import Decimal

from django.db import transaction

from priorities.models import Proposal

from . import services
from .models import Evaluation

NEC = "nec.hub@example.nhs.uk"

# What the hub found, by the priority's title (and whether it shares it); a priority not
# named here gets OTHER.
FOUND = {
    "Two arterial centres for vascular surgery": {
        "rating": "partly_met",
        "qipp_realised": Decimal(180000),
        "theme": "pathway",
        "benefits": "Both arterial centres opened, with 24/7 interventional radiology from"
        " October 2015. In-hospital mortality after elective aortic aneurysm repair fell from"
        " 4.1% to 2.6%. Savings came later than planned: the second centre opened in January.",
        "working": "One referral pathway and a shared on-call rota worked well. Moving"
        " outpatient follow-up back to the spoke hospitals took longer than planned.",
        "perverse_incentives": "Spoke hospitals lost tariff income for the procedures that"
        " moved, so they were slow to refer until a risk share was agreed.",
        "blockages": "Interventional radiology recruitment; capital for the hybrid theatre.",
        "good_practice": "A monthly joint clinical governance meeting between the two centres"
        " and the spokes, with outcome data shared openly.",
        "share": True,
    },
    "One transport service for critically ill children": {
        "rating": "met",
        "qipp_realised": Decimal(65000),
        "theme": "access",
        "benefits": "One retrieval team answers every referral: the median time from referral"
        " to the team at the bedside fell from 3 hours 10 minutes to 1 hour 55 minutes.",
        "blockages": "Ambulance vehicles were leased separately by each trust until March.",
        "share": False,
    },
}
OTHER = {
    "rating": "met",
    "qipp_realised": Decimal(0),
    "theme": "access",
    "benefits": "The priority's planned service change was delivered within the year.",
    "share": False,
}


@transaction.atomic
def demo_evaluations_load(people: dict) -> None:
    staff = people.get(NEC)
    if staff is None:
        return
    priorities = Proposal.objects.filter(
        plan__group__hub__slug="north-east-and-cumbria",
        plan__year=2015,
        status=Proposal.Status.INCLUDED,
    ).order_by("title", "pk")
    evaluated = set(
        Evaluation.objects.filter(proposal__in=priorities, archived_at__isnull=True).values_list(
            "proposal_id", flat=True
        )
    )
    for proposal in priorities:
        if proposal.pk in evaluated:
            continue
        found = dict(FOUND.get(proposal.title, OTHER))
        share = found.pop("share")
        evaluation = services.evaluation_record(by=staff, proposal=proposal, **found)
        if share:
            evaluation = services.evaluation_share_to_library(
                by=staff, evaluation=evaluation, version=evaluation.version
            )
            services.evaluation_share_to_ideas(
                by=staff, evaluation=evaluation, version=evaluation.version
            )
