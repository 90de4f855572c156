"""Every footprint at its own date: merged or replaced organisations hand their places to the
successor (issue 13, part 3), tested with Newcastle Gateshead (2015), Manchester (2017), the
April 2020 wave and the ICBs of July 2022."""

import datetime

import pytest
from django.urls import reverse

from commissioning.models import AuditEvent
from hubs.models import CCG, Hub
from oversight import services, succession
from oversight.models import CCGMembership, Handover, OversightGroup
from oversight.tasks import footprints_bring_forward

pytestmark = pytest.mark.django_db
S = CCGMembership.Status
D = datetime.date


def _group(by, hub: str, start: datetime.date) -> OversightGroup:
    return services.group_create(
        by=by,
        hub=Hub.objects.get(slug=hub),
        name=f"{hub} group",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=start,
    )


def _places(group, by, statuses: dict[str, str], represented: dict[str, str] | None = None):
    """Invite the codes, then set each place's status (representation set directly: this file
    tests what happens to places, not how they were agreed)."""
    orgs = list(CCG.objects.filter(ods_code__in=[*statuses, *(represented or {})]))
    services.ccgs_invite(by=by, group=group, ccgs=orgs)
    for code, status in statuses.items():
        CCGMembership.objects.filter(group=group, ccg__ods_code=code).update(status=status)
    for code, rep in (represented or {}).items():
        CCGMembership.objects.filter(group=group, ccg__ods_code=code).update(
            status=S.REPRESENTED, represented_by=CCG.objects.get(ods_code=rep)
        )


def _place(group, code) -> CCGMembership:
    return CCGMembership.objects.get(group=group, ccg__ods_code=code)


def _coverage(group):
    group.refresh_from_db()
    places = list(group.ccgs.select_related("ccg"))
    return services.group_coverage(group, places, group.footprint_day)


def test_a_group_uses_its_own_date_not_today(nec_hub_officer):
    group = _group(nec_hub_officer, "wessex", D(2015, 4, 1))
    footprint = services.group_coverage(group, [], group.footprint_day).footprint
    assert len(footprint) == 19  # Wessex on 1 April 2015
    assert "15A" not in {c.ods_code for c in footprint}  # Berkshire West was formed in 2018


def test_newcastle_gateshead_2015_membership_continues(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00F": S.MEMBER, "00H": S.INVITED}, {"00G": "00F"})
    assert _coverage(group).covered_count == 2
    made = succession.footprint_bring_forward(group=group, to_day=D(2015, 4, 1))
    assert {h.predecessor.ods_code for h in made} == {"00F", "00G", "00H"}
    successor = _place(group, "13T")
    assert successor.status == S.MEMBER
    coverage = _coverage(group)
    assert group.footprint_day == D(2015, 4, 1)
    assert len(coverage.footprint) == 11
    assert coverage.covered_count == 1  # the successor, once
    # The predecessors' places are kept as they were: the group's record of its first months.
    assert _place(group, "00F").status == S.MEMBER
    sentence = succession.notices(list(Handover.objects.filter(group=group)))[0].sentence
    assert sentence == (
        "NHS Gateshead, Newcastle North and East and Newcastle West CCGs became NHS Newcastle "
        "Gateshead CCG on 1 April 2015: its membership continues"
    )
    event = AuditEvent.objects.get(verb="ccg.handed_over")
    assert event.data["summary"] == sentence


def test_manchester_2017_representation_continues(nec_hub_officer):
    group = _group(nec_hub_officer, "north-west", D(2016, 4, 1))
    _places(
        group,
        nec_hub_officer,
        {"01G": S.MEMBER, "01M": S.DECLINED},
        {"00W": "01G", "01N": "01G"},
    )
    succession.footprint_bring_forward(group=group, to_day=D(2017, 4, 1))
    manchester = _place(group, "14L")
    assert manchester.status == S.REPRESENTED
    assert manchester.represented_by.ods_code == "01G"
    notice = succession.notices(list(Handover.objects.filter(group=group)))[0]
    assert notice.sentence.endswith(
        "became NHS Manchester CCG on 1 April 2017: its representation continues"
    )


def test_april_2020_wave_counts_each_successor_once(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2019, 4, 1))
    footprint = services.group_coverage(group, [], group.footprint_day).footprint
    assert len(footprint) == 11
    codes = {c.ods_code for c in footprint}
    # 00K is represented by Darlington (00C), which merges with it into Tees Valley CCG (16C).
    _places(group, nec_hub_officer, dict.fromkeys(codes - {"00K"}, S.MEMBER), {"00K": "00C"})
    succession.footprint_bring_forward(group=group, to_day=D(2020, 4, 1))
    coverage = _coverage(group)
    assert sorted(c.ods_code for c in coverage.footprint) == sorted(
        [*(codes - {"00C", "00K", "00M", "00D", "00J"}), "16C", "84H"]
    )
    assert coverage.covered_count == len(coverage.footprint) == 8
    assert _place(group, "16C").status == S.MEMBER  # merged with its representative


def test_icbs_of_july_2022_take_over_every_place(nec_hub_officer, client):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2021, 4, 1))
    codes = [c.ods_code for c in services.group_coverage(group, [], group.footprint_day).footprint]
    _places(group, nec_hub_officer, dict.fromkeys(codes, S.MEMBER))
    succession.footprint_bring_forward(group=group, to_day=D(2026, 12, 4))
    coverage = _coverage(group)
    assert [c.ods_code for c in coverage.footprint] == ["QHM"]
    assert coverage.covered_count == 1
    assert _place(group, "QHM").status == S.MEMBER
    notice = succession.notices(list(Handover.objects.filter(group=group)))[0]
    assert notice.sentence.endswith(
        "functions passed to NHS North East and North Cumbria ICB on 1 July 2022: "
        "its membership continues"
    )
    client.force_login(nec_hub_officer)
    html = client.get(reverse("workspace:group-detail", args=[group.pk])).content.decode()
    assert "Changes in the footprint" in html
    assert "ICB coverage: 1 of 1" in html
    assert "functions passed to NHS North East and North Cumbria ICB on 1 July 2022" in html


def test_a_place_passes_through_two_changes_in_one_run(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00F": S.MEMBER})
    succession.footprint_bring_forward(group=group, to_day=D(2022, 7, 1))
    assert _place(group, "13T").status == S.MEMBER
    assert _place(group, "QHM").status == S.MEMBER


def test_bringing_forward_twice_hands_over_once(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00F": S.MEMBER})
    succession.footprint_bring_forward(group=group, to_day=D(2015, 4, 1))
    assert succession.footprint_bring_forward(group=group, to_day=D(2015, 4, 1)) == []
    assert succession.footprint_bring_forward(group=group, to_day=D(2016, 1, 1)) == []
    assert Handover.objects.filter(group=group).count() == 1
    assert AuditEvent.objects.filter(verb="ccg.handed_over").count() == 1


def test_a_closed_group_keeps_the_footprint_it_closed_with(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00F": S.MEMBER})
    services.group_update(
        by=nec_hub_officer,
        group=group,
        version=group.version,
        status=OversightGroup.Status.CLOSED,
        closed_on=D(2015, 3, 31),
    )
    assert succession.footprint_bring_forward(group=group, to_day=D(2026, 1, 1)) == []
    group.refresh_from_db()
    assert group.footprint_day == D(2015, 3, 31)
    assert not CCGMembership.objects.filter(group=group, ccg__ods_code="13T").exists()


def test_the_daily_task_brings_live_groups_to_today(nec_hub_officer, time_machine):
    time_machine.move_to(datetime.datetime(2015, 4, 2, 2, tzinfo=datetime.UTC))
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00G": S.MEMBER})
    assert footprints_bring_forward() == 1
    group.refresh_from_db()
    assert group.footprint_day == D(2015, 4, 2)
    assert _place(group, "13T").status == S.MEMBER


def test_inviting_outside_the_groups_own_date_is_refused(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2015, 4, 1))
    with pytest.raises(services.GroupError, match="footprint on 1 April 2015"):
        services.ccgs_invite(
            by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="QHM")]
        )


def test_a_waiting_request_for_representation_passes_on_and_still_waits(nec_hub_officer):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00P": S.MEMBER, "00G": S.INVITED})
    CCGMembership.objects.filter(group=group, ccg__ods_code="00G").update(
        status=S.REPRESENTATION_REQUESTED, represented_by=CCG.objects.get(ods_code="00P")
    )
    succession.footprint_bring_forward(group=group, to_day=D(2015, 4, 1))
    successor = _place(group, "13T")
    assert successor.status == S.REPRESENTATION_REQUESTED
    assert successor.represented_by.ods_code == "00P"
    assert not successor.is_covered


def test_the_api_gives_the_groups_own_date_and_its_coverage(nec_hub_officer, client):
    group = _group(nec_hub_officer, "north-east-and-cumbria", D(2014, 10, 1))
    _places(group, nec_hub_officer, {"00F": S.MEMBER})
    client.force_login(nec_hub_officer)
    before = client.get(f"/api/v1/groups/{group.pk}/").json()
    assert before["footprint_day"] == "2014-10-01"
    assert before["coverage"]["footprint_count"] == 13
    succession.footprint_bring_forward(group=group, to_day=D(2015, 4, 1))
    after = client.get(f"/api/v1/groups/{group.pk}/").json()
    assert after["footprint_day"] == "2015-04-01"
    assert after["coverage"]["footprint_count"] == 11
    assert after["coverage"]["covered_count"] == 1
