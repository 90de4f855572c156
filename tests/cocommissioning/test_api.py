"""Co-commissioning's REST API (issue 15, "What to build" 7 and "Roles and access"): who may do
what (a permission ladder over every operation), 409 on a stale version, 400 keyed by field for
each bad input, and lists in bounded queries whatever the size."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Application, ConflictsReview, Document, Interest, Model
from hubs.models import CCG, Region
from hubs.querysets import valid_on_q
from tests.factories import make_user

from .conftest import APRIL_2015, PDF, attach, ready_delegated

pytestmark = pytest.mark.django_db
APPS = "/api/v1/co-applications/"
REVIEWS = "/api/v1/co-conflicts-reviews/"
ARRANGEMENTS = "/api/v1/co-arrangements/"
WINDOWS = "/api/v1/co-windows/"
INTERESTS = "/api/v1/co-interests/"
PERSONAS = [
    "anonymous",
    "roleless",
    "other_lead",
    "lead",
    "partner_lead",
    "north",
    "london",
    "committee",
    "national",
]


@pytest.fixture(autouse=True)
def _december_2014():
    """Before the deadlines of seed 002's first windows (5 and 30 January 2015)."""
    with time_machine.travel(datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _open_ccgs(sunderland):
    return (
        CCG.objects.filter(valid_on_q(APRIL_2015), kind=CCG.Kind.CCG, hub=sunderland.hub)
        .exclude(pk=sunderland.pk)
        .order_by("name")
    )


@pytest.fixture
def people(windows, sunderland, sunderland_lead, north_reviewer, committee_member, national_admin):
    partner, other = _open_ccgs(sunderland)[:2]
    return {
        "anonymous": None,
        "roleless": make_user("una@example.nhs.uk", "Una Novak"),
        "other_lead": make_user("olu@example.nhs.uk", "Olu Other", (Role.CCG_LEAD, other)),
        "lead": sunderland_lead,
        "partner_lead": make_user("pat@example.nhs.uk", "Pat Partner", (Role.CCG_LEAD, partner)),
        "north": north_reviewer,
        "london": make_user(
            "lena@example.nhs.uk",
            "Lena London",
            (Role.REGIONAL_TEAM, Region.objects.get(slug="london")),
        ),
        "committee": committee_member,
        "national": national_admin,
        "partner": partner,
        "ccg": sunderland,
    }


def as_(api_client, user):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- states ---------------------------------------------------------------------------------


def joint_draft(p, confirmed=False) -> Application:
    application = services.application_create(
        by=p["lead"],
        lead_ccg=p["ccg"],
        model=Model.JOINT,
        go_live_on=APRIL_2015,
        partners=[p["partner"]],
    )
    for kind in (Document.Kind.CONSTITUTION, Document.Kind.TERMS, Document.Kind.DELEGATION):
        attach(p["lead"], application, kind)
    if confirmed:
        services.party_confirm(by=p["partner_lead"], application=application, ccg=p["partner"])
    return fresh(application)


def joint_submitted(p) -> Application:
    application = joint_draft(p, confirmed=True)
    return services.application_submit(
        by=p["lead"], application=application, version=application.version
    )


def joint_under_review(p) -> Application:
    application = joint_submitted(p)
    return services.review_start(
        by=p["north"], application=application, version=application.version
    )


def delegated_under_review(p, assured=False) -> Application:
    application = ready_delegated(p["lead"], p["ccg"])
    application = services.application_submit(
        by=p["lead"], application=application, version=application.version
    )
    application = services.review_start(
        by=p["north"], application=application, version=application.version
    )
    if assured:
        review = ConflictsReview.objects.get(application=application)
        answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
        services.conflicts_review_save(
            by=p["north"], review=review, version=review.version, outcome="assured", **answers
        )
    return fresh(application)


def delegated_recommended(p) -> Application:
    application = delegated_under_review(p, assured=True)
    return services.application_recommend(
        by=p["north"], application=application, version=application.version
    )


def interest(p) -> Interest:
    return services.interest_declare(
        by=p["lead"],
        ccg=p["ccg"],
        person="Dr A Patel",
        position="GP member",
        kind="financial",
        description="Partner at a practice.",
        valid_from=datetime.date(2014, 4, 1),
    )


def _v(app):
    return {"version": app.version}


def _upload():
    return {"kind": "terms", "file": SimpleUploadedFile("terms.pdf", PDF, "application/pdf")}


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
    "sign-off": (
        lambda p: (
            "post",
            f"{APPS}{(a := delegated_recommended(p)).pk}/sign-off/",
            _v(a),
            "json",
        ),
        {"committee": 200, "lead": 403, "north": 403, "national": 403},
    ),
    "refuse (committee)": (
        lambda p: (
            "post",
            f"{APPS}{(a := delegated_recommended(p)).pk}/refuse/",
            {**_v(a), "reason": "Not now."},
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
    "sign-off": "recommended",
    "refuse (committee)": "recommended",
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
    answer = north.post(f"{url}sign-off/", _v(application), format="json")
    assert answer.status_code == 403  # the committee signs off


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
