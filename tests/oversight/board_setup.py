"""Setting up the strategy board of issue 16 in tests: the NEC group's successor in NENC."""

import datetime

from hubs.models import IntegratedCareSystem, Place
from oversight import services
from oversight.boards import board_create
from oversight.models import GroupMember

BOARD_START = datetime.date(2018, 10, 1)
S = GroupMember.Seat


def nenc() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.select_related("hub").get(short_name="NENC")


def place(name: str) -> Place:
    return Place.objects.get(system__short_name="NENC", name=name)


def add_member(group, by, name, *, sector="nhs_england", org="NHS England", **extra):
    return services.member_add(
        by=by,
        group=group,
        full_name=name,
        email=extra.pop("email", ""),
        organisation=org,
        sector=sector,
        ccg=extra.pop("ccg", None),
        role=extra.pop("role", "member"),
        voting=True,
        start_date=extra.pop("start_date", group.start_date),
        end_date=extra.pop("end_date", None),
        **extra,
    )


def make_board(scog, by, **changes):
    fields = {
        "system": nenc(),
        "name": "NENC Specialised Commissioning Strategy Board",
        "start_date": BOARD_START,
    }
    fields.update(changes)
    return board_create(by=by, group=scog, version=scog.version, **fields)
