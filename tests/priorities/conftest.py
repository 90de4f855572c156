"""Fixtures for priorities plans: the North East and Cumbria group and its 2015/16 plan."""

import datetime

import pytest

from hubs.models import CCG, Hub
from oversight import services as group_services
from priorities import services


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
    """The group's 2015/16 plan, a draft with the default criteria."""
    return services.plan_create(by=nec_hub_officer, group=group, year=2015)
