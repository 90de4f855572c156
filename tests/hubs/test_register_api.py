"""The register through the REST API: content, filters, auth and bounded queries."""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from hubs.models import CCG, Hub

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/",
        "/api/v1/hubs/",
        "/api/v1/hubs/london/",
        "/api/v1/ccgs/",
        "/api/v1/ccgs/00P/",
        "/api/v1/programmes-of-care/",
        "/api/v1/me/",
    ],
)
def test_anonymous_gets_no_data(api_client, register, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_token_authentication(api_client, sunderland_lead):
    token = Token.objects.create(user=sunderland_lead)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "david@example.nhs.uk"
    assert [r["role"] for r in body["roles"]] == ["ccg_lead"]
    assert body["roles"][0]["ccg"] == "00P"
    assert "password" not in body


def test_bad_token_is_refused(api_client, register):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/v1/ccgs/").status_code == 401


def test_regions_and_hubs(api_client, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    regions = api_client.get("/api/v1/regions/").json()
    assert regions["count"] == 4
    hubs = api_client.get("/api/v1/hubs/", {"region": "north"}).json()
    assert [h["name"] for h in hubs["results"]] == [
        "North East and Cumbria",
        "North West",
        "Yorkshire and Humber",
    ]
    hub = api_client.get("/api/v1/hubs/north-east-and-cumbria/").json()
    assert hub["region"] == "north"


def test_ccg_detail_shows_succession_both_ways(api_client, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    old = api_client.get("/api/v1/ccgs/00F/").json()
    assert old["valid_to"] == "2015-03-31"
    assert old["is_current"] is False
    assert old["succeeded_by"] == [
        {"predecessor": "00F", "successor": "13T", "effective_date": "2015-04-01", "note": ""}
    ]
    new = api_client.get("/api/v1/ccgs/13T/").json()
    assert {link["predecessor"] for link in new["formed_from"]} == {"00F", "00G", "00H"}
    assert new["hub"] == "north-east-and-cumbria"
    assert new["region"] == "north"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 290),  # 248 CCGs and 42 ICBs over time
        ({"on": "2026-12-04"}, 42),
        ({"on": "2022-06-30"}, 106),
        ({"on": "2015-03-31"}, 211),
        ({"on": "2015-04-01"}, 209),
        ({"hub": "north-east-and-cumbria", "on": "2015-04-01"}, 11),
        ({"region": "london"}, 32 + 5 + 5),  # the 32 CCGs of 2013, 5 of 2020, 5 ICBs
        ({"q": "sunderland"}, 1),
        ({"q": "00p"}, 1),
        ({"q": "qhm"}, 1),
        ({"q": "d2p2l"}, 1),  # a five-character ODS code of 2021
    ],
)
def test_ccg_filters(api_client, sunderland_lead, params, count):
    api_client.force_authenticate(sunderland_lead)
    response = api_client.get("/api/v1/ccgs/", params)
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_bad_filter_value_is_a_clear_400(api_client, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    response = api_client.get("/api/v1/ccgs/", {"on": "not-a-date"})
    assert response.status_code == 400
    assert "on" in response.json()


def test_unknown_ccg_is_404(api_client, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    assert api_client.get("/api/v1/ccgs/ZZZ/").status_code == 404


def test_register_is_read_only(api_client, national_admin):
    api_client.force_authenticate(national_admin)
    response = api_client.post("/api/v1/ccgs/", {"ods_code": "ZZZ", "name": "x"})
    assert response.status_code == 405
    assert not CCG.objects.filter(ods_code="ZZZ").exists()


def test_ccg_list_queries_are_bounded(api_client, sunderland_lead, django_assert_max_num_queries):
    hub = Hub.objects.get(slug="london")
    CCG.objects.bulk_create(
        CCG(
            name=f"NHS Extra {i} CCG",
            ods_code=f"X{i:02d}",
            hub=hub,
            source=CCG.Source.PUBLIC_LIST,
            valid_from=datetime.date(2013, 4, 1),
        )
        for i in range(60)
    )
    api_client.force_authenticate(sunderland_lead)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/ccgs/", {"limit": 200})
    assert len(response.json()["results"]) == 200


def test_schema_and_docs_are_served(client, api_client, sunderland_lead):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/ccgs/{ods_code}/" in paths
    assert "/api/v1/role-assignments/{id}/end/" in paths
    client.force_login(sunderland_lead)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"kind": "icb"}, 42),
        ({"kind": "ccg"}, 248),
        ({"kind": "icb", "on": "2022-06-30"}, 0),
        ({"kind": "ccg", "on": "2022-07-01"}, 0),
        ({"kind": "icb", "region": "london"}, 5),
    ],
)
def test_ccg_list_filters_by_kind(api_client, sunderland_lead, params, count):
    api_client.force_authenticate(sunderland_lead)
    response = api_client.get("/api/v1/ccgs/", params)
    assert response.status_code == 200
    assert response.json()["count"] == count
    kinds = {row["kind"] for row in response.json()["results"]}
    assert kinds <= {params["kind"]}


def test_unknown_kind_is_a_clear_400(api_client, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    response = api_client.get("/api/v1/ccgs/", {"kind": "pct"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_an_icb_says_what_it_is_and_how_ccgs_passed_to_it(api_client, sunderland_lead):
    """Issue 13: the register's API carries kind, kind_label, the 2022 region, the hub note and
    each succession's note (Glossop's part of Tameside and Glossop CCG went to Derbyshire)."""
    api_client.force_authenticate(sunderland_lead)
    icb = api_client.get("/api/v1/ccgs/QHM/").json()
    assert (icb["kind"], icb["kind_label"]) == ("icb", "ICB")
    assert icb["nhs_region"] == "North East and Yorkshire"
    assert icb["hub_note"] == CCG.objects.get(ods_code="QHM").hub_note
    ccg = api_client.get("/api/v1/ccgs/00P/").json()
    assert (ccg["kind"], ccg["kind_label"], ccg["nhs_region"]) == ("ccg", "CCG", "")
    assert ccg["succeeded_by"][0]["successor"] == "QHM"
    tameside = api_client.get("/api/v1/ccgs/01Y/").json()
    notes = {link["successor"]: link["note"] for link in tameside["succeeded_by"]}
    assert notes["QOP"].startswith("split: 141 of 162 LSOAs (2011) to QOP")


def test_schema_documents_the_historic_ccg_endpoint(api_client, sunderland_lead):
    api_client.force_authenticate(sunderland_lead)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "lists every statutory local commissioner" in schema["info"]["description"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/ccgs/"]["get"]["parameters"]}
    assert "kind" in parameters
    ccg = schema["components"]["schemas"]["CCG"]["properties"]
    assert {"kind", "kind_label", "nhs_region", "hub_note"} <= set(ccg)
