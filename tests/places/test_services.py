"""Every rule of places/services.py (issue 16 part 1): each change is refused with its field and
leaves everything as it was, or is made, versioned where it can be edited, and audited."""

import datetime

import pytest

from commissioning.concurrency import ConflictError
from commissioning.errors import RuleError
from hubs.models import Hub, IntegratedCareSystem, Place, SystemMember
from places import services

from .conftest import APRIL_2018, APRIL_2019, APRIL_2020, JULY_2022, audited, ccg, fresh, snapshot

pytestmark = pytest.mark.django_db

ONE = datetime.timedelta(days=1)


def refused(field: str, change, *args, **kwargs) -> str:
    """Make `change`, expect a RuleError beside `field` and nothing changed; its message."""
    before = snapshot()
    with pytest.raises(RuleError) as raised:
        change(*args, **kwargs)
    assert raised.value.field == field
    assert snapshot() == before
    return str(raised.value)


# --- systems ----------------------------------------------------------------------------------


def test_system_create_is_recorded_and_audited(lancashire, national_admin):
    assert lancashire.kind == IntegratedCareSystem.Kind.STP
    assert lancashire.version == 1
    assert lancashire.source == "Entered by a national admin"
    assert lancashire.history.get().history_user == national_admin
    event = audited("system.created", lancashire).get()
    assert event.actor == national_admin


def test_system_name_is_trimmed(national_admin, register):
    system = services.system_create(
        by=national_admin,
        name="  Cheshire and Merseyside  ",
        short_name=" CM ",
        kind="stp",
        hub=Hub.objects.get(slug="north-west"),
        valid_from=APRIL_2018,
    )
    assert (system.name, system.short_name) == ("Cheshire and Merseyside", "CM")


def test_system_dates_out_of_order_are_refused(national_admin, register):
    message = refused(
        "valid_to",
        services.system_create,
        by=national_admin,
        name="Backwards STP",
        short_name="",
        kind="stp",
        hub=Hub.objects.get(slug="north-west"),
        valid_from=APRIL_2019,
        valid_to=APRIL_2019 - ONE,
    )
    assert message == "The end date must be on or after the start date."


def test_a_system_may_start_and_end_on_one_day(national_admin, register):
    system = services.system_create(
        by=national_admin,
        name="One-day STP",
        short_name="",
        kind="stp",
        hub=Hub.objects.get(slug="north-west"),
        valid_from=APRIL_2019,
        valid_to=APRIL_2019,
    )
    assert system.is_valid_on(APRIL_2019)
    assert not system.is_valid_on(APRIL_2019 + ONE)


def test_duplicate_system_name_is_refused_in_any_case(nenc, national_admin):
    message = refused(
        "name",
        services.system_create,
        by=national_admin,
        name="north east and north cumbria ICS ",
        short_name="",
        kind="ics",
        hub=nenc.hub,
        valid_from=APRIL_2019,
    )
    assert message == "There is a system called north east and north cumbria ICS already."


def test_system_update_saves_versions_and_audits(lancashire, national_admin):
    updated = services.system_update(
        by=national_admin,
        system=lancashire,
        version=1,
        kind="ics",
        name="Lancashire and South Cumbria ICS",
    )
    assert (updated.version, updated.kind) == (2, "ics")
    assert fresh(lancashire).name == "Lancashire and South Cumbria ICS"
    assert lancashire.history.count() == 2
    event = audited("system.updated", lancashire).get()
    assert event.actor == national_admin
    assert sorted(event.data["fields"]) == ["kind", "name"]


def test_system_update_to_another_systems_name_is_refused(lancashire, nenc, national_admin):
    refused(
        "name",
        services.system_update,
        by=national_admin,
        system=lancashire,
        version=1,
        name="North East and North Cumbria ICS",
    )


def test_system_update_may_keep_its_own_name(lancashire, national_admin):
    services.system_update(
        by=national_admin,
        system=lancashire,
        version=1,
        name="HEALTHIER Lancashire and South Cumbria",
    )
    assert fresh(lancashire).name == "HEALTHIER Lancashire and South Cumbria"


def test_system_update_dates_out_of_order_are_refused(lancashire, national_admin):
    refused(
        "valid_to",
        services.system_update,
        by=national_admin,
        system=lancashire,
        version=1,
        valid_to=APRIL_2018 - ONE,
    )


def test_stale_system_update_is_a_conflict_and_changes_nothing(lancashire, national_admin):
    services.system_update(by=national_admin, system=lancashire, version=1, short_name="HLSC")
    before = snapshot()
    with pytest.raises(ConflictError) as raised:
        services.system_update(by=national_admin, system=lancashire, version=1, short_name="LSC2")
    assert raised.value.current.version == 2
    assert "Nadia Shah saved this while you were editing" in raised.value.message
    assert "“HLSC”" in raised.value.message
    assert snapshot() == before
    assert fresh(lancashire).short_name == "HLSC"


def test_system_start_cannot_move_after_a_members_start(nenc, national_admin):
    message = refused(
        "valid_from",
        services.system_update,
        by=national_admin,
        system=nenc,
        version=nenc.version,
        valid_from=APRIL_2019,
    )
    assert "A commissioner is in the system before that date" in message
    assert fresh(nenc).valid_from == APRIL_2018


def test_system_start_may_move_earlier(nenc, national_admin):
    services.system_update(
        by=national_admin, system=nenc, version=nenc.version, valid_from=APRIL_2018 - ONE
    )
    assert fresh(nenc).valid_from == APRIL_2018 - ONE


# --- places -----------------------------------------------------------------------------------


def test_place_add_is_audited(lancashire, national_admin):
    place = services.place_add(
        by=national_admin, system=lancashire, name=" Fylde Coast ", valid_from=APRIL_2019
    )
    assert (place.name, place.system, place.valid_to) == ("Fylde Coast", lancashire, None)
    assert str(place) == "Fylde Coast ICP"
    assert audited("place.added", place).get().actor == national_admin


def test_place_dates_out_of_order_are_refused(lancashire, national_admin):
    refused(
        "valid_to",
        services.place_add,
        by=national_admin,
        system=lancashire,
        name="Pennine Lancashire",
        valid_from=APRIL_2019,
        valid_to=APRIL_2018,
    )
    assert not Place.objects.filter(name="Pennine Lancashire").exists()


def test_place_cannot_start_before_its_system(lancashire, national_admin):
    message = refused(
        "valid_from",
        services.place_add,
        by=national_admin,
        system=lancashire,
        name="Pennine Lancashire",
        valid_from=APRIL_2018 - ONE,
    )
    assert message == "The place cannot start before the system (1 April 2018)."


def test_place_name_once_per_system(nenc, lancashire, national_admin):
    refused(
        "name",
        services.place_add,
        by=national_admin,
        system=nenc,
        name="central",
        valid_from=APRIL_2019,
    )
    # Another system may have a place of that name.
    services.place_add(by=national_admin, system=lancashire, name="Central", valid_from=APRIL_2019)


# --- members ----------------------------------------------------------------------------------


@pytest.fixture
def fylde(lancashire, national_admin) -> Place:
    return services.place_add(
        by=national_admin, system=lancashire, name="Fylde Coast", valid_from=APRIL_2019
    )


def test_member_add_is_audited(lancashire, fylde, national_admin):
    member = services.member_add(
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        place=fylde,
        valid_from=APRIL_2019,
        valid_to=datetime.date(2022, 6, 30),
    )
    assert member in SystemMember.objects.valid_on(APRIL_2020).filter(place=fylde)
    assert member.history.get().history_user == national_admin
    event = audited("member.added", member).get()
    assert (event.actor, event.data["commissioner"]) == (national_admin, "00R")


def test_member_dates_out_of_order_are_refused(lancashire, national_admin):
    refused(
        "valid_to",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("QE1"),
        valid_from=JULY_2022,
        valid_to=JULY_2022 - ONE,
    )


def test_member_cannot_join_before_the_system_began(lancashire, national_admin):
    message = refused(
        "valid_from",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        valid_from=APRIL_2018 - ONE,
        valid_to=datetime.date(2022, 6, 30),
    )
    assert message == ("Healthier Lancashire and South Cumbria did not exist on 31 March 2018.")


def test_member_not_open_on_its_start_date_is_refused(lancashire, national_admin):
    message = refused(
        "commissioner",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("QE1"),
        valid_from=APRIL_2020,
    )
    assert "was not open on 1 April 2020" in message
    # Nor a CCG after it closed.
    refused(
        "commissioner",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        valid_from=JULY_2022,
    )


@pytest.mark.parametrize("valid_to", [None, datetime.date(2022, 7, 1)])
def test_member_cannot_outlast_its_commissioner(lancashire, national_admin, valid_to):
    message = refused(
        "valid_to",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        valid_from=APRIL_2019,
        valid_to=valid_to,
    )
    assert "closed on 30 June 2022" in message


def test_member_in_a_place_of_another_system_is_refused(lancashire, nenc, national_admin):
    central = nenc.places.get(name="Central")
    message = refused(
        "place",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        place=central,
        valid_from=APRIL_2019,
        valid_to=datetime.date(2022, 6, 30),
    )
    assert message == "Choose a place of this system."


def test_member_in_a_place_not_open_then_is_refused(lancashire, fylde, national_admin):
    message = refused(
        "place",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        place=fylde,
        valid_from=APRIL_2019 - ONE,
        valid_to=datetime.date(2022, 6, 30),
    )
    assert message == "The Fylde Coast place did not exist on 31 March 2019."


def test_member_in_a_place_after_it_ended_is_refused(lancashire, national_admin):
    ended = services.place_add(
        by=national_admin,
        system=lancashire,
        name="Morecambe Bay",
        valid_from=APRIL_2018,
        valid_to=APRIL_2019 - ONE,
    )
    refused(
        "place",
        services.member_add,
        by=national_admin,
        system=lancashire,
        commissioner=ccg("00R"),
        place=ended,
        valid_from=APRIL_2019,
        valid_to=datetime.date(2022, 6, 30),
    )


def test_overlapping_membership_of_one_commissioner_is_refused(lancashire, national_admin):
    first = services.member_add(
        by=national_admin,
        system=lancashire,
        commissioner=ccg("QE1"),
        valid_from=JULY_2022,
        valid_to=datetime.date(2023, 3, 31),
    )
    for start, end in [
        (datetime.date(2023, 1, 1), None),  # starts inside
        (datetime.date(2022, 7, 1), datetime.date(2022, 7, 1)),  # the same first day
        (datetime.date(2023, 3, 31), datetime.date(2024, 1, 1)),  # its last day
    ]:
        message = refused(
            "valid_from",
            services.member_add,
            by=national_admin,
            system=lancashire,
            commissioner=ccg("QE1"),
            valid_from=start,
            valid_to=end,
        )
        assert message.endswith(
            "is in Healthier Lancashire and South Cumbria already from 1 July 2022."
        )
    # The day after it ended, it may join again; in another system it may be at the same time.
    again = services.member_add(
        by=national_admin,
        system=lancashire,
        commissioner=ccg("QE1"),
        valid_from=datetime.date(2023, 4, 1),
    )
    assert list(lancashire.members.order_by("valid_from")) == [first, again]


def test_member_end_keeps_the_row_and_audits(lancashire, national_admin):
    member = services.member_add(
        by=national_admin, system=lancashire, commissioner=ccg("QE1"), valid_from=JULY_2022
    )
    ended = services.member_end(
        by=national_admin, member=member, valid_to=datetime.date(2023, 3, 31)
    )
    assert fresh(member).valid_to == datetime.date(2023, 3, 31)
    assert ended.history.count() == 2
    assert ended.history.first().history_user == national_admin
    event = audited("member.ended", member).get()
    assert (event.actor, event.data["valid_to"]) == (national_admin, "2023-03-31")


def test_member_end_before_it_began_is_refused(lancashire, national_admin):
    member = services.member_add(
        by=national_admin, system=lancashire, commissioner=ccg("QE1"), valid_from=JULY_2022
    )
    refused(
        "valid_to",
        services.member_end,
        by=national_admin,
        member=member,
        valid_to=JULY_2022 - ONE,
    )
    assert fresh(member).valid_to is None


def test_member_end_twice_is_refused(nenc, national_admin):
    sunderland = nenc.members.get(commissioner__ods_code="00P")  # ended 30 June 2022
    message = refused(
        "valid_to",
        services.member_end,
        by=national_admin,
        member=sunderland,
        valid_to=datetime.date(2021, 3, 31),
    )
    assert message == "It left on 30 June 2022 already."
    assert fresh(sunderland).valid_to == datetime.date(2022, 6, 30)


def test_system_start_cannot_move_after_a_places_start(lancashire, national_admin):
    # No commissioner yet, only a place: the system may not begin after its place does.
    services.place_add(
        by=national_admin, system=lancashire, name="Fylde Coast", valid_from=APRIL_2018
    )
    message = refused(
        "valid_from",
        services.system_update,
        by=national_admin,
        system=lancashire,
        version=1,
        valid_from=APRIL_2019,
    )
    assert "A place of the system starts before that date" in message
    assert fresh(lancashire).valid_from == APRIL_2018


def test_who_follows_the_nenc_system(
    national_admin,
    north_reviewer,
    nec_hub_officer,
    nenc_ics_lead,
    nenc_icb_lead,
    sunderland_lead,
    london_hub_officer,
    roleless_user,
):
    """Issue 16, "Roles and access": the system's region, hub, own lead and its commissioners
    (then and now) follow it; another hub and someone without a role do not."""
    from hubs.models import IntegratedCareSystem
    from places.permissions import follows_system, runs_in_system

    nenc = IntegratedCareSystem.objects.select_related("hub__region").get(short_name="NENC")
    follows = {
        u.email: follows_system(u, nenc)
        for u in (
            national_admin,
            north_reviewer,
            nec_hub_officer,
            nenc_ics_lead,
            nenc_icb_lead,
            sunderland_lead,
            london_hub_officer,
            roleless_user,
        )
    }
    assert [email for email, yes in follows.items() if not yes] == [
        london_hub_officer.email,
        roleless_user.email,
    ]
    runs = [
        u
        for u in (national_admin, north_reviewer, nec_hub_officer, nenc_ics_lead)
        if runs_in_system(u, nenc)
    ]
    assert runs == [north_reviewer, nec_hub_officer]
