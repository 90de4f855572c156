"""Pages that show hand-overs and ICBs (issue 13) run a bounded number of queries: the group page
whatever the number of hand-overs, and My work for an ICB lead whatever the number of ICBs led."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment
from hubs.models import CCG, Hub
from oversight import services
from oversight.models import CCGMembership, Handover, OversightGroup
from tests.conftest import cache_clear
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"
D = datetime.date
TODAY_YEAR = D(2026, 4, 1)


def _orgs(hub: Hub, count: int, prefix: str, *, icb: bool) -> list[CCG]:
    return CCG.objects.bulk_create(
        CCG(
            name=f"NHS Synthetic {prefix}{i} " + ("Integrated Care Board" if icb else "CCG"),
            kind=CCG.Kind.ICB if icb else CCG.Kind.CCG,
            ods_code=f"{prefix}{i:02d}",
            hub=hub,
            source=CCG.Source.ICB_2022 if icb else CCG.Source.PUBLIC_LIST,
            valid_from=D(2022, 7, 1) if icb else D(2013, 4, 1),
            valid_to=None if icb else D(2022, 6, 30),
        )
        for i in range(count)
    )


def _hand_over(group: OversightGroup, count: int, prefix: str) -> list[CCG]:
    """`count` synthetic CCGs of the group, whose places passed to synthetic ICBs (one for every
    five) on 1 July 2022: one Handover row each, and the ICBs' places."""
    ccgs = _orgs(group.hub, count, prefix, icb=False)
    icbs = _orgs(group.hub, max(1, count // 5), f"{prefix}I", icb=True)
    now = datetime.datetime(2022, 7, 1, 9, tzinfo=datetime.UTC)
    CCGMembership.objects.bulk_create(
        CCGMembership(group=group, ccg=org, status=CCGMembership.Status.MEMBER, invited_at=now)
        for org in [*ccgs, *icbs]
    )
    Handover.objects.bulk_create(
        Handover(
            group=group,
            predecessor=ccg,
            successor=icbs[i % len(icbs)],
            effective_date=D(2022, 7, 1),
            was=CCGMembership.Status.MEMBER,
            became=CCGMembership.Status.MEMBER,
        )
        for i, ccg in enumerate(ccgs)
    )
    return icbs


@pytest.fixture
def current_group(nec_hub_officer):
    """NEC's group, started in April 2021 and brought forward to this financial year."""
    group = services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC Oversight Group",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=D(2021, 4, 1),
    )
    OversightGroup.objects.filter(pk=group.pk).update(footprint_date=TODAY_YEAR)
    group.refresh_from_db()
    return group


def test_group_page_queries_do_not_grow_with_handovers(
    client, nec_hub_officer, current_group, django_assert_max_num_queries
):
    url = reverse("workspace:group-detail", args=[current_group.pk])
    _hand_over(current_group, 5, "W")
    client.force_login(nec_hub_officer)
    cache_clear()  # rendered in full, not from the page cache
    with django_assert_max_num_queries(20) as small:
        page = client.get(url)
    assert Handover.objects.filter(group=current_group).count() == 5
    assert len(page.context["handovers"]) == 1
    _hand_over(current_group, 55, "V")
    cache_clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert Handover.objects.filter(group=current_group).count() == 60
    assert len(page.context["handovers"]) == 1 + 11  # one sentence per ICB and day
    assert "functions passed to NHS Synthetic V" in page.content.decode()


def test_my_work_for_an_icb_lead_does_not_grow_with_the_icbs_led(
    client, current_group, nec_hub_officer, django_assert_max_num_queries
):
    hub = current_group.hub
    icb = CCG.objects.filter(hub=hub, kind=CCG.Kind.ICB, valid_to__isnull=True).first()
    lead = make_user("iris@example.nhs.uk", "Iris Lane", (Role.CCG_LEAD, icb))
    services.ccgs_invite(by=nec_hub_officer, group=current_group, ccgs=[icb])
    client.force_login(lead)
    url = reverse("workspace:my-work")
    cache_clear()
    with django_assert_max_num_queries(13) as small:
        page = client.get(url)
    assert page.status_code == 200
    assert f"{icb.name} is invited to join the" in page.content.decode()
    # Now she leads twelve more ICBs (hand-overs included), each invited to the group.
    more = _hand_over(current_group, 60, "W")
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=lead, role=Role.CCG_LEAD, ccg=org) for org in more
    )
    CCGMembership.objects.filter(group=current_group, ccg__in=more).update(
        status=CCGMembership.Status.INVITED
    )
    cache_clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert len(page.context["panels"]) == 1 + len(more)
    invited = [m for p in page.context["panels"] for m in p.get("invitations", [])]
    assert len(invited) == 1 + len(more)
