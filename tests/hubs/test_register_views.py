"""Register pages: content, dates, links both ways, permissions and bounded queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from hubs.models import CCG, CCGSuccession, Hub

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _add_ccgs(hub: Hub, count: int, prefix: str = "Q") -> None:
    """Synthetic CCGs (codes Q00..) in `hub`, half of them merged into the next one."""
    made = CCG.objects.bulk_create(
        CCG(
            name=f"NHS Synthetic {prefix}{i} CCG",
            ods_code=f"{prefix}{i:02d}",
            hub=hub,
            source=CCG.Source.PUBLIC_LIST,
            valid_from=datetime.date(2013, 4, 1),
        )
        for i in range(count)
    )
    CCGSuccession.objects.bulk_create(
        CCGSuccession(predecessor=a, successor=b, effective_date=datetime.date(2016, 4, 1))
        for a, b in zip(made[::2], made[1::2], strict=False)
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("hubs:overview"),
        reverse("hubs:region-detail", args=["north"]),
        reverse("workspace:hub-detail", args=[NEC]),
        reverse("hubs:ccg-detail", args=["00P"]),
        reverse("hubs:ccg-list"),
        reverse("hubs:programme-list"),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, register, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_every_role_may_read_the_register(client_of, sunderland_lead, roleless_user):
    for user in (sunderland_lead, roleless_user):
        response = client_of(user).get(reverse("workspace:hub-detail", args=[NEC]))
        assert response.status_code == 200
        assert b"NHS Sunderland CCG" in response.content


@time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC))
def test_overview_counts_regions_hubs_and_ccgs(client_of, sunderland_lead):
    response = client_of(sunderland_lead).get(reverse("hubs:overview"))
    assert response.status_code == 200
    context = response.context
    assert len(context["regions"]) == 4
    assert context["hub_count"] == 10
    assert context["totals"]["footprint"] == 211
    assert context["totals"]["all"] == 290
    assert (context["totals"]["ccgs"], context["totals"]["icbs"]) == (248, 42)
    # Today every CCG has closed: the 42 ICBs are the local commissioners.
    assert context["totals"]["on_day"] == 42
    html = response.content.decode()
    assert 'id="stat-footprint"><span class="app-stat__number">211</span>' in html
    assert '<span class="app-stat__number">42</span> ICBs on 22 November 2026' in html
    for hub in Hub.objects.all():
        assert hub.get_absolute_url() in html


def test_overview_as_at_a_date(client_of, sunderland_lead):
    response = client_of(sunderland_lead).get(reverse("hubs:overview"), {"on": "2015-04-01"})
    assert response.context["totals"]["on_day"] == 209
    assert response.context["day"] == datetime.date(2015, 4, 1)


def test_bad_date_is_explained_next_to_the_field(client_of, sunderland_lead):
    response = client_of(sunderland_lead).get(reverse("hubs:overview"), {"on": "31/02/2015"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'id="id_on_error"' in html
    assert "Enter a real date" in html
    assert 'aria-describedby="id_on_helptext id_on_error"' in html
    # The page still shows today's register rather than nothing.
    assert response.context["totals"]["on_day"] > 0


def test_date_before_ccgs_existed_is_refused(client_of, sunderland_lead):
    response = client_of(sunderland_lead).get(reverse("hubs:overview"), {"on": "2010-01-01"})
    assert "on or after 1 April 2013" in response.content.decode()


def test_hub_footprint_changes_with_the_date(client_of, nec_hub_officer):
    client = client_of(nec_hub_officer)
    url = reverse("workspace:hub-detail", args=[NEC])
    before = client.get(url, {"on": "2015-03-31"})
    assert len(before.context["current"]) == 13
    assert "NHS Gateshead CCG" in [c.name for c in before.context["current"]]
    after = client.get(url, {"on": "2015-04-01"})
    names = [c.name for c in after.context["current"]]
    assert len(names) == 11
    assert "NHS Newcastle Gateshead CCG" in names
    assert {c.ods_code for c in after.context["closed"]} == {"00F", "00G", "00H"}
    html = after.content.decode()
    assert "Formed from" in html
    assert "Succeeded by" in html


def test_ccg_page_links_both_ways(client_of, sunderland_lead):
    client = client_of(sunderland_lead)
    old = client.get(reverse("hubs:ccg-detail", args=["00f"])).content.decode()
    assert "Closed organisation" in old
    assert reverse("hubs:ccg-detail", args=["13T"]) in old
    assert reverse("workspace:hub-detail", args=[NEC]) in old
    assert reverse("hubs:region-detail", args=["north"]) in old
    new = client.get(reverse("hubs:ccg-detail", args=["13T"])).content.decode()
    for ods in ("00F", "00G", "00H"):
        assert reverse("hubs:ccg-detail", args=[ods]) in new
    # 13T itself closed on 30 June 2022, when its functions passed to the ICB.
    assert "This CCG closed on 30 June 2022" in new
    assert "Functions passed to" in new
    icb = client.get(reverse("hubs:ccg-detail", args=["QHM"])).content.decode()
    assert "Integrated Care Board" in icb
    assert "Closed organisation" not in icb
    assert "Took over the functions of" in icb
    assert reverse("hubs:ccg-detail", args=["13T"]) in icb
    assert "North East and Yorkshire" in icb  # its NHS England region of 2022


def test_unknown_ccg_is_404(client_of, sunderland_lead):
    response = client_of(sunderland_lead).get(reverse("hubs:ccg-detail", args=["ZZZ"]))
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_region_lists_its_hubs(client_of, north_reviewer):
    response = client_of(north_reviewer).get(reverse("hubs:region-detail", args=["north"]))
    assert [h.name for h in response.context["hubs"]] == [
        "North East and Cumbria",
        "North West",
        "Yorkshire and Humber",
    ]
    assert reverse("hubs:overview") in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "00P", "on": "2015-04-01"}, ["00P"]),
        ({"q": "00p", "on": "2015-04-01"}, ["00P"]),
        ({"q": "sunderland", "on": "2015-04-01"}, ["00P"]),
        ({"q": "sunderland"}, []),  # closed on 30 June 2022
        ({"q": "newcastle", "on": "2015-03-31"}, ["00G", "00H"]),
        ({"q": "newcastle", "on": "2015-04-01"}, ["13T"]),
        ({"q": "newcastle", "on": "2015-04-01", "include_closed": "on"}, ["13T", "00G", "00H"]),
        ({"q": "north east and north cumbria"}, ["QHM"]),
        ({"q": "frimley", "on": "2021-04-01"}, ["D4U1Y"]),
        ({"q": "no such ccg"}, []),
    ],
)
def test_ccg_search(client_of, sunderland_lead, params, expected):
    response = client_of(sunderland_lead).get(reverse("hubs:ccg-list"), params)
    assert [c.ods_code for c in response.context["page"].object_list] == expected


def test_ccg_search_answers_htmx_with_the_results_only(client_of, sunderland_lead):
    response = client_of(sunderland_lead).get(
        reverse("hubs:ccg-list"), {"q": "00P", "on": "2015-04-01"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "NHS Sunderland CCG" in html
    assert "<html" not in html


def test_hub_page_queries_do_not_grow_with_the_footprint(
    client_of, nec_hub_officer, django_assert_max_num_queries
):
    client = client_of(nec_hub_officer)
    hub = Hub.objects.get(slug="london")
    url = reverse("workspace:hub-detail", args=["london"])
    _add_ccgs(hub, 10)
    # 9 (a hub's page of each list, issue 20: the closed organisations' page is a query of its
    # own), one more for the unread notifications count the header caches, and one for the page
    # cache to find the hub's id from its slug (its scope, issue 20).
    with django_assert_max_num_queries(11) as small:
        first = client.get(url)
    # From 52 organisations to 102 (half of the new ones merged): queries must not move.
    _add_ccgs(hub, 50, prefix="X")
    with django_assert_max_num_queries(len(small.captured_queries)):
        second = client.get(url)
    # The 32 CCGs of 2013, 5 formed in 2020 and 5 ICBs, and the added ones.
    for response, added in ((first, 10), (second, 60)):
        current, closed = response.context["current"], response.context["closed"]
        assert current.paginator.count + closed.paginator.count == 42 + added


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("hubs:overview", []),
        ("hubs:region-detail", ["london"]),
        ("hubs:ccg-list", []),
        ("hubs:ccg-detail", ["Q01"]),
    ],
)
def test_register_pages_run_bounded_queries(
    client_of, national_admin, django_assert_max_num_queries, name, args
):
    _add_ccgs(Hub.objects.get(slug="london"), 60)
    client = client_of(national_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
