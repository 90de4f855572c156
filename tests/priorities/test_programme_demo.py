"""The demo shows the joint programme of work (issue 17 part 4): three national reviews of
2015/16, and the North East and Cumbria group's included vascular priority overlapping the two
Internal Medicine reviews, one with its agreed way forward. Loading twice adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from national.models import ServiceReview
from priorities.models import OverlapDecision, PrioritiesPlan

pytestmark = pytest.mark.django_db


def test_the_demo_shows_an_overlap_with_its_way_forward(client, register, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    assert ServiceReview.objects.filter(year=2015).count() == 3
    decision = OverlapDecision.objects.get()
    assert decision.way_forward == "proceeds"
    assert decision.proposal.title == "Two arterial centres for vascular surgery"
    plan = PrioritiesPlan.objects.get(year=2015, group__hub__slug="north-east-and-cumbria")
    client.force_login(User.objects.get(email="nec.hub@example.nhs.uk"))
    page = client.get(plan.get_absolute_url())
    assert [(o.review.title, o.agreed) for o in page.context["overlaps"]] == [
        ("Congenital heart disease services", True),
        ("Specialised renal dialysis services", False),
    ]
    client.force_login(User.objects.get(email="national.admin@example.nhs.uk"))
    joint = client.get(reverse("priorities:joint-programme", args=[2015])).context["programme"]
    assert (len(joint.overlaps), joint.agreed_count) == (2, 1)
