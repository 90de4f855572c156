"""The demo evaluations (evaluations/demo.py): the North East and Cumbria hub evaluates its
2015/16 plan's included priorities and shares the vascular one to the learning library and the
idea exchange; loading twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def test_the_demo_evaluations_load_once(register, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    evaluations = {e.proposal.title: e for e in Evaluation.objects.select_related("proposal")}
    assert set(evaluations) == {
        "Two arterial centres for vascular surgery",
        "One transport service for critically ill children",
    }
    vascular = evaluations["Two arterial centres for vascular surgery"]
    assert vascular.in_library
    assert vascular.idea_post.hub.slug == "north-east-and-cumbria"
    transport = evaluations["One transport service for critically ill children"]
    assert not transport.in_library
    assert not transport.in_ideas
    assert {e.proposal.plan.year for e in evaluations.values()} == {2015}
