"""A proposal's "Service or CRG" becomes a choice of CRG, the free text kept for older records
(issue 17, "What to build" 2): a CRG of another Programme of Care than the proposal's is refused
beside the field; the proposal page links its CRG."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.errors import RuleError
from priorities import services as plans
from priorities.models import Proposal

from .conftest import ccg, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(nec_group, nec_hub_officer):
    return plans.plan_create(by=nec_hub_officer, group=nec_group, year=2015)


def _propose(plan, by, **changes):
    data = {
        "title": "Cardiac pathway",
        "programme_of_care": programme(),
        "service": "Adult cardiac surgery",
        "problem": "Long waits",
        "qipp_savings": Decimal(1000),
        "costs": Decimal(0),
    }
    data["ccg"] = ccg("00P")
    return plans.proposal_create(by=by, plan=plan, **{**data, **changes})


def test_a_proposal_names_its_crg(client, plan, nec_hub_officer, crg):
    proposal = _propose(plan, nec_hub_officer, crg=crg, ccg=None)
    assert proposal.crg == crg
    assert proposal.service == "Adult cardiac surgery"
    client.force_login(nec_hub_officer)
    page = client.get(proposal.get_absolute_url()).text
    assert crg.get_absolute_url() in page
    form = client.get(reverse("priorities:proposal-edit", args=[proposal.pk])).text
    assert "Clinical Reference Group (optional)" in form


def test_a_crg_of_another_programme_is_refused(plan, sunderland_lead, crg):
    with pytest.raises(RuleError) as refused:
        _propose(plan, sunderland_lead, crg=crg, programme_of_care=programme("Trauma"))
    assert refused.value.field == "crg"
    assert not Proposal.objects.exists()
