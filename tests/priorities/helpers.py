"""Helpers for priorities tests: proposals at each stage of their life."""

from decimal import Decimal

from hubs.models import CCG
from priorities import services


def propose(plan, by, ods="00P", **fields):
    values = {
        "title": "Vascular surgery",
        "problem": "Too many small units",
        "issues": "",
        "population": "",
        "benefits": "",
        "qipp_savings": Decimal(250000),
        "costs": Decimal(0),
        "risks": "",
        "service": "",
        "programme_of_care": None,
        "suggested_subgroup": None,
        **fields,
    }
    ccg = CCG.objects.get(ods_code=ods) if ods else None
    return services.proposal_create(by=by, plan=plan, ccg=ccg, **values)


def submitted(plan, lead, title):
    proposal = propose(plan, lead, title=title)
    services.proposal_submit(by=lead, proposal=proposal, version=proposal.version)
    proposal.refresh_from_db()
    return proposal


def score_all(by, proposal, value):
    return services.scores_record(
        by=by,
        proposal=proposal,
        scores={c.pk: (value, "") for c in proposal.plan.criteria.active()},
    )


def included(plan, lead, hub_staff, title):
    proposal = submitted(plan, lead, title)
    services.proposal_decide(
        by=hub_staff,
        proposal=proposal,
        version=proposal.version,
        status="included",
        rationale="Yes",
    )
    proposal.refresh_from_db()
    return proposal


# Tests of what follows assurance (publishing, its PDF) assure without a peer review report,
# with the override and its recorded reason (issue 13 part 6).
OVERRIDE = "Assured ahead of the peer review: this test is about what follows assurance."
