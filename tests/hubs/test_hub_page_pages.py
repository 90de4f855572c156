"""A hub's page a page at a time (issue 20): a hub of thousands of CCGs shows 50 of its
footprint and 50 of its closed organisations, each list with its own NHS.UK pagination,
every date in its own time, at the same number of queries however large the hub."""

import datetime

import pytest
from django.urls import reverse

from hubs.models import CCG, Hub
from hubs.querysets import valid_on_q
from tests.conftest import cache_clear

pytestmark = pytest.mark.django_db

LONDON = "london"
ON = "2020-01-01"
DAY = datetime.date(2020, 1, 1)


def _grow(hub: Hub, open_count: int, closed_count: int, prefix: str = "Z") -> None:
    """`open_count` synthetic CCGs open on DAY and `closed_count` closed before it."""
    CCG.objects.bulk_create(
        CCG(
            name=f"NHS Paged {prefix}{i:04d} CCG",
            ods_code=f"{prefix}{i:04d}",
            hub=hub,
            source=CCG.Source.PUBLIC_LIST,
            valid_from=datetime.date(2013, 4, 1),
            valid_to=datetime.date(2016, 3, 31) if i >= open_count else None,
        )
        for i in range(open_count + closed_count)
    )


def _get(client, **params):
    cache_clear()  # rendered in full, not from the page cache
    response = client.get(reverse("workspace:hub-detail", args=[LONDON]), {"on": ON, **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def big_london(client, national_admin):
    hub = Hub.objects.get(slug=LONDON)
    _grow(hub, 120, 60)
    client.force_login(national_admin)
    return client, hub


def test_a_large_footprint_shows_fifty_and_the_next_pages_the_rest(big_london):
    client, hub = big_london
    expected = list(
        CCG.objects.filter(valid_on_q(DAY), hub=hub)
        .order_by("name", "pk")
        .values_list("ods_code", flat=True)
    )
    assert len(expected) > 150
    first = _get(client)
    current = first.context["current"]
    assert len(current) == 50
    assert current.paginator.count == len(expected)
    html = first.content.decode()
    assert f"{len(expected)} CCGs</strong>" in html  # the lede counts the whole footprint
    assert 'aria-label="Pages of the footprint"' in html
    assert f'href="?on={ON}&amp;page=2#footprint"' in html
    seen, page = [], 1
    while True:
        current = _get(client, page=page).context["current"]
        seen += [c.ods_code for c in current]
        if not current.has_next():
            break
        page += 1
    assert page == 4
    assert seen == expected  # each once, in name order
    assert len(current) == len(expected) - 150


def test_closed_organisations_page_on_their_own_keeping_the_footprint_page(big_london):
    client, hub = big_london
    closed_count = CCG.objects.filter(hub=hub, valid_to__lt=DAY).count()
    assert closed_count >= 60
    first = _get(client, page=2)
    html = first.content.decode()
    assert 'aria-label="Pages of the closed organisations"' in html
    assert f'href="?on={ON}&amp;page=2&amp;closed=2#closed"' in html
    second = _get(client, page=2, closed=2)
    assert second.context["current"].number == 2  # the footprint stays where it was
    assert [c.ods_code for c in second.context["closed"]] == [
        c.ods_code
        for c in CCG.objects.filter(hub=hub, valid_to__lt=DAY).order_by("name", "pk")[50:]
    ]
    assert f"{closed_count} organisations (51 to {closed_count} shown)" in second.content.decode()


def test_each_date_pages_its_own_footprint(big_london):
    client, hub = big_london
    # In 2015 the closed synthetic CCGs were still open: all 180 are in that footprint.
    then = _get(client, on="2015-01-01").context
    assert then["current"].paginator.count == (
        CCG.objects.filter(valid_on_q(datetime.date(2015, 1, 1)), hub=hub).count()
    )
    assert then["closed"].paginator.count == 0
    assert "Organisations that had closed" not in _get(client, on="2015-01-01").content.decode()


@pytest.mark.parametrize("page", ["999", "x", "-1"])
def test_out_of_range_pages_show_a_page(big_london, page):
    client, _ = big_london
    response = _get(client, page=page, closed=page)
    assert len(response.context["current"]) > 0


def test_a_large_hubs_page_runs_the_same_queries_on_any_page(
    client, national_admin, django_assert_max_num_queries
):
    hub = Hub.objects.get(slug=LONDON)
    client.force_login(national_admin)
    _grow(hub, 10, 5, prefix="Y")  # something closed, so that the closed list is read too
    # 11: the page's 10, and one for the page cache to find the hub's id (its scope).
    with django_assert_max_num_queries(11) as small:
        _get(client)
    ceiling = len(small.captured_queries)
    _grow(hub, 1500, 500)  # a hub of 2,000 and more CCGs, ten times the whole register
    for params in ({}, {"page": 20, "closed": 5}, {"page": 31, "closed": 11}):
        with django_assert_max_num_queries(ceiling):
            response = _get(client, **params)
        html = response.content.decode()
        assert html.count('<tr class="nhsuk-table__row">') <= 51  # the header and 50 rows


def test_the_hub_page_links_to_its_own_searchable_list(big_london):
    client, hub = big_london
    assert f"?hub={LONDON}&amp;on={ON}" in _get(client).content.decode()
    response = client.get(reverse("hubs:ccg-list"), {"hub": LONDON, "q": "Paged", "on": ON})
    page = response.context["page"]
    assert page.paginator.count == 120
    assert {c.hub_id for c in page} == {hub.pk}
    html = response.content.decode()
    assert "in the London hub" in html
    assert 'name="hub" value="london"' in html  # the search keeps to the hub
    assert 'href="?hub=london&amp;q=Paged&amp;on=2020-01-01&amp;page=2"' in html


def test_an_unknown_hub_in_the_search_is_explained(client, national_admin):
    client.force_login(national_admin)
    response = client.get(reverse("hubs:ccg-list"), {"hub": "no-such-hub", "q": "NHS"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "That hub is not in the register" in html
    assert 'name="hub"' not in html  # the next search is of every hub
