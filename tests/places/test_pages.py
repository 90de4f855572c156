"""The integrated care systems pages (issue 16 part 1): anyone signed in reads the list and a
system's page on a date; only national admins get the forms; bad input goes beside its field and
changes nothing; a stale edit shows the conflict; the pages' queries do not grow with the data."""

import datetime

import pytest
from django.urls import reverse

from hubs.models import Hub, IntegratedCareSystem, SystemMember
from places import services

from .conftest import APRIL_2018, APRIL_2019, JULY_2022, ccg, fresh, snapshot

pytestmark = pytest.mark.django_db

OTHERS = ["sunderland_lead", "nenc_icb_lead", "nec_hub_officer", "north_reviewer", "roleless_user"]
EVERYONE = [*OTHERS, "national_admin"]


def open_member(nenc) -> SystemMember:
    """The NENC ICB's place in its system (from July 2022, not ended)."""
    return nenc.members.get(commissioner__ods_code="QHM")


def forms(nenc) -> list[tuple[str, dict]]:
    """Each form page and a POST it would accept from a national admin."""
    central = nenc.places.get(name="Central")
    return [
        (
            reverse("places:system-create"),
            {
                "name": "Cheshire and Merseyside",
                "short_name": "CM",
                "kind": "stp",
                "hub": "north-west",
                "valid_from": "2018-04-01",
            },
        ),
        (
            reverse("places:system-edit", args=[nenc.pk]),
            {
                "name": "North East and North Cumbria ICS",
                "short_name": "NENC",
                "kind": "ics",
                "hub": "north-east-and-cumbria",
                "valid_from": "2018-04-01",
                "valid_to": "2030-03-31",
                "version": nenc.version,
            },
        ),
        (
            reverse("places:place-create", args=[nenc.pk]),
            {"name": "Tees Valley", "valid_from": "2021-04-01"},
        ),
        (
            reverse("places:member-create", args=[nenc.pk]),
            {
                "commissioner": "QE1",
                "place": central.pk,
                "valid_from": "2022-07-01",
                "valid_to": "2022-12-31",
            },
        ),
        (
            reverse("places:member-end", args=[open_member(nenc).pk]),
            {"valid_to": "2030-03-31"},
        ),
    ]


FORM_NAMES = ["system-create", "system-edit", "place-create", "member-create", "member-end"]


# --- who may do what --------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page(client, nenc):
    urls = [reverse("places:system-list"), reverse("places:system-detail", args=[nenc.pk])]
    urls += [url for url, _ in forms(nenc)]
    before = snapshot()
    for url in urls:
        for response in [client.get(url), client.post(url, {"name": "Nope"})]:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
            assert f"next={url}" in response["Location"]
    assert snapshot() == before


@pytest.mark.parametrize("who", EVERYONE)
def test_anyone_signed_in_reads_the_list_and_a_system(client, request, nenc, who):
    client.force_login(request.getfixturevalue(who))
    listing = client.get(reverse("places:system-list"))
    assert listing.status_code == 200
    assert nenc in listing.context["systems"]
    detail = client.get(reverse("places:system-detail", args=[nenc.pk]))
    assert detail.status_code == 200
    assert "North East and North Cumbria ICS" in detail.content.decode()
    keeper = who == "national_admin"
    assert (reverse("places:system-create") in listing.content.decode()) is keeper
    assert (reverse("places:system-edit", args=[nenc.pk]) in detail.content.decode()) is keeper
    end_link = reverse("places:member-end", args=[open_member(nenc).pk])
    assert (end_link in detail.content.decode()) is keeper


def test_unknown_system_is_404(client, sunderland_lead, national_admin):
    client.force_login(sunderland_lead)
    assert client.get(reverse("places:system-detail", args=[999999])).status_code == 404
    client.force_login(national_admin)
    assert client.get(reverse("places:system-edit", args=[999999])).status_code == 404
    assert client.get(reverse("places:member-end", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", OTHERS)
@pytest.mark.parametrize("form", range(len(FORM_NAMES)), ids=FORM_NAMES)
def test_only_national_admins_get_the_forms(client, request, nenc, who, form):
    client.force_login(request.getfixturevalue(who))
    url, data = forms(nenc)[form]
    before = snapshot()
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("form", range(len(FORM_NAMES)), ids=FORM_NAMES)
def test_national_admin_uses_every_form(client, national_admin, nenc, form):
    client.force_login(national_admin)
    url, data = forms(nenc)[form]
    assert client.get(url).status_code == 200
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302
    assert snapshot() != before


def test_national_admin_adds_a_system_and_its_place_and_commissioner(client, national_admin):
    client.force_login(national_admin)
    url, data = forms(IntegratedCareSystem.objects.get(short_name="NENC"))[0]
    response = client.post(url, data)
    assert response["Location"] == reverse("places:system-list")
    system = IntegratedCareSystem.objects.get(name="Cheshire and Merseyside")
    assert (system.kind, system.hub.slug, system.valid_from) == ("stp", "north-west", APRIL_2018)
    added = client.post(
        reverse("places:place-create", args=[system.pk]),
        {"name": "Wirral", "valid_from": "2019-04-01"},
    )
    assert added["Location"] == system.get_absolute_url()
    wirral = system.places.get()
    client.post(
        reverse("places:member-create", args=[system.pk]),
        {
            "commissioner": "12F",
            "place": wirral.pk,
            "valid_from": "2019-04-01",
            "valid_to": "2022-06-30",
        },
    )
    member = system.members.get()
    assert (member.commissioner.ods_code, member.place, member.valid_to) == (
        "12F",
        wirral,
        datetime.date(2022, 6, 30),
    )
    page = client.get(system.get_absolute_url(), {"on": "2019-04-01"})
    assert "NHS Wirral CCG" in page.content.decode()


# --- bad input --------------------------------------------------------------------------------


def posted_error(client, url: str, data: dict, field: str, text: str) -> None:
    """POST `data`: the page comes back with `text` beside `field`, and nothing changed."""
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    marker = f'id="id_{field}_error">'
    assert marker in html
    # <span id=..._error><span class="nhsuk-u-visually-hidden">Error: </span>the message</span>
    beside = html.split(marker, 1)[1].split("</span>", 2)[1]
    assert text in beside
    assert snapshot() == before


@pytest.mark.parametrize(
    ("form", "change", "field", "text"),
    [
        (0, {"name": ""}, "name", "Enter the system&#x27;s name"),
        (0, {"hub": "narnia"}, "hub", "Select a valid choice"),
        (0, {"valid_from": "31/02/2019"}, "valid_from", "Enter a real date"),
        (0, {"valid_to": "2017-01-01"}, "valid_to", "The end date must be on or after"),
        (0, {"name": "north east and north cumbria ics"}, "name", "There is a system called"),
        (1, {"valid_from": "2019-04-01"}, "valid_from", "A commissioner is in the system before"),
        (1, {"valid_to": "2018-03-31"}, "valid_to", "The end date must be on or after"),
        (2, {"name": "Central"}, "name", "has a place called Central already"),
        (2, {"valid_from": "2018-03-31"}, "valid_from", "cannot start before the system"),
        (3, {"commissioner": "QE1", "valid_from": "2022-06-30"}, "commissioner", "was not open"),
        (
            3,
            {"commissioner": "00P", "place": "", "valid_from": "2019-04-01", "valid_to": ""},
            "valid_to",
            "closed on 30 June 2022",
        ),
        (
            3,
            {"commissioner": "00P", "valid_from": "2019-04-01", "valid_to": "2020-03-31"},
            "valid_from",
            "is in North East and North Cumbria ICS already from 1 April 2018",
        ),
        (3, {"commissioner": "ZZZ"}, "commissioner", "Select a valid choice"),
        (3, {"valid_from": "2018-03-31", "commissioner": "00D"}, "valid_from", "did not exist"),
        (4, {"valid_to": "2022-06-30"}, "valid_to", "The end date must be on or after"),
        (4, {"valid_to": ""}, "valid_to", "Enter the left the system on"),
    ],
)
def test_bad_input_is_shown_beside_its_field(
    client, national_admin, nenc, form, change, field, text
):
    client.force_login(national_admin)
    url, data = forms(nenc)[form]
    posted_error(client, url, {**data, **change}, field, text)


def test_a_place_of_another_system_cannot_be_chosen(client, national_admin, nenc):
    other = services.system_create(
        by=national_admin,
        name="Cheshire and Merseyside",
        short_name="",
        kind="stp",
        hub=Hub.objects.get(slug="north-west"),
        valid_from=APRIL_2018,
    )
    wirral = services.place_add(
        by=national_admin, system=other, name="Wirral", valid_from=APRIL_2018
    )
    client.force_login(national_admin)
    url, data = forms(nenc)[3]
    posted_error(client, url, {**data, "place": wirral.pk}, "place", "Select a valid choice")
    # Its own page offers only its own places.
    page = client.get(url)
    assert set(page.context["form"].fields["place"].queryset) == set(nenc.places.all())


def test_a_place_not_open_on_the_start_date_is_refused(client, national_admin, nenc):
    later = services.place_add(
        by=national_admin, system=nenc, name="Tees Valley", valid_from=datetime.date(2023, 4, 1)
    )
    client.force_login(national_admin)
    url, data = forms(nenc)[3]
    posted_error(client, url, {**data, "place": later.pk}, "place", "did not exist on 1 July 2022")


def test_ending_a_member_twice_is_refused(client, national_admin, nenc):
    sunderland = nenc.members.get(commissioner__ods_code="00P")
    client.force_login(national_admin)
    posted_error(
        client,
        reverse("places:member-end", args=[sunderland.pk]),
        {"valid_to": "2021-03-31"},
        "valid_to",
        "It left on 30 June 2022 already.",
    )


def test_stale_edit_shows_the_conflict_and_keeps_the_record(client, national_admin, nenc):
    url, data = forms(nenc)[1]
    stale = nenc.version
    services.system_update(by=national_admin, system=nenc, version=stale, short_name="NENC ICS")
    client.force_login(national_admin)
    before = snapshot()
    response = client.post(url, {**data, "short_name": "Mine", "version": stale})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nadia Shah saved this while you were editing" in html
    # Their value beside yours, field by field (issue 18), not a sentence in the summary.
    assert 'id="conflict-short_name-their-version">NENC ICS' in html
    assert 'id="conflict-short_name-your-version">Mine' in html
    assert snapshot() == before
    assert fresh(nenc).short_name == "NENC ICS"
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"].data["version"] == str(stale + 1)
    again = client.post(url, {**data, "short_name": "Mine", "version": stale + 1})
    assert again.status_code == 302
    assert fresh(nenc).short_name == "Mine"


# --- through time -----------------------------------------------------------------------------


def on_day_section(html: str) -> str:
    """The part of a system's page about the chosen day (not its history table)."""
    return html.split('id="places"', 1)[1].split("Commissioners through time", 1)[0]


def test_system_page_shows_the_commissioners_of_the_day(client, sunderland_lead, nenc):
    client.force_login(sunderland_lead)
    url = reverse("places:system-detail", args=[nenc.pk])
    in_2019 = client.get(url, {"on": "2019-04-01"})
    in_2022 = client.get(url, {"on": "2022-07-01"})
    early, late = on_day_section(in_2019.content.decode()), on_day_section(in_2022.content.decode())
    for code in ["00P", "00N", "00D", "00J"]:
        assert f"({code})" in early
        assert f"({code})" not in late
    assert "(QHM" not in early
    assert 'id="unplaced"' in late
    assert "(QHM, ICB)" in late
    assert {p.name for p, _ in in_2019.context["places"]} == {
        "North",
        "Central",
        "South",
        "North Cumbria",
    }
    central = next(
        members for place, members in in_2019.context["places"] if place.name == "Central"
    )
    assert {m.commissioner.ods_code for m in central} == {"00P", "00N", "00D", "00J"}
    assert all(members == [] for _, members in in_2022.context["places"])
    # The history table is the same on any day.
    assert len(in_2019.context["members"]) == len(in_2022.context["members"])


def test_system_page_before_the_system_began(client, sunderland_lead, nenc):
    client.force_login(sunderland_lead)
    page = client.get(reverse("places:system-detail", args=[nenc.pk]), {"on": "2017-04-01"})
    assert "North East and North Cumbria ICS did not exist on 1 April 2017" in page.content.decode()


def test_list_counts_the_places_and_commissioners_of_the_day(client, sunderland_lead, nenc):
    client.force_login(sunderland_lead)
    url = reverse("places:system-list")
    for day in [APRIL_2019, JULY_2022]:
        (row,) = client.get(url, {"on": day.isoformat()}).context["systems"]
        assert row.place_count == 4
        assert row.member_count == SystemMember.objects.valid_on(day).filter(system=nenc).count()
    assert client.get(url, {"on": "2022-07-01"}).context["systems"][0].member_count == 1
    assert client.get(url, {"on": "2017-04-01"}).context["systems"] == []


def test_bad_date_on_the_list_is_explained_beside_the_field(client, sunderland_lead, nenc):
    client.force_login(sunderland_lead)
    response = client.get(reverse("places:system-list"), {"on": "31/02/2019"})
    assert response.status_code == 200
    assert 'id="id_on_error"' in response.content.decode()
    assert nenc in response.context["systems"]  # today's systems rather than nothing


# --- bounded queries --------------------------------------------------------------------------


def many_systems(by, count: int) -> None:
    """`count` more systems, each with two places and a commissioner in each."""
    hub = Hub.objects.get(slug="north-west")
    codes = ["00Q", "00R", "00X", "01A", "01E", "01K", "02G", "02M"]
    for n in range(count):
        system = services.system_create(
            by=by, name=f"System {n}", short_name="", kind="stp", hub=hub, valid_from=APRIL_2018
        )
        for p in range(2):
            place = services.place_add(
                by=by, system=system, name=f"Place {p}", valid_from=APRIL_2018
            )
            services.member_add(
                by=by,
                system=system,
                commissioner=ccg(codes[(2 * n + p) % len(codes)]),
                place=place,
                valid_from=APRIL_2019,
                valid_to=datetime.date(2022, 6, 30),
            )


def test_list_queries_are_bounded(client, national_admin, nenc, django_assert_max_num_queries):
    client.force_login(national_admin)
    url = reverse("places:system-list")
    with django_assert_max_num_queries(10) as small:
        client.get(url, {"on": "2020-04-01"})
    limit = len(small.captured_queries)  # now: a later request resets the query log
    assert limit > 0
    many_systems(national_admin, 6)
    with django_assert_max_num_queries(limit):
        response = client.get(url, {"on": "2020-04-01"})
    assert len(response.context["systems"]) == 7


def test_detail_queries_are_bounded(client, national_admin, django_assert_max_num_queries):
    client.force_login(national_admin)
    system = services.system_create(
        by=national_admin,
        name="Cheshire and Merseyside",
        short_name="",
        kind="stp",
        hub=Hub.objects.get(slug="north-west"),
        valid_from=APRIL_2018,
    )
    wirral = services.place_add(
        by=national_admin, system=system, name="Wirral", valid_from=APRIL_2018
    )
    services.member_add(
        by=national_admin,
        system=system,
        commissioner=ccg("12F"),
        place=wirral,
        valid_from=APRIL_2019,
        valid_to=datetime.date(2022, 6, 30),
    )
    url = reverse("places:system-detail", args=[system.pk])
    with django_assert_max_num_queries(10) as small:
        client.get(url, {"on": "2020-04-01"})
    limit = len(small.captured_queries)  # now: a later request resets the query log
    assert limit > 0
    nenc = IntegratedCareSystem.objects.get(short_name="NENC")
    assert nenc.members.count() == 14
    assert nenc.places.count() == 4
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("places:system-detail", args=[nenc.pk]), {"on": "2020-04-01"})
    # North 3, Central 3 (00P, 00N, 84H), South 1 (16C), North Cumbria 1; 14 in the history.
    assert sum(len(members) for _, members in response.context["places"]) == 8
    assert len(response.context["members"]) == 14
