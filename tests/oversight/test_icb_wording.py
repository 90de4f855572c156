"""Pages about a group say "CCG" or "ICB" as fits its own date and each organisation
(issue 13, part 2): a 2026/27 group of North East and Cumbria invites an ICB; a 2015/16 group
keeps the CCG wording its tests have always read."""

import datetime

import pytest
from django.urls import reverse

from accountability import services as raci
from hubs.models import CCG, Hub
from oversight import services
from oversight.models import CCGMembership, OversightGroup

pytestmark = pytest.mark.django_db


def _group(by, start: datetime.date, hub: str = "north-east-and-cumbria") -> OversightGroup:
    return services.group_create(
        by=by,
        hub=Hub.objects.get(slug=hub),
        name=f"NEC group {start.year}",
        kind=OversightGroup.Kind.OVERSIGHT_GROUP,
        start_date=start,
    )


@pytest.fixture
def group_2026(nec_hub_officer):
    return _group(nec_hub_officer, datetime.date(2026, 4, 1))


def test_a_2026_group_page_says_icb(client, nec_hub_officer, group_2026):
    client.force_login(nec_hub_officer)
    html = client.get(group_2026.get_absolute_url()).content.decode()
    assert "ICBs in the footprint" in html
    assert "Invite all 1 ICBs not yet invited" in html
    assert "Invite this ICB" in html
    assert "ICB to invite" in html
    assert "Choose an ICB" in html
    assert '<th scope="col" class="nhsuk-table__header">ICB</th>' in html
    assert "CCGs in the footprint" not in html
    assert "Invite this CCG" not in html


def test_a_2015_group_page_keeps_saying_ccg(client, nec_hub_officer):
    group = _group(nec_hub_officer, datetime.date(2015, 4, 1))
    client.force_login(nec_hub_officer)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "CCGs in the footprint" in html
    assert "Invite this CCG" in html
    assert "CCG to invite" in html
    assert '<th scope="col" class="nhsuk-table__header">CCG</th>' in html
    assert "ICB" not in html.split("CCGs in the footprint")[1].split("</table>")[0]


def test_inviting_an_icb_says_icb_and_the_page_stays_bounded(
    client, nec_hub_officer, group_2026, django_assert_max_num_queries
):
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("oversight:group-invite", args=[group_2026.pk]), {"all": "1"}, follow=True
    )
    assert "Invited 1 ICB. Their leads have been emailed." in response.content.decode()
    with django_assert_max_num_queries(16):  # issue 16: the hub's systems, for a board
        page = client.get(group_2026.get_absolute_url())
    html = page.content.decode()
    assert 'aria-hidden="true">ICB </span>' in html
    again = client.post(
        reverse("oversight:group-invite", args=[group_2026.pk]), {"ccg": ""}, follow=True
    )
    assert "Choose an ICB in the hub&#x27;s footprint to invite." in again.content.decode()


def test_an_icb_lead_answers_for_an_icb(client, nec_hub_officer, nenc_icb_lead, group_2026):
    services.ccgs_invite(
        by=nec_hub_officer, group=group_2026, ccgs=[CCG.objects.get(ods_code="QHM")]
    )
    membership = CCGMembership.objects.get(group=group_2026, ccg__ods_code="QHM")
    client.force_login(nenc_icb_lead)
    html = client.get(reverse("oversight:membership-respond", args=[membership.pk])).content
    html = html.decode()
    assert "Your ICB&#x27;s answer" in html
    assert "Be represented by another ICB that is a member" in html
    assert "Your ICB is invited" in html
    assert "Your CCG" not in html
    response = client.post(
        reverse("oversight:membership-respond", args=[membership.pk]),
        {"version": membership.version},
    )
    assert "Choose your ICB" in response.content.decode()


def test_a_ccg_lead_still_answers_for_a_ccg(client, nec_hub_officer, sunderland_lead):
    group = _group(nec_hub_officer, datetime.date(2015, 4, 1))
    services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")])
    membership = CCGMembership.objects.get(group=group, ccg__ods_code="00P")
    client.force_login(sunderland_lead)
    html = client.get(reverse("oversight:membership-respond", args=[membership.pk])).content
    html = html.decode()
    assert "Your CCG is invited" in html
    assert "Be represented by another CCG that is a member" in html


def test_the_default_raci_names_the_groups_own_commissioners(nec_hub_officer, group_2026):
    matrix = raci.raci_seed_default(by=nec_hub_officer, group=group_2026)
    names = list(matrix.parties.values_list("name", flat=True))
    assert "ICBs" in names
    assert "CCGs" not in names
    old = raci.raci_seed_default(
        by=nec_hub_officer, group=_group(nec_hub_officer, datetime.date(2015, 4, 1), "wessex")
    )
    assert "CCGs" in old.parties.values_list("name", flat=True)


def test_the_group_list_names_each_groups_coverage(client, national_admin, nec_hub_officer):
    _group(nec_hub_officer, datetime.date(2026, 4, 1))
    client.force_login(national_admin)
    html = client.get(reverse("oversight:group-list")).content.decode()
    assert 'aria-hidden="true">ICB coverage </span>' in html
