"""Co-commissioning's REST API (issue 15, "What to build" 7 and "Roles and access"): who may do
what, a permission ladder over every operation, and what each list and page shows. Bad input,
stale versions and query counts are in test_api_input.py."""

import pytest

from accounts.models import Role
from cocommissioning import services
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
    committee_meeting,
    delegated_on_agenda,
    delegated_recommended,
    delegated_under_review,
    fresh,
    interest,
    joint_draft,
    joint_submitted,
    joint_under_review,
    people_fixture,
)

pytestmark = pytest.mark.django_db

# (operation, request maker, {persona: status}; unlisted readers of it: 403; others 404).
# Each request maker takes the people and returns (method, url, body, format).
OPERATIONS = {
    "list": (lambda p: ("get", APPS, None, None), {"*": 200, "anonymous": 401}),
    "read a joint draft": (
        lambda p: ("get", f"{APPS}{joint_draft(p).pk}/", None, None),
        {"lead": 200, "partner_lead": 200, "north": 200, "national": 200},
    ),
    "create": (
        lambda p: (
            "post",
            APPS,
            {
                "lead_ccg": "00P",
                "model": "delegated",
                "go_live_on": "2015-04-01",
                "functions": ["gms_pms"],
            },
            "json",
        ),
        {"lead": 201, "*": 403, "anonymous": 401},
    ),
    "change a draft": (
        lambda p: (
            "patch",
            f"{APPS}{(a := joint_draft(p)).pk}/",
            {**_v(a), "summary": "Joint committee."},
            "json",
        ),
        {"lead": 200},
    ),
    "documents": (
        lambda p: ("get", f"{APPS}{joint_draft(p).pk}/documents/", None, None),
        {"lead": 200, "partner_lead": 200, "north": 200, "national": 200},
    ),
    "upload": (
        lambda p: ("post", f"{APPS}{joint_draft(p).pk}/documents/", _upload(), "multipart"),
        {"lead": 201},
    ),
    "confirm": (
        lambda p: ("post", f"{APPS}{joint_draft(p).pk}/confirm/", {}, "json"),
        {"partner_lead": 200},
    ),
    "submit": (
        lambda p: ("post", f"{APPS}{(a := joint_draft(p, True)).pk}/submit/", _v(a), "json"),
        {"lead": 200},
    ),
    "withdraw": (
        lambda p: (
            "post",
            f"{APPS}{(a := joint_draft(p)).pk}/withdraw/",
            {**_v(a), "reason": "Later."},
            "json",
        ),
        {"lead": 200},
    ),
    "late-agree": (
        lambda p: (
            "post",
            f"{APPS}{(a := joint_draft(p)).pk}/late-agree/",
            {**_v(a), "reason": "Board."},
            "json",
        ),
        {"north": 200},
    ),
    "start-review": (
        lambda p: ("post", f"{APPS}{(a := joint_submitted(p)).pk}/start-review/", _v(a), "json"),
        {"north": 200},
    ),
    "ask": (
        lambda p: (
            "post",
            f"{APPS}{joint_submitted(p).pk}/messages/",
            {"kind": "question", "text": "Which LES?"},
            "json",
        ),
        {"north": 201},
    ),
    "answer": (
        lambda p: (
            "post",
            f"{APPS}{joint_submitted(p).pk}/messages/",
            {"kind": "answer", "text": "All of them."},
            "json",
        ),
        {"lead": 201, "partner_lead": 201},
    ),
    "request-changes": (
        lambda p: (
            "post",
            f"{APPS}{(a := joint_under_review(p)).pk}/request-changes/",
            {**_v(a), "text": "Fix it."},
            "json",
        ),
        {"north": 200},
    ),
    "approve": (
        lambda p: ("post", f"{APPS}{(a := joint_under_review(p)).pk}/approve/", _v(a), "json"),
        {"north": 200},
    ),
    "refuse (region)": (
        lambda p: (
            "post",
            f"{APPS}{(a := joint_under_review(p)).pk}/refuse/",
            {**_v(a), "reason": "Not assured."},
            "json",
        ),
        {"north": 200},
    ),
    "recommend": (
        lambda p: (
            "post",
            f"{APPS}{(a := delegated_under_review(p, True)).pk}/recommend/",
            _v(a),
            "json",
        ),
        {"north": 200, "lead": 403, "national": 403},
    ),
    "read a recommended one": (
        lambda p: ("get", f"{APPS}{delegated_recommended(p).pk}/", None, None),
        {"lead": 200, "north": 200, "committee": 200, "national": 200},
    ),
    "agenda": (
        lambda p: (
            "post",
            f"{APPS}{(a := delegated_recommended(p)).pk}/agenda/",
            {**_v(a), "meeting": committee_meeting(p).pk},
            "json",
        ),
        {"committee": 200, "lead": 403, "north": 403, "national": 403},
    ),
    "decide (not approved)": (
        lambda p: (
            "post",
            f"{APPS}{(a := delegated_on_agenda(p)).pk}/decide/",
            {**_v(a), "outcome": "not_approved", "reasons": "Not now."},
            "json",
        ),
        {"committee": 200, "lead": 403, "north": 403, "national": 403},
    ),
    "read the conflicts review": (
        lambda p: ("get", f"{REVIEWS}{delegated_under_review(p).conflicts_review.pk}/", None, None),
        {"north": 200, "national": 200},
    ),
    "complete the conflicts review": (
        lambda p: (
            "patch",
            f"{REVIEWS}{(r := delegated_under_review(p).conflicts_review).pk}/",
            {"version": r.version, "register": "met"},
            "json",
        ),
        {"north": 200, "national": 403},
    ),
    "arrangements": (
        lambda p: ("get", ARRANGEMENTS, None, None),
        {"*": 200, "roleless": 403, "anonymous": 401},
    ),
    "windows": (lambda p: ("get", WINDOWS, None, None), {"*": 200, "anonymous": 401}),
    "add a window": (
        lambda p: (
            "post",
            WINDOWS,
            {"model": "delegated", "go_live_on": "2017-04-01", "submit_by": "2016-06-01"},
            "json",
        ),
        {"national": 201, "*": 403, "anonymous": 401},
    ),
    "interests": (lambda p: ("get", INTERESTS, None, None), {"*": 200, "anonymous": 401}),
    "declare an interest": (
        lambda p: (
            "post",
            INTERESTS,
            {
                "ccg": "00P",
                "person": "Dr B",
                "position": "GP member",
                "kind": "financial",
                "description": "Shares.",
                "valid_from": "2014-04-01",
            },
            "json",
        ),
        {"lead": 201, "national": 201, "*": 403, "anonymous": 401},
    ),
    "change an interest": (
        lambda p: (
            "patch",
            f"{INTERESTS}{(i := interest(p)).pk}/",
            {"version": i.version, "managed_by": "Excluded."},
            "json",
        ),
        {"lead": 200, "national": 200, "*": 403, "anonymous": 401},
    ),
    "archive an interest": (
        lambda p: ("post", f"{INTERESTS}{(i := interest(p)).pk}/archive/", _v(i), "json"),
        {"lead": 200, "national": 200, "*": 403, "anonymous": 401},
    ),
}

# Who reads each application (the rest get 404): a joint one, and a delegated one before and
# after the region's recommendation.
READERS = {
    "joint": {"lead", "partner_lead", "north", "national"},
    "delegated": {"lead", "north", "national"},
    "recommended": {"lead", "north", "committee", "national"},
}
READS = {
    "recommend": "delegated",
    "read the conflicts review": "delegated",
    "complete the conflicts review": "delegated",
    "read a recommended one": "recommended",
    "agenda": "recommended",
    "decide (not approved)": "recommended",
}
# The conflicts review is read by the region, the committee and national admins only.
REVIEW_READERS = {"north", "national"}


def expected(operation: str, persona: str) -> int:
    _, table = OPERATIONS[operation]
    if persona in table:
        return table[persona]
    if persona == "anonymous":
        return 401
    if "*" in table:
        return table["*"]
    readers = READERS[READS.get(operation, "joint")]
    if "conflicts review" in operation:
        readers = REVIEW_READERS
    return 403 if persona in readers else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_permission_ladder(api_client, people, operation, persona):
    make, _ = OPERATIONS[operation]
    method, url, body, fmt = make(people)
    client = as_(api_client, people[persona])
    kwargs = {"format": fmt} if fmt else {}
    answer = getattr(client, method)(url, body, **kwargs)
    assert answer.status_code == expected(operation, persona), answer.content[:300]


def test_lists_show_only_what_each_reads(api_client, people):
    joint = joint_draft(people)
    delegated = delegated_recommended(
        {
            **people,
            "ccg": _open_ccgs(people["ccg"])[2],
            "lead": make_user(
                "l3@example.nhs.uk", "Lee Three", (Role.CCG_LEAD, _open_ccgs(people["ccg"])[2])
            ),
        }
    )
    seen = {}
    for persona in (
        "roleless",
        "other_lead",
        "lead",
        "partner_lead",
        "north",
        "london",
        "committee",
        "national",
    ):
        answer = as_(api_client, people[persona]).get(APPS)
        seen[persona] = {row["id"] for row in answer.json()["results"]}
    assert seen["roleless"] == seen["other_lead"] == seen["london"] == set()
    assert seen["lead"] == seen["partner_lead"] == {joint.pk}
    assert seen["north"] == seen["national"] == {joint.pk, delegated.pk}
    assert seen["committee"] == {delegated.pk}


def test_detail_carries_parties_documents_messages_and_the_review(api_client, people):
    application = delegated_under_review(people)
    services.message_add(
        by=people["north"], application=application, kind="question", text="Which LES?"
    )
    north = as_(api_client, people["north"]).get(f"{APPS}{application.pk}/").json()
    assert [p["ccg"] for p in north["parties"]] == ["00P"]
    assert {d["kind"] for d in north["documents"]} == {"constitution", "conflicts"}
    assert [m["text"] for m in north["messages"]] == ["Which LES?"]
    assert north["conflicts_review"]["outcome"] == ""
    lead = as_(api_client, people["lead"]).get(f"{APPS}{application.pk}/").json()
    assert lead["conflicts_review"] is None
