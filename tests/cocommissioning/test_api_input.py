"""Co-commissioning's REST API with bad input (issue 15, "Bad input"): 409 on a stale version,
400 keyed by field for each refusal, the arrangements on a day, and lists in bounded queries
whatever the size."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Application, Model
from hubs.models import CCG
from hubs.querysets import valid_on_q
from tests.factories import make_user

from .api_states import (  # noqa: F401 (fixtures)
    APPS,
    ARRANGEMENTS,
    INTERESTS,
    PERSONAS,
    REVIEWS,
    WINDOWS,
    _december_2014,
    _open_ccgs,
    _upload,
    _v,
    as_,
    delegated_recommended,
    delegated_under_review,
    fresh,
    interest,
    joint_draft,
    joint_submitted,
    joint_under_review,
    people_fixture,
)
from .conftest import APRIL_2015, ready_delegated

pytestmark = pytest.mark.django_db

# --- 409 on a stale version ---------------------------------------------------------------


def test_stale_versions_answer_409(api_client, people):
    application = joint_draft(people)
    stale = application.version
    client = as_(api_client, people["lead"])
    assert (
        client.patch(
            f"{APPS}{application.pk}/", {"version": stale, "summary": "One."}, format="json"
        ).status_code
        == 200
    )
    answer = client.patch(
        f"{APPS}{application.pk}/", {"version": stale, "summary": "Two."}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json()["current_version"] == stale + 1
    assert fresh(application).summary == "One."
    item = interest(people)
    client.patch(f"{INTERESTS}{item.pk}/", {"version": item.version, "person": "X"}, format="json")
    answer = client.post(f"{INTERESTS}{item.pk}/archive/", {"version": item.version}, format="json")
    assert answer.status_code == 409


def test_a_stale_conflicts_review_answers_409(api_client, people):
    review = delegated_under_review(people).conflicts_review
    north = as_(api_client, people["north"])
    body = {"version": review.version, "register": "met"}
    assert north.patch(f"{REVIEWS}{review.pk}/", body, format="json").status_code == 200
    assert north.patch(f"{REVIEWS}{review.pk}/", body, format="json").status_code == 409


def test_an_archived_interest_cannot_change(api_client, people):
    item = interest(people)
    client = as_(api_client, people["lead"])
    archived = client.post(f"{INTERESTS}{item.pk}/archive/", _v(item), format="json").json()
    answer = client.patch(
        f"{INTERESTS}{item.pk}/", {"version": archived["version"], "person": "Y"}, format="json"
    )
    assert answer.status_code == 409
    assert item.pk not in {row["id"] for row in client.get(INTERESTS).json()["results"]}


# --- 400 keyed by field -------------------------------------------------------------------


def create(api_client, people, **overrides):
    body = {
        "lead_ccg": "00P",
        "model": "delegated",
        "go_live_on": "2015-04-01",
        "functions": ["gms_pms"],
        **overrides,
    }
    return as_(api_client, people["lead"]).post(APPS, body, format="json")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"go_live_on": "2015-05-01"}, "go_live_on"),  # no window
        ({"functions": ["revalidation"]}, "functions"),  # outside scope
        ({"functions": ["gms_pms", "qof"]}, "functions"),  # QOF without full delegation
        ({"functions": []}, "functions"),
        ({"model": "greater_involvement"}, "model"),
        ({"model": "joint", "go_live_on": "2016-04-01"}, "go_live_on"),
        ({"lead_ccg": "ZZZ"}, "lead_ccg"),
        ({"go_live_on": "not a date"}, "go_live_on"),
    ],
)
def test_bad_applications_answer_400_keyed_by_field(api_client, people, overrides, field):
    answer = create(api_client, people, **overrides)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert not Application.objects.exists()


def test_a_second_open_application_answers_400(api_client, people):
    assert create(api_client, people).status_code == 201
    answer = create(api_client, people)
    assert answer.status_code == 400
    assert "go_live_on" in answer.json()


def test_workflow_refusals_answer_400_keyed_by_field(api_client, people):
    draft = ready_delegated(people["lead"], people["ccg"])
    bare = services.application_create(
        by=people["lead"],
        lead_ccg=people["partner"],
        model=Model.DELEGATED,
        go_live_on=APRIL_2015,
        functions=["gms_pms"],
    )
    partner = as_(api_client, people["partner_lead"])
    answer = partner.post(f"{APPS}{bare.pk}/submit/", _v(bare), format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["documents"])
    lead = as_(api_client, people["lead"])
    answer = lead.post(f"{APPS}{draft.pk}/withdraw/", {**_v(draft), "reason": ""}, format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["reason"])
    answer = lead.post(
        f"{APPS}{draft.pk}/documents/",
        {"kind": "terms", "file": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")},
        format="multipart",
    )
    assert (answer.status_code, list(answer.json())) == (400, ["file"])
    answer = lead.post(
        f"{APPS}{draft.pk}/documents/", {**_upload(), "kind": "memo"}, format="multipart"
    )
    assert (answer.status_code, list(answer.json())) == (400, ["kind"])


def test_review_refusals_answer_400_keyed_by_field(api_client, people):
    application = delegated_under_review(people)
    north = as_(api_client, people["north"])
    url = f"{APPS}{application.pk}/"
    answer = north.post(f"{url}recommend/", _v(application), format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["conflicts_review"])
    answer = north.post(f"{url}refuse/", {**_v(application), "reason": " "}, format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["reason"])
    answer = north.post(f"{url}request-changes/", {**_v(application), "text": ""}, format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["text"])
    answer = north.post(f"{url}messages/", {"kind": "question", "text": ""}, format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["text"])
    review = application.conflicts_review
    answer = north.patch(
        f"{REVIEWS}{review.pk}/", {"version": review.version, "outcome": "assured"}, format="json"
    )
    assert (answer.status_code, list(answer.json())) == (400, ["register"])
    answer = north.post(f"{url}approve/", _v(application), format="json")
    assert answer.status_code == 400  # delegated ones are recommended, not approved
    answer = north.post(
        f"{url}decide/", {**_v(application), "outcome": "signed_off"}, format="json"
    )
    assert answer.status_code == 403  # the committee decides, at a meeting


def test_register_refusals_answer_400_keyed_by_field(api_client, people):
    national = as_(api_client, people["national"])
    bad_windows = [
        ({"model": "joint", "go_live_on": "2017-04-01", "submit_by": "2017-05-01"}, "submit_by"),
        (
            {"model": "delegated", "go_live_on": "2015-04-01", "submit_by": "2015-01-01"},
            "go_live_on",
        ),
        (
            {"model": "greater_involvement", "go_live_on": "2017-04-01", "submit_by": "2017-01-01"},
            "model",
        ),
        (
            {
                "model": "joint",
                "go_live_on": "2017-04-01",
                "submit_by": "2017-01-01",
                "sign_off_on": "2017-02-01",
            },
            "sign_off_on",
        ),
    ]
    for body, field in bad_windows:
        answer = national.post(WINDOWS, body, format="json")
        assert (answer.status_code, list(answer.json())) == (400, [field]), body
    lead = as_(api_client, people["lead"])
    body = {
        "ccg": "00P",
        "person": "Dr B",
        "position": "GP member",
        "kind": "financial",
        "description": "",
        "valid_from": "2014-04-01",
    }
    answer = lead.post(INTERESTS, body, format="json")
    assert (answer.status_code, list(answer.json())) == (400, ["description"])
    answer = lead.post(
        INTERESTS, {**body, "description": "Shares.", "valid_to": "2014-01-01"}, format="json"
    )
    assert (answer.status_code, list(answer.json())) == (400, ["valid_to"])
    answer = lead.get(ARRANGEMENTS, {"region": "nowhere"})
    assert (answer.status_code, list(answer.json())) == (400, ["region"])


# --- arrangements -------------------------------------------------------------------------


def test_arrangements_on_a_day(api_client, people):
    services.greater_involvement_record(
        by=people["lead"], ccg=people["ccg"], valid_from=datetime.date(2014, 10, 1)
    )
    client = as_(api_client, people["roleless"])
    assert client.get(ARRANGEMENTS).status_code == 403
    client = as_(api_client, people["lead"])
    rows = client.get(ARRANGEMENTS, {"on": "2014-11-01", "model": "greater_involvement"}).json()
    assert [(r["ccg"], r["model"]) for r in rows["results"]] == [("00P", "greater_involvement")]
    rows = client.get(ARRANGEMENTS, {"on": "2014-09-01", "region": "north", "limit": 500}).json()
    row = next(r for r in rows["results"] if r["ccg"] == "00P")
    assert row["model"] is None
    assert all(r["region"] == "north" for r in rows["results"])


# --- bounded queries ----------------------------------------------------------------------


def test_lists_run_bounded_queries(api_client, people, django_assert_max_num_queries):
    """Grow the data: an application (with parties) for every open CCG of the hub, an interest
    and an arrangement each; each list stays within a fixed number of queries."""
    ccgs = list(CCG.objects.filter(valid_on_q(APRIL_2015), kind=CCG.Kind.CCG)[:40])
    for n, ccg in enumerate(ccgs):
        lead = make_user(f"lead{n}@example.nhs.uk", f"Lead {n}", (Role.CCG_LEAD, ccg))
        services.application_create(
            by=lead,
            lead_ccg=ccg,
            model=Model.DELEGATED,
            go_live_on=APRIL_2015,
            functions=["gms_pms"],
        )
        services.greater_involvement_record(by=lead, ccg=ccg, valid_from=datetime.date(2014, 10, 1))
        services.interest_declare(
            by=lead,
            ccg=ccg,
            person=f"Dr {n}",
            position="GP",
            kind="financial",
            description="Shares.",
            valid_from=datetime.date(2014, 4, 1),
        )
    token = Token.objects.create(user=people["national"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_max_num_queries(6):
        listed = api_client.get(APPS, {"limit": 100}).json()
    assert listed["count"] == len(ccgs)
    with django_assert_max_num_queries(5):
        assert len(api_client.get(INTERESTS, {"limit": 100}).json()["results"]) == len(ccgs)
    with django_assert_max_num_queries(5):
        rows = api_client.get(ARRANGEMENTS, {"on": "2014-11-01", "limit": 500}).json()
    assert sum(r["model"] == "greater_involvement" for r in rows["results"]) == len(ccgs)
    with django_assert_max_num_queries(5):
        api_client.get(WINDOWS)
    application = Application.objects.first()
    with django_assert_max_num_queries(10):
        assert api_client.get(f"{APPS}{application.pk}/").status_code == 200
