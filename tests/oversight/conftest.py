"""Fixtures for the oversight group API tests: the NEC group, its chair, a two-CCG lead."""

import datetime

import pytest

from accounts.models import Role
from hubs.models import CCG, Hub
from oversight import services
from tests.conftest import make_user
from tests.oversight import board_setup
from tests.oversight.group_api import NEC, START, _member


@pytest.fixture
def group(nec_hub_officer):
    return services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC Oversight Group",
        kind="oversight_group",
        start_date=START,
    )


@pytest.fixture
def tyne_lead(register):
    """Tom, CCG lead for both NHS Northumberland CCG (00L) and NHS South Tyneside CCG (00N)."""
    return make_user(
        "tom@example.nhs.uk",
        "Tom Reed",
        (Role.CCG_LEAD, CCG.objects.get(ods_code="00L")),
        (Role.CCG_LEAD, CCG.objects.get(ods_code="00N")),
    )


@pytest.fixture
def chair(group, nec_hub_officer):
    return services.member_add(by=nec_hub_officer, group=group, **_member())


@pytest.fixture
def scog(group, nec_hub_officer):
    """The NEC oversight group with three members, one of whom left in 2017."""
    board_setup.add_member(group, nec_hub_officer, "Richard Barker", role="chair")
    board_setup.add_member(
        group,
        nec_hub_officer,
        "Dr Anna Lee",
        sector="ccg",
        org="NHS Sunderland CCG",
        ccg=CCG.objects.get(ods_code="00P"),
        email="anna.lee@example.nhs.uk",
    )
    board_setup.add_member(group, nec_hub_officer, "Pat Old", end_date=datetime.date(2017, 3, 31))
    group.refresh_from_db()
    return group


@pytest.fixture
def board(scog, north_reviewer):
    """The NENC strategy board, set up by the North's regional team from the NEC group."""
    return board_setup.make_board(scog, north_reviewer)
