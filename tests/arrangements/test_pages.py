"""The formal arrangements pages (issue 16, "Roles and access"): anonymous people sign in;
outsiders get 404; a proposed arrangement is read by its parties only (NHS England's side and
the party commissioners' leads), an agreed one by the whole system; readers get 403 on the
forms; hub staff and the regional team change it; bad input goes beside its field and changes
nothing; a stale edit shows the conflict; the pages' queries do not grow with the data."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from arrangements import services

from .conftest import JULY_2022, agreed, ccg, fresh, pdf, pool, snapshot

pytestmark = pytest.mark.django_db

WRITERS = ["nec_hub_officer", "north_reviewer"]
# Who reads a proposed arrangement with NHS Sunderland CCG, and who reads it once agreed.
DRAFT_READERS = ["sunderland_lead", "national_admin"]
AGREED_ONLY = ["nenc_ics_lead", "nenc_icb_lead"]
OUTSIDERS = ["london_hub_officer", "roleless_user", "birmingham_icb_lead"]


def write_pages(arrangement) -> list[str]:
    contribution = arrangement.contributions.first()
    pages = [
        reverse("arrangements:create", args=[arrangement.system_id]),
        reverse("arrangements:edit", args=[arrangement.pk]),
        reverse("arrangements:status", args=[arrangement.pk]),
        reverse("arrangements:contribution-create", args=[arrangement.pk]),
        reverse("arrangements:agreement-upload", args=[arrangement.pk]),
    ]
    if contribution is not None:
        pages.append(reverse("arrangements:contribution-edit", args=[contribution.pk]))
    return pages


def read_pages(arrangement) -> list[str]:
    return [
        reverse("arrangements:detail", args=[arrangement.pk]),
        reverse("arrangements:agreement-download", args=[arrangement.pk, 1]),
    ]


@pytest.fixture
def both(nec_hub_officer, nenc):
    """A proposed and an agreed pool with NHS Sunderland CCG, each with a signed agreement."""
    proposed = pool(nec_hub_officer, nenc, title="Proposed pool")
    services.contribution_add(
        by=nec_hub_officer, arrangement=proposed, party=None, year=2021, amount=Decimal(5)
    )
    done = agreed(nec_hub_officer, pool(nec_hub_officer, nenc, title="Agreed pool"))
    for a in (proposed, done):
        services.agreement_upload(by=nec_hub_officer, arrangement=a, file=pdf())
    return fresh(proposed), fresh(done)


def test_anonymous_is_sent_to_sign_in(client, both):
    proposed, _ = both
    urls = [*read_pages(proposed), *write_pages(proposed), reverse("arrangements:national")]
    urls.append(reverse("arrangements:system", args=[proposed.system_id]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"], url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(client, request, both, who):
    client.force_login(request.getfixturevalue(who))
    for arrangement in both:
        for url in [*read_pages(arrangement), *write_pages(arrangement)]:
            assert client.get(url).status_code == 404, url
    assert client.get(reverse("arrangements:national")).status_code == 403


@pytest.mark.parametrize("who", AGREED_ONLY)
def test_the_system_reads_an_agreed_arrangement_but_not_a_draft(client, request, both, who):
    proposed, done = both
    client.force_login(request.getfixturevalue(who))
    for url in [*read_pages(proposed), *write_pages(proposed)[1:]]:
        assert client.get(url).status_code == 404, url
    for url in read_pages(done):
        assert client.get(url).status_code == 200, url
    for url in write_pages(done):
        assert client.get(url).status_code == 403, url
    listing = client.get(reverse("arrangements:system", args=[done.system_id]))
    assert "Agreed pool" in listing.text
    assert "Proposed pool" not in listing.text
    assert "Record an arrangement" not in listing.text


@pytest.mark.parametrize("who", DRAFT_READERS)
def test_parties_read_the_draft_and_change_nothing(client, request, both, who):
    proposed, done = both
    client.force_login(request.getfixturevalue(who))
    for arrangement in both:
        for url in read_pages(arrangement):
            assert client.get(url).status_code == 200, url
        for url in write_pages(arrangement):
            assert client.get(url).status_code == 403, url
    before = snapshot()
    response = client.post(
        reverse("arrangements:status", args=[done.pk]), {"status": "live", "version": 1}
    )
    assert response.status_code == 403
    assert snapshot() == before
    page = client.get(proposed.get_absolute_url()).text
    assert "Change the arrangement" not in page


@pytest.mark.parametrize("who", WRITERS)
def test_those_who_run_it_see_every_form(client, request, both, who):
    client.force_login(request.getfixturevalue(who))
    for arrangement in both:
        for url in [*read_pages(arrangement), *write_pages(arrangement)]:
            assert client.get(url).status_code == 200, url
        assert "Change the arrangement" in client.get(arrangement.get_absolute_url()).text


def test_the_national_view_is_for_national_admins_and_regional_teams(
    client, both, national_admin, north_reviewer, nec_hub_officer
):
    for user, status in ((national_admin, 200), (north_reviewer, 200), (nec_hub_officer, 403)):
        client.force_login(user)
        assert client.get(reverse("arrangements:national")).status_code == status


def test_the_system_page_links_to_its_arrangements(client, nenc, nenc_ics_lead, london_hub_officer):
    url = reverse("arrangements:system", args=[nenc.pk])
    client.force_login(nenc_ics_lead)
    assert url in client.get(nenc.get_absolute_url()).text
    client.force_login(london_hub_officer)
    assert url not in client.get(nenc.get_absolute_url()).text


# --- writing through the forms -----------------------------------------------------------------


def create_data(**overrides) -> dict:
    data = {
        "title": "Cardiology pool",
        "kind": "pooled_budget",
        "legal_basis": "s13v",
        "parties": [ccg("QHM").pk],
        "programmes": [ccg_programme()],
        "services": "Cardiac surgery",
        "host": "nhse",
        "start_date": "2022-07-01",
        "review_date": "2023-06-01",
    }
    data.update(overrides)
    return data


def ccg_programme() -> int:
    from .conftest import cardiology

    return cardiology().pk


def test_a_hub_officer_records_an_arrangement(client, nec_hub_officer, nenc):
    client.force_login(nec_hub_officer)
    response = client.post(reverse("arrangements:create", args=[nenc.pk]), create_data())
    arrangement = nenc.arrangements.get()
    assert response.status_code == 302
    assert response["Location"] == arrangement.get_absolute_url()
    assert arrangement.start_date == JULY_2022
    assert arrangement.host is None


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"services": ""}, "services", "A pooled budget needs the services it pools"),
        ({"start_date": "2021-04-01"}, "parties", "was not open on 1 April 2021"),
        ({"review_date": "2022-06-30"}, "review_date", "on or after the start date"),
        ({"end_date": "2022-06-30"}, "end_date", "on or after the start date"),
    ],
)
def test_bad_input_goes_beside_its_field(client, nec_hub_officer, nenc, overrides, field, words):
    client.force_login(nec_hub_officer)
    before = snapshot()
    response = client.post(reverse("arrangements:create", args=[nenc.pk]), create_data(**overrides))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert snapshot() == before


def test_a_negative_contribution_goes_beside_the_amount(client, nec_hub_officer, both):
    proposed, _ = both
    client.force_login(nec_hub_officer)
    before = snapshot()
    response = client.post(
        reverse("arrangements:contribution-create", args=[proposed.pk]),
        {"party": "nhse", "year": 2022, "amount": "-10"},
    )
    assert "cannot be negative" in " ".join(response.context["form"].errors["amount"])
    assert snapshot() == before


def test_a_stale_edit_shows_the_conflict(client, nec_hub_officer, north_reviewer, both):
    proposed, _ = both
    url = reverse("arrangements:edit", args=[proposed.pk])
    data = create_data(parties=[ccg("00P").pk], start_date="2021-04-01", review_date="")
    client.force_login(north_reviewer)
    assert client.post(url, {**data, "title": "Robert's", "version": 1}).status_code == 302
    client.force_login(nec_hub_officer)
    before = snapshot()
    response = client.post(url, {**data, "title": "Helen's", "version": 1})
    assert response.status_code == 200
    assert "saved this while you were editing" in response.text
    assert snapshot() == before
    assert fresh(proposed).title == "Robert's"


def test_status_contribution_and_upload_forms(client, nec_hub_officer, both):
    _, done = both
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("arrangements:status", args=[done.pk]), {"status": "live", "version": done.version}
    )
    assert response.status_code == 302
    assert fresh(done).status == "live"
    row = done.contributions.get(party=None)
    client.post(
        reverse("arrangements:contribution-edit", args=[row.pk]),
        {"amount": "1200000", "version": row.version},
    )
    assert fresh(row).amount == 1_200_000
    response = client.post(
        reverse("arrangements:agreement-upload", args=[done.pk]), {"file": pdf("v2.pdf")}
    )
    assert response.status_code == 302
    assert done.agreements.count() == 2
    download = client.get(reverse("arrangements:agreement-download", args=[done.pk, 2]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


# --- bounded queries ------------------------------------------------------------------------


def many(by, nenc, count: int) -> None:
    for n in range(count):
        arrangement = pool(by, nenc, title=f"Pool {n}", parties=[ccg("00P"), ccg("00N")])
        agreed(by, arrangement)
        services.contribution_add(
            by=by, arrangement=arrangement, party=None, year=2022, amount=Decimal(n)
        )


@pytest.mark.parametrize("count", [1, 6])
def test_pages_run_a_bounded_number_of_queries(
    client, nec_hub_officer, national_admin, nenc, count, django_assert_max_num_queries
):
    many(nec_hub_officer, nenc, count)
    arrangement = nenc.arrangements.first()
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("arrangements:system", args=[nenc.pk])).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(arrangement.get_absolute_url()).status_code == 200
    client.force_login(national_admin)
    for name in ("national", "national-csv", "national-xlsx"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"arrangements:{name}")).status_code == 200


# --- the national view and its downloads ------------------------------------------------------


def test_totals_by_type_and_region_and_filters(client, national_admin, nec_hub_officer, nenc):
    many(nec_hub_officer, nenc, 2)
    client.force_login(national_admin)
    page = client.get(reverse("arrangements:national"))
    by_kind = page.context["by_kind"]
    assert by_kind.year_labels == ["2021/22", "2022/23"]
    # Each pool: NHS England £1,000,000 and two CCGs £250,000 each in 2021/22; £0 and £1 after.
    assert by_kind.rows == [("Pooled budget", [Decimal(3_000_000), Decimal(1)], Decimal(3_000_001))]
    assert page.context["by_region"].rows[0][0] == "North"
    assert "£3,000,001" in page.text
    filtered = client.get(reverse("arrangements:national"), {"kind": "joint_appointment"})
    assert filtered.context["rows"] == []
    assert filtered.context["by_kind"].rows == []
    by_region = client.get(reverse("arrangements:national"), {"region": "london"})
    assert by_region.context["rows"] == []


def test_csv_and_xlsx(client, national_admin, nec_hub_officer, nenc):
    many(nec_hub_officer, nenc, 2)
    client.force_login(national_admin)
    response = client.get(reverse("arrangements:national-csv"), {"status": "agreed"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Title", "Type", "Status"]
    assert rows[0][-3:] == ["2021/22 (£)", "2022/23 (£)", "Total (£)"]
    assert sorted(r[0] for r in rows[1:]) == ["Pool 0", "Pool 1"]
    row = next(r for r in rows[1:] if r[0] == "Pool 1")
    assert row[6] == "NHS England; NHS South Tyneside CCG; NHS Sunderland CCG"
    assert row[-3:] == ["1500000", "1", "1500001"]
    book = load_workbook(io.BytesIO(client.get(reverse("arrangements:national-xlsx")).content))
    assert book.sheetnames == ["Arrangements", "Totals by type", "Totals by region"]
    totals = list(book["Totals by type"].values)
    assert totals[1] == ("Pooled budget", 3_000_000, 1, 3_000_001)


def test_a_regional_team_sees_its_region_only(client, north_reviewer, nec_hub_officer, nenc):
    many(nec_hub_officer, nenc, 1)
    client.force_login(north_reviewer)
    page = client.get(reverse("arrangements:national"))
    assert [a.title for a, _ in page.context["rows"]] == ["Pool 0"]


def test_the_icb_lead_reads_a_draft_the_icb_is_party_to(
    client, nec_hub_officer, nenc, nenc_icb_lead, sunderland_lead, nenc_ics_lead
):
    draft = pool(nec_hub_officer, nenc, parties=[ccg("QHM")], start_date=JULY_2022)
    url = draft.get_absolute_url()
    for user, status in ((nenc_icb_lead, 200), (sunderland_lead, 404), (nenc_ics_lead, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(nenc_icb_lead)
    assert client.get(reverse("arrangements:edit", args=[draft.pk])).status_code == 403
