"""The arrangements table and its CSV, a CCG's co-commissioning page, registers of interests and
the application windows (issue 15, "What to build" 1, 3 and 6; seed 002)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from cocommissioning.models import ApplicationWindow, Arrangement, Interest, Model
from hubs.models import CCG, Region
from tests.factories import make_user

from .conftest import APRIL_2015, APRIL_2016, delegated_draft

pytestmark = pytest.mark.django_db

TABLE = reverse("cocommissioning:arrangements")
WINDOWS = reverse("cocommissioning:windows")


@pytest.fixture
def barking() -> CCG:
    return CCG.objects.get(ods_code="07L")


@pytest.fixture
def barking_lead(barking):
    """Bea, CCG lead of NHS Barking and Dagenham CCG (London): another CCG's lead."""
    return make_user("bea@example.nhs.uk", "Bea Grant", (Role.CCG_LEAD, barking))


@pytest.fixture
def london_reviewer(register):
    return make_user(
        "lena@example.nhs.uk", "Lena Park", (Role.REGIONAL_TEAM, Region.objects.get(slug="london"))
    )


def arrange(ccg, model, valid_from, valid_to=None, functions=()):
    return Arrangement.objects.create(
        ccg=ccg, model=model, valid_from=valid_from, valid_to=valid_to, functions=list(functions)
    )


@pytest.fixture
def history(sunderland, barking):
    """Sunderland: greater involvement in 2014/15, delegated from 1 April 2015. Barking and
    Dagenham: nothing until joint commissioning from 1 April 2016."""
    arrange(sunderland, Model.GREATER_INVOLVEMENT, datetime.date(2014, 10, 1), APRIL_2015 - ONE)
    arrange(sunderland, Model.DELEGATED, APRIL_2015, functions=["gms_pms", "enhanced"])
    arrange(barking, Model.JOINT, APRIL_2016)


ONE = datetime.timedelta(days=1)


def rows_of(response) -> dict[str, str]:
    """ODS code → model label, as the table shows them."""
    return {
        r["ccg"].ods_code: (r["arrangement"].model if r["arrangement"] else "none")
        for r in response.context["rows"]
    }


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- the arrangements table ------------------------------------------------------------------


def test_table_permission_ladder(
    client, roleless_user, sunderland_lead, north_reviewer, committee_member, national_admin
):
    response = client.get(TABLE)
    assert response.status_code == 302
    assert "login" in response.url
    client.force_login(roleless_user)
    assert client.get(TABLE).status_code == 403
    assert client.get(WINDOWS).status_code == 403
    for user in [sunderland_lead, north_reviewer, committee_member, national_admin]:
        client.force_login(user)
        response = client.get(TABLE)
        assert response.status_code == 200
        assert "Co-commissioning" in [i["label"] for i in response.context["nav_items"]] or (
            b">Co-commissioning</a>" in response.content
        )


def test_nav_link_only_for_people_with_a_role(client, roleless_user, sunderland_lead):
    # Listed on All services, the header's page of every area (issue 18: at most seven links).
    client.force_login(roleless_user)
    assert b">Co-commissioning</a>" not in client.get(reverse("workspace:services")).content
    client.force_login(sunderland_lead)
    assert b">Co-commissioning</a>" in client.get(reverse("workspace:services")).content


def test_every_date_in_its_own_time(client, national_admin, history):
    """The table on 1 April 2015 and on 1 April 2016 differ as arrangements begin and end."""
    client.force_login(national_admin)
    in_2015 = client.get(TABLE, {"on": "2015-04-01"})
    in_2016 = client.get(TABLE, {"on": "2016-04-01"})
    before = client.get(TABLE, {"on": "2015-03-31"})
    assert rows_of(before)["00P"] == Model.GREATER_INVOLVEMENT
    assert rows_of(in_2015)["00P"] == Model.DELEGATED
    assert rows_of(in_2015)["07L"] == "none"
    assert rows_of(in_2016)["07L"] == Model.JOINT
    counts_2015 = dict(in_2015.context["counts"])
    counts_2016 = dict(in_2016.context["counts"])
    assert counts_2015["Joint commissioning"] == 0
    assert counts_2016["Joint commissioning"] == 1
    assert counts_2015["Delegated commissioning"] == 1
    # Today no CCG is open (they closed on 30 June 2022): the default is today's truth.
    today = client.get(TABLE)
    assert today.context["rows"] == []
    assert b"2015-04-01" in today.content


def test_filters_and_sort(client, national_admin, history):
    client.force_login(national_admin)
    london = client.get(TABLE, {"on": "2016-04-01", "region": "london"})
    assert "07L" in rows_of(london)
    assert "00P" not in rows_of(london)
    assert all(r["ccg"].hub.region.slug == "london" for r in london.context["rows"])
    joint = client.get(TABLE, {"on": "2016-04-01", "model": "joint"})
    assert list(rows_of(joint)) == ["07L"]
    none = client.get(TABLE, {"on": "2016-04-01", "model": "none", "region": "london"})
    assert "07L" not in rows_of(none)
    assert len(rows_of(none)) > 10
    # Counts stay those of the date and region, whatever model is chosen.
    assert dict(joint.context["counts"])["Joint commissioning"] == 1
    down = client.get(TABLE, {"on": "2015-04-01", "sort": "ccg", "order": "desc"})
    names = [r["ccg"].name for r in down.context["rows"]]
    assert names == sorted(names, reverse=True)
    assert b'aria-sort="descending"' in down.content
    by_since = client.get(TABLE, {"on": "2016-04-01", "sort": "since", "order": "desc"})
    assert [r["ccg"].ods_code for r in by_since.context["rows"][:2]] == ["07L", "00P"]
    header = next(h for h in by_since.context["headers"] if h["key"] == "since")
    assert header["aria_sort"] == "descending"
    assert "order=asc" in header["url"]


def test_quick_dates_keep_the_filters_and_sort(client, national_admin, history):
    client.force_login(national_admin)
    page = client.get(TABLE, {"on": "2016-04-01", "region": "london", "sort": "since"})
    quick = dict(page.context["quick_days"])
    april_2015 = quick[datetime.date(2015, 4, 1)]
    assert april_2015 == "?region=london&sort=since&on=2015-04-01"
    assert page.context["today_url"] == "?region=london&sort=since"
    assert f'href="{april_2015.replace("&", "&amp;")}"' in page.content.decode()


def test_bad_date_shown_beside_the_field(client, national_admin):
    client.force_login(national_admin)
    response = client.get(TABLE, {"on": "2012-01-01"})
    assert response.status_code == 200
    assert "on or after 1 April 2013" in response.context["form"].errors["on"][0]
    assert b'id="id_on_error"' in response.content


def test_csv_has_the_filters_and_the_date(client, national_admin, history):
    client.force_login(national_admin)
    response = client.get(TABLE, {"on": "2016-04-01", "model": "joint", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "2016-04-01" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "CCG",
        "ODS code",
        "Model",
        "Functions",
        "Since",
        "Region",
        "Hub",
        "Area team",
    ]
    assert rows[1:] == [
        [
            "NHS Barking and Dagenham CCG",
            "07L",
            "Joint commissioning",
            "",
            "2016-04-01",
            "London",
            "London",
            "London",
        ]
    ]
    delegated = csv_rows(
        client.get(TABLE, {"on": "2015-04-01", "model": "delegated", "format": "csv"})
    )
    assert [r[1] for r in delegated[1:]] == ["00P"]
    assert (
        delegated[1][3] == "GMS and PMS contracts; Enhanced services (GP and pharmacy, LES and DES)"
    )
    # The date is respected: Sunderland's model in 2014/15 was greater involvement.
    earlier = csv_rows(client.get(TABLE, {"on": "2015-03-31", "format": "csv"}))
    assert next(r for r in earlier if r[1] == "00P")[2] == "Greater involvement"
    # The page's link carries the same filters and date.
    page = client.get(TABLE, {"model": "joint", "on": "2016-04-01"})
    assert "format=csv" in page.context["csv_url"]
    assert "model=joint" in page.context["csv_url"]


def test_table_queries_are_bounded(client, national_admin, django_assert_max_num_queries):
    client.force_login(national_admin)
    open_ccgs = list(CCG.objects.filter(kind=CCG.Kind.CCG, valid_from__lte=APRIL_2016))
    with django_assert_max_num_queries(12) as small:
        client.get(TABLE, {"on": "2016-04-01"})
    for n, ccg in enumerate(open_ccgs):
        arrange(ccg, Model.GREATER_INVOLVEMENT, datetime.date(2014, 4, 1), APRIL_2015 - ONE)
        arrange(ccg, [Model.JOINT, Model.DELEGATED][n % 2], APRIL_2015, functions=["gms_pms"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(TABLE, {"on": "2016-04-01", "sort": "model"})
    assert len(response.context["rows"]) > 100
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(TABLE, {"on": "2016-04-01", "format": "csv"})


# --- a CCG's page: greater involvement -------------------------------------------------------


def ccg_url(ccg) -> str:
    return reverse("cocommissioning:ccg", args=[ccg.ods_code])


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("sunderland_lead", True),
        ("barking_lead", False),
        ("north_reviewer", True),
        ("london_reviewer", False),
        ("committee_member", False),
        ("national_admin", True),
    ],
)
def test_greater_involvement_ladder(client, request, sunderland, barking, who, allowed):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(ccg_url(sunderland))
    assert page.status_code == 200
    assert (b"Record greater involvement</button>" in page.content) is allowed
    response = client.post(ccg_url(sunderland), {"valid_from": "2014-10-01"})
    made = Arrangement.objects.filter(ccg=sunderland).count()
    if allowed:
        assert response.status_code == 302
        assert made == 1
        assert Arrangement.objects.get(ccg=sunderland).model == Model.GREATER_INVOLVEMENT
    else:
        assert response.status_code == 403
        assert made == 0


def test_ccg_page_for_anonymous_and_roleless(client, sunderland, roleless_user):
    assert client.get(ccg_url(sunderland)).status_code == 302
    client.force_login(roleless_user)
    assert client.get(ccg_url(sunderland)).status_code == 403
    assert client.post(ccg_url(sunderland), {"valid_from": "2014-10-01"}).status_code == 403
    assert not Arrangement.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the date greater involvement begins"),
        ("not a date", "Enter a real date"),
        ("2012-06-01", "was not open on"),
    ],
)
def test_greater_involvement_bad_input_beside_the_field(
    client, sunderland, sunderland_lead, value, message
):
    client.force_login(sunderland_lead)
    response = client.post(ccg_url(sunderland), {"valid_from": value})
    assert response.status_code == 200
    assert message in response.context["form"].errors["valid_from"][0]
    assert b'id="id_valid_from_error"' in response.content
    assert not Arrangement.objects.exists()


def test_ccg_page_history_and_applications_kept_from_other_ccgs(
    client, windows, sunderland, sunderland_lead, barking_lead, history
):
    delegated_draft(sunderland_lead, sunderland, go_live_on=APRIL_2016)
    client.force_login(sunderland_lead)
    own = client.get(ccg_url(sunderland))
    assert len(own.context["history"]) == 2
    assert len(own.context["applications"]) == 1
    client.force_login(barking_lead)
    other = client.get(ccg_url(sunderland))
    assert len(other.context["history"]) == 2  # the arrangement is public
    assert other.context["applications"] == []
    assert b'id="applications"' not in other.content


def test_ccg_page_queries_are_bounded(
    client, sunderland, sunderland_lead, django_assert_max_num_queries
):
    client.force_login(sunderland_lead)
    for year in range(2013, 2022):
        arrange(
            sunderland,
            Model.GREATER_INVOLVEMENT,
            datetime.date(year, 4, 1),
            datetime.date(year + 1, 3, 31),
        )
    with django_assert_max_num_queries(12):
        response = client.get(ccg_url(sunderland))
    assert len(response.context["history"]) == 9


# --- the register of interests -----------------------------------------------------------------


def interests_url(ccg) -> str:
    return reverse("cocommissioning:interests", args=[ccg.ods_code])


def add_url(ccg) -> str:
    return reverse("cocommissioning:interest-add", args=[ccg.ods_code])


ENTRY = {
    "person": "Dr Asha Rao",
    "position": "GP member, governing body",
    "kind": "financial",
    "description": "Partner at Riverside Surgery",
    "managed_by": "Excluded from decisions on GMS contracts",
    "valid_from": "2015-04-01",
    "valid_to": "",
}


def declare(ccg, **changes) -> Interest:
    fields = {**ENTRY, "valid_from": APRIL_2015, "valid_to": None, **changes}
    return Interest.objects.create(ccg=ccg, **fields)


def test_register_readable_by_anyone_signed_in(client, sunderland, roleless_user, barking_lead):
    declare(sunderland)
    assert client.get(interests_url(sunderland)).status_code == 302
    for user in [roleless_user, barking_lead]:
        client.force_login(user)
        response = client.get(interests_url(sunderland))
        assert response.status_code == 200
        assert b"Dr Asha Rao" in response.content
        assert not response.context["keeper"]
        assert b"Add an interest" not in response.content
        assert client.get(add_url(sunderland)).status_code == 403


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("sunderland_lead", True),
        ("barking_lead", False),
        ("north_reviewer", False),
        ("committee_member", False),
        ("roleless_user", False),
        ("national_admin", True),
    ],
)
def test_add_interest_ladder(client, request, sunderland, who, allowed):
    client.force_login(request.getfixturevalue(who))
    response = client.post(add_url(sunderland), ENTRY)
    assert (response.status_code == 302) is allowed
    assert Interest.objects.filter(ccg=sunderland).exists() is allowed
    if not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": ""}, "description", "Describe the interest"),
        ({"kind": ""}, "kind", "Choose the type of interest"),
        ({"valid_to": "2015-01-01"}, "valid_to", "ends on or after"),
        ({"valid_from": "31/13/2015"}, "valid_from", "Enter a real date"),
    ],
)
def test_add_interest_bad_input_beside_the_field(
    client, sunderland, sunderland_lead, changes, field, message
):
    client.force_login(sunderland_lead)
    response = client.post(add_url(sunderland), {**ENTRY, **changes})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Interest.objects.exists()


def edit_url(interest) -> str:
    return reverse("cocommissioning:interest-edit", args=[interest.pk])


def test_change_interest_and_stale_version(client, sunderland, sunderland_lead, national_admin):
    interest = declare(sunderland)
    client.force_login(sunderland_lead)
    assert client.get(edit_url(interest)).context["form"]["version"].value() == 1
    changed = {**ENTRY, "managed_by": "Leaves the room", "version": "1"}
    assert client.post(edit_url(interest), changed).status_code == 302
    interest.refresh_from_db()
    assert interest.managed_by == "Leaves the room"
    assert interest.version == 2
    # A second keeper saves from the page they opened at version 1: refused, nothing changed.
    client.force_login(national_admin)
    stale = client.post(edit_url(interest), {**ENTRY, "position": "Chair", "version": "1"})
    assert stale.status_code == 409
    assert "saved this while you were editing" in stale.content.decode()
    assert stale.context["form"].data["version"] == "2"
    interest.refresh_from_db()
    assert interest.position == ENTRY["position"]
    assert interest.version == 2


def test_other_ccg_lead_cannot_change_or_archive(client, sunderland, barking_lead):
    interest = declare(sunderland)
    client.force_login(barking_lead)
    assert client.get(edit_url(interest)).status_code == 403
    assert client.post(edit_url(interest), {"archive": "1", "version": "1"}).status_code == 403
    interest.refresh_from_db()
    assert not interest.archived
    assert interest.version == 1


def test_archive_keeps_the_entry(client, sunderland, sunderland_lead, barking_lead):
    interest = declare(sunderland)
    client.force_login(sunderland_lead)
    response = client.post(edit_url(interest), {"archive": "1", "version": "1"})
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.archived
    assert Interest.objects.count() == 1
    keeper_page = client.get(interests_url(sunderland))
    assert keeper_page.context["entries"] == []
    assert keeper_page.context["archived"] == [interest]
    assert b"Archived entries" in keeper_page.content
    client.force_login(barking_lead)
    public = client.get(interests_url(sunderland))
    assert b"Dr Asha Rao" not in public.content
    assert b"Archived entries" not in public.content
    # An archived entry is not changed again.
    client.force_login(sunderland_lead)
    again = client.post(edit_url(interest), {**ENTRY, "version": "2"})
    assert again.status_code == 200
    assert "archived" in again.content.decode()


def test_register_csv(client, sunderland, barking, roleless_user):
    declare(sunderland)
    declare(sunderland, person="Archived Person", archived=True)
    declare(barking, person="Someone Else")
    declare(sunderland, person="=HYPERLINK(1)")
    client.force_login(roleless_user)
    response = client.get(interests_url(sunderland), {"format": "csv"})
    assert "register-of-interests-00P.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Name",
        "Position",
        "Type",
        "Description",
        "How it is managed",
        "From",
        "To",
    ]
    assert sorted(r[0] for r in rows[1:]) == ["'=HYPERLINK(1)", "Dr Asha Rao"]
    asha = next(r for r in rows if r[0] == "Dr Asha Rao")
    assert asha[2:] == [
        "Financial",
        ENTRY["description"],
        ENTRY["managed_by"],
        "2015-04-01",
        "",
    ]


def test_register_queries_are_bounded(
    client, sunderland, sunderland_lead, django_assert_max_num_queries
):
    client.force_login(sunderland_lead)
    for n in range(40):
        declare(sunderland, person=f"Person {n}", archived=n % 4 == 0)
    with django_assert_max_num_queries(10):
        response = client.get(interests_url(sunderland))
    assert len(response.context["entries"]) == 30
    assert len(response.context["archived"]) == 10
    with django_assert_max_num_queries(8):
        client.get(interests_url(sunderland), {"format": "csv"})


# --- application windows ---------------------------------------------------------------------

WINDOW = {
    "model": "delegated",
    "go_live_on": "2017-04-01",
    "submit_by": "2016-06-01",
    "sign_off_on": "2016-09-01",
    "source": "Letter to CCGs, 2016",
}


def test_windows_list_cites_seed_002(client, windows, committee_member):
    client.force_login(committee_member)
    response = client.get(WINDOWS)
    assert response.status_code == 200
    assert len(response.context["windows"]) == 3
    html = response.content.decode()
    assert "Seed 002, Implementation timetable" in html
    assert "16 February 2015" in html
    assert "Add a window" not in html


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("sunderland_lead", False),
        ("north_reviewer", False),
        ("committee_member", False),
        ("national_admin", True),
    ],
)
def test_add_window_ladder(client, request, windows, who, allowed):
    client.force_login(request.getfixturevalue(who))
    response = client.post(WINDOWS, WINDOW)
    assert response.status_code == (302 if allowed else 403)
    assert ApplicationWindow.objects.filter(go_live_on="2017-04-01").exists() is allowed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"submit_by": "2017-05-01"}, "submit_by", "due before the go-live"),
        ({"sign_off_on": "2017-06-01"}, "sign_off_on", "between the deadline and go-live"),
        ({"model": "joint"}, "sign_off_on", "no sign-off date"),
        ({"model": "greater_involvement"}, "model", "Select a valid choice"),
        (
            {"go_live_on": "2016-04-01", "submit_by": "2015-06-01", "sign_off_on": ""},
            "go_live_on",
            "already",
        ),
        ({"go_live_on": ""}, "go_live_on", "Enter the go-live date"),
    ],
)
def test_add_window_bad_input_beside_the_field(
    client, windows, national_admin, changes, field, message
):
    client.force_login(national_admin)
    response = client.post(WINDOWS, {**WINDOW, **changes})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert ApplicationWindow.objects.count() == 3


def test_windows_queries_are_bounded(
    client, windows, national_admin, django_assert_max_num_queries
):
    client.force_login(national_admin)
    for year in range(2017, 2040):
        ApplicationWindow.objects.create(
            model=Model.DELEGATED,
            go_live_on=datetime.date(year, 4, 1),
            submit_by=datetime.date(year - 1, 6, 1),
        )
    with django_assert_max_num_queries(8):
        response = client.get(WINDOWS)
    assert len(response.context["windows"]) == 26


# --- the CCG's page in the register (hubs) -----------------------------------------------------


def test_register_ccg_page_shows_the_arrangement(client, sunderland, roleless_user, history):
    client.force_login(roleless_user)
    html = client.get(sunderland.get_absolute_url()).content.decode()
    # Sunderland closed on 30 June 2022: its arrangement on its last day.
    assert "Primary care co-commissioning" in html
    assert "Delegated commissioning since 1 April 2015" in html
    assert "30 June 2022 (its last day)" in html
    assert reverse("cocommissioning:interests", args=["00P"]) in html
    assert reverse("cocommissioning:ccg", args=["00P"]) in html
