"""The register's pages in both eras (issue 13) run the same number of queries however many
organisations and successions there are: CCGs of 2015, mergers, ICBs of July 2022."""

import datetime

import pytest
from django.urls import reverse

from hubs.models import CCG, CCGSuccession, Hub
from tests.conftest import cache_clear

pytestmark = pytest.mark.django_db

LONDON = "london"
D = datetime.date
ERAS = ["2015-04-01", "2026-04-01"]  # the CCGs of 2015/16, and the ICBs of this year


def _grow(hub: Hub, count: int, prefix: str) -> None:
    """`count` synthetic CCGs of 2013 in `hub`: pairs merge in April 2016, and the merged CCGs'
    functions pass to synthetic ICBs (one per five) on 1 July 2022."""
    ccgs = CCG.objects.bulk_create(
        CCG(
            name=f"NHS Synthetic {prefix}{i} CCG",
            ods_code=f"{prefix}{i:02d}",
            hub=hub,
            source=CCG.Source.PUBLIC_LIST,
            valid_from=D(2013, 4, 1),
            valid_to=D(2022, 6, 30),
        )
        for i in range(count)
    )
    icbs = CCG.objects.bulk_create(
        CCG(
            name=f"NHS Synthetic {prefix}{i} Integrated Care Board",
            kind=CCG.Kind.ICB,
            ods_code=f"{prefix}I{i:02d}",
            hub=hub,
            source=CCG.Source.ICB_2022,
            valid_from=D(2022, 7, 1),
        )
        for i in range(max(1, count // 5))
    )
    links = []
    for i, ccg in enumerate(ccgs):
        if i % 2 == 0 and i + 1 < len(ccgs):
            links.append(
                CCGSuccession(predecessor=ccg, successor=ccgs[i + 1], effective_date=D(2016, 4, 1))
            )
        links.append(
            CCGSuccession(
                predecessor=ccg, successor=icbs[i % len(icbs)], effective_date=D(2022, 7, 1)
            )
        )
    # A CCG merged in 2016 closed then; only the survivors pass to an ICB.
    merged = {link.predecessor_id for link in links if link.effective_date.year == 2016}
    CCG.objects.filter(pk__in=merged).update(valid_to=D(2016, 3, 31))
    CCGSuccession.objects.bulk_create(
        link
        for link in links
        if not (link.predecessor_id in merged and link.effective_date.year == 2022)
    )


def _pages() -> list[tuple[str, str]]:
    pages = [("hub", reverse("workspace:hub-detail", args=[LONDON]))]
    for on in ERAS:
        pages += [
            (f"overview {on}", reverse("hubs:overview") + f"?on={on}"),
            (f"search {on}", reverse("hubs:ccg-list") + f"?q=NHS&on={on}"),
            (f"hub {on}", reverse("workspace:hub-detail", args=[LONDON]) + f"?on={on}"),
        ]
    return [
        *pages,
        ("CCG", reverse("hubs:ccg-detail", args=["W01"])),  # merged in, then to an ICB
        ("ICB", reverse("hubs:ccg-detail", args=["WI00"])),
        ("ICB list", reverse("hubs:ccg-list") + "?q=Integrated+Care+Board"),
    ]


def _footprint_codes(client, on: str) -> set[str]:
    """The ODS codes of London's footprint on `on`, following the hub page's pages."""
    codes: list[str] = []
    page = 1
    while True:
        cache_clear()
        response = client.get(
            reverse("workspace:hub-detail", args=[LONDON]), {"on": on, "page": page}
        )
        current = response.context["current"]
        codes += [c.ods_code for c in current]
        if not current.has_next():
            assert len(codes) == len(set(codes)) == current.paginator.count
            return set(codes)
        page += 1


def test_register_pages_do_not_grow_with_organisations_or_successions(
    client, national_admin, django_assert_max_num_queries
):
    hub = Hub.objects.get(slug=LONDON)
    _grow(hub, 10, "W")
    client.force_login(national_admin)
    small = {}
    for label, url in _pages():
        cache_clear()  # rendered in full each time, not from the page cache
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        assert response.status_code == 200, label
        small[label] = len(captured.captured_queries)
    # Ten times the synthetic organisations, with their mergers and ICBs: no query more.
    _grow(hub, 100, "V")
    # ...and the ICB and CCG whose pages are measured gain many predecessors (a split CCG's
    # functions passed to more than one ICB, as three did in 2022).
    survivors = list(CCG.objects.filter(ods_code__startswith="V", valid_to=D(2022, 6, 30)))
    assert len(survivors) == 50
    icb, ccg = CCG.objects.get(ods_code="WI00"), CCG.objects.get(ods_code="W01")
    CCGSuccession.objects.bulk_create(
        [
            *(
                CCGSuccession(predecessor=c, successor=icb, effective_date=D(2022, 7, 1))
                for c in survivors
            ),
            *(
                CCGSuccession(predecessor=c, successor=ccg, effective_date=D(2016, 4, 1))
                for c in CCG.objects.filter(ods_code__startswith="V", valid_to=D(2016, 3, 31))
            ),
        ]
    )
    for label, url in _pages():
        cache_clear()
        with django_assert_max_num_queries(small[label]):
            response = client.get(url)
        assert response.status_code == 200, label
    # The pages did list the new organisations, each in its own era (a page at a time).
    then_codes, now_codes = (
        _footprint_codes(client, "2015-04-01"),
        _footprint_codes(client, "2026-04-01"),
    )
    assert {"V00", "V99"} <= then_codes
    assert not {"VI00"} & then_codes
    assert {"VI00", "VI19"} <= now_codes
    assert not {"V00", "V99"} & now_codes
    icb_page = client.get(reverse("hubs:ccg-detail", args=["WI00"])).content.decode()
    assert icb_page.count("NHS Synthetic V") >= 50  # every predecessor named, at no query more
