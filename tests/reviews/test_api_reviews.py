"""Peer reviews through the REST API: a permission ladder for every endpoint (anonymous 401, the
outsider 404 and never data, who can see but not act 403), happy paths that change the
database, refusals keyed by their field with nothing changed, stale versions answered 409 with
nothing changed, private drafts (continued in test_api_report.py)."""

import datetime

import pytest

from reviews import services
from reviews.models import (
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewerConflict,
)
from reviews.permissions import sees_review_workings

from .api_helpers import (
    ASSESSMENTS,
    CYCLES,
    FINDINGS,
    LEARNING,
    PANEL,
    RECOMMENDATIONS,
    REPORTS,
    REVIEWS,
    WORKINGS,
    _as,
    _place,
    _post,
    _review,
)
from .conftest import NEC, accept, rate_all

pytestmark = pytest.mark.django_db

# --- anonymous -----------------------------------------------------------------------------


ENDPOINTS = [
    ("get", CYCLES),
    ("post", CYCLES),
    ("get", f"{CYCLES}1/"),
    ("get", REVIEWS),
    ("get", f"{REVIEWS}1/"),
    ("post", f"{REVIEWS}declare-ready/"),
    ("get", f"{REVIEWS}readiness/?cycle=1&hub={NEC}"),
    *[
        ("post", f"{REVIEWS}1/{step}/")
        for step in [
            "invite",
            "start",
            "sign-off",
            "return-response",
            "consolidate",
            "issue",
            "respond",
        ]
    ],
    ("get", f"{REVIEWS}1/candidates/"),
    ("get", f"{REVIEWS}1/my-assessment/"),
    ("put", f"{REVIEWS}1/my-assessment/"),
    ("get", PANEL),
    ("post", PANEL),
    ("get", f"{PANEL}1/"),
    ("post", f"{PANEL}1/respond/"),
    ("post", f"{PANEL}1/declare-conflict/"),
    ("post", f"{PANEL}1/replace/"),
    ("get", f"{ASSESSMENTS}?review=1"),
    ("get", FINDINGS),
    ("post", FINDINGS),
    ("get", f"{FINDINGS}1/"),
    ("patch", f"{FINDINGS}1/"),
    ("post", f"{FINDINGS}1/archive/"),
    ("get", LEARNING),
    ("get", RECOMMENDATIONS),
    ("post", RECOMMENDATIONS),
    ("get", f"{RECOMMENDATIONS}1/"),
    ("patch", f"{RECOMMENDATIONS}1/"),
    ("post", f"{RECOMMENDATIONS}1/archive/"),
    ("post", f"{RECOMMENDATIONS}1/progress/"),
    ("get", REPORTS),
    ("get", f"{REPORTS}1/"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_gets_401_from_every_endpoint(api_client, register, method, url):
    response = getattr(api_client, method)(url, {}, format="json")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


# --- cycles --------------------------------------------------------------------------------


def test_every_signed_in_user_reads_cycles_with_their_lines(api_client, cycle, roleless_user):
    listed = _as(api_client, roleless_user).get(CYCLES).json()
    assert listed["count"] == 1
    assert listed["results"][0]["lines"][0]["title"] == "Priorities plan"
    one = api_client.get(f"{CYCLES}{cycle.pk}/").json()
    assert one["label"] == "First peer review 2015/16"
    assert len(one["lines"]) == 5
    assert api_client.get(f"{CYCLES}{cycle.pk + 1000}/").status_code == 404
    assert api_client.get(CYCLES, {"kind": "second"}).json()["count"] == 0


def test_only_national_admins_open_cycles(api_client, national_admin, north_reviewer):
    body = {
        "year": 2016,
        "kind": "second",
        "opens_on": "2016-12-01",
        "closes_on": "2017-03-31",
    }
    assert _post(_as(api_client, north_reviewer), CYCLES, body).status_code == 403
    api_client.force_authenticate(national_admin)
    backwards = _post(api_client, CYCLES, {**body, "closes_on": "2016-11-01"})
    assert backwards.status_code == 400
    assert "closes_on" in backwards.json()
    assert not ReviewCycle.objects.exists()
    made = _post(api_client, CYCLES, body)
    assert made.status_code == 201
    assert len(made.json()["lines"]) == 4
    again = _post(api_client, CYCLES, body)
    assert again.status_code == 400
    assert "kind" in again.json()
    assert ReviewCycle.objects.count() == 1


# --- readiness -----------------------------------------------------------------------------


def test_readiness_checklist_is_for_the_hub_and_its_region(
    api_client, cycle, submitted_plan, nec_hub_officer, north_reviewer, london_hub_officer
):
    url = f"{REVIEWS}readiness/"
    query = {"cycle": cycle.pk, "hub": NEC}
    assert _as(api_client, london_hub_officer).get(url, query).status_code == 404
    checklist = _as(api_client, north_reviewer).get(url, query).json()
    assert checklist["review"] is None
    assert checklist["ready"] is False
    assert {c["key"]: c["met"] for c in checklist["checks"]}["plan"] is True
    assert api_client.get(url, {"hub": NEC}).status_code == 400
    assert api_client.get(url, {**query, "cycle": cycle.pk + 1000}).status_code == 404


def test_hub_staff_declare_readiness(
    api_client, cycle, submitted_plan, nec_hub_officer, north_reviewer, london_hub_officer
):
    url = f"{REVIEWS}declare-ready/"
    body = {"cycle": cycle.pk, "hub": NEC, "note": ""}
    assert _post(_as(api_client, london_hub_officer), url, body).status_code == 403
    assert _post(_as(api_client, north_reviewer), url, body).status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    no_note = _post(api_client, url, body)
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    assert not PeerReview.objects.exists()
    declared = _post(api_client, url, {**body, "note": "Ten CCGs still to answer."})
    assert declared.status_code == 201
    review = PeerReview.objects.get()
    assert declared.json()["id"] == review.pk
    assert review.status == PeerReview.Status.READY
    assert review.declared_by == nec_hub_officer
    assert _post(api_client, url, {**body, "note": "Again"}).status_code == 400
    nul = _post(api_client, url, {**body, "hub": "north\x00east"})
    assert nul.status_code == 400
    assert "NUL" in nul.json()["detail"]
    assert PeerReview.objects.count() == 1
    checklist = api_client.get(f"{REVIEWS}readiness/", {"cycle": cycle.pk, "hub": NEC}).json()
    assert checklist["review"] == review.pk


# --- reading reviews -----------------------------------------------------------------------

# persona: (sees the review, reads the panel's workings)
READERS = {
    "london_hub_officer": (False, False),
    "sunderland_lead": (False, False),
    "conflicted_officer": (False, False),
    "nec_hub_officer": (True, False),
    "yorkshire_officer": (True, True),
    "wessex_officer": (True, True),
    "north_reviewer": (True, True),
    "national_admin": (True, True),
}


@pytest.mark.parametrize("persona", list(READERS))
def test_review_read_ladder(api_client, request, review_in_progress, persona):
    user = request.getfixturevalue(persona)
    sees, workings = READERS[persona]
    review = review_in_progress
    _as(api_client, user)
    listed = api_client.get(REVIEWS).json()
    one = api_client.get(_review(review.pk))
    if not sees:
        assert listed["count"] == 0
        assert one.status_code == 404
        assert "Wessex" not in one.content.decode()
        return
    assert listed["count"] == 1
    assert one.status_code == 200
    body = one.json()
    # The list is the review without its frozen governance record (a single review has it).
    assert {k: v for k, v in body.items() if k != "governance"} == listed["results"][0]
    assert "governance" not in listed["results"][0]
    assert body["workings"] is workings
    assert body["workings"] is sees_review_workings(user, review)
    assert body["status"] == "in_review"
    assert body["hub"] == NEC
    if workings:
        assert set(body) >= WORKINGS
        assert {p["name"] for p in body["panel"]} == {"Will Turner", "Yasmin Akhtar"}
    else:
        assert not WORKINGS & set(body)
        assert "Yasmin" not in one.content.decode()


def test_reviews_filter_by_cycle_hub_and_status(api_client, review_in_progress, north_reviewer):
    _as(api_client, north_reviewer)
    cycle = review_in_progress.cycle_id
    assert api_client.get(REVIEWS, {"cycle": cycle, "status": "in_review"}).json()["count"] == 1
    assert api_client.get(REVIEWS, {"hub": "london"}).json()["count"] == 0
    assert api_client.get(REVIEWS, {"status": "ready"}).json()["count"] == 0
    assert api_client.get(REVIEWS, {"status": "nonsense"}).status_code == 400


def test_an_invited_reviewer_sees_the_review_not_the_workings(
    api_client, invited_review, north_reviewer, wessex_officer
):
    place = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    body = _as(api_client, wessex_officer).get(_review(invited_review.pk)).json()
    assert body["workings"] is False
    assert "governance" not in body
    accept(place, wessex_officer)
    assert api_client.get(_review(invited_review.pk)).json()["workings"] is True


def test_hub_staff_get_nothing_of_drafts_before_issue(
    api_client, review_in_progress, nec_hub_officer, wessex_officer, yorkshire_officer
):
    review = review_in_progress
    rate_all(review, _place(review, yorkshire_officer), rating="not_assured")
    review.refresh_from_db()
    services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="not_assured",
        summary="Secret draft summary",
    )
    finding = services.finding_add(
        by=wessex_officer,
        review=review,
        kind="finding",
        title="Secret draft finding",
        detail="Only the panel sees this",
        theme="governance",
        programme_of_care=None,
        shareable=True,
    )
    rec = services.recommendation_add(
        by=wessex_officer,
        review=review,
        title="Secret draft recommendation",
        owner="Hub director",
        due_date=datetime.date(2015, 9, 30),
    )
    _as(api_client, nec_hub_officer)
    responses = [
        api_client.get(REVIEWS),
        api_client.get(_review(review.pk)),
        api_client.get(FINDINGS),
        api_client.get(RECOMMENDATIONS),
        api_client.get(REPORTS),
        api_client.get(LEARNING),
        api_client.get(ASSESSMENTS, {"review": review.pk}),
    ]
    assert all(r.status_code == 200 for r in responses)
    for response in responses:
        text = response.content.decode()
        assert "Secret" not in text
        assert "not_assured" not in text
    assert responses[2].json()["count"] == 0
    assert responses[3].json()["count"] == 0
    assert responses[6].json()["count"] == 0
    assert api_client.get(f"{FINDINGS}{finding.pk}/").status_code == 404
    assert api_client.get(f"{RECOMMENDATIONS}{rec.pk}/").status_code == 404
    assert api_client.get(_review(review.pk, "my-assessment")).status_code == 403
    # The panel and region read them.
    _as(api_client, wessex_officer)
    assert api_client.get(FINDINGS).json()["count"] == 1
    assert api_client.get(RECOMMENDATIONS).json()["count"] == 1
    assert api_client.get(_review(review.pk)).json()["summary"] == "Secret draft summary"


# --- the region runs the review ------------------------------------------------------------


def test_invite_ladder_and_stale_version(
    api_client, ready_review, nec_hub_officer, north_reviewer, london_hub_officer, national_admin
):
    url = _review(ready_review.pk, "invite")
    body = {"version": ready_review.version}
    assert _post(_as(api_client, london_hub_officer), url, body).status_code == 404
    assert _post(_as(api_client, nec_hub_officer), url, body).status_code == 403
    assert _post(_as(api_client, national_admin), url, body).status_code == 403
    api_client.force_authenticate(north_reviewer)
    stale = _post(api_client, url, {"version": ready_review.version + 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == ready_review.version
    ready_review.refresh_from_db()
    assert ready_review.status == PeerReview.Status.READY
    invited = _post(api_client, url, body)
    assert invited.status_code == 200
    ready_review.refresh_from_db()
    assert ready_review.status == PeerReview.Status.INVITED
    assert ready_review.plan_version is not None
    assert invited.json()["plan_version"] == ready_review.plan_version_id
    again = _post(api_client, url, {"version": ready_review.version})
    assert again.status_code == 400
    assert "non_field_errors" in again.json()


def test_panel_without_a_lead_cannot_start(
    api_client, invited_review, north_reviewer, yorkshire_officer, wessex_officer
):
    _as(api_client, north_reviewer)
    made = _post(
        api_client,
        PANEL,
        {"review": invited_review.pk, "user": yorkshire_officer.pk, "role": "reviewer"},
    )
    assert made.status_code == 201
    place = Reviewer.objects.get(pk=made.json()["id"])
    accept(place, yorkshire_officer)
    invited_review.refresh_from_db()
    start = _review(invited_review.pk, "start")
    refused = _post(api_client, start, {"version": invited_review.version})
    assert refused.status_code == 400
    assert "lead reviewer" in refused.json()["non_field_errors"][0]
    invited_review.refresh_from_db()
    assert invited_review.status == PeerReview.Status.INVITED
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    accept(lead, wessex_officer)
    _as(api_client, wessex_officer)
    assert _post(api_client, start, {"version": invited_review.version}).status_code == 403
    started = _post(_as(api_client, north_reviewer), start, {"version": invited_review.version})
    assert started.status_code == 200
    invited_review.refresh_from_db()
    assert invited_review.status == PeerReview.Status.IN_REVIEW


def test_panel_invitations_refuse_who_may_not_review_the_hub(
    api_client,
    invited_review,
    north_reviewer,
    nec_hub_officer,
    conflicted_officer,
    wessex_officer,
    yorkshire_officer,
    london_hub_officer,
):
    body = {"review": invited_review.pk, "user": wessex_officer.pk, "role": "lead"}
    assert _post(_as(api_client, london_hub_officer), PANEL, body).status_code == 404
    assert _post(_as(api_client, nec_hub_officer), PANEL, body).status_code == 403
    _as(api_client, north_reviewer)
    for who in (nec_hub_officer, conflicted_officer):
        refused = _post(api_client, PANEL, {**body, "user": who.pk})
        assert refused.status_code == 400
        assert "cannot review North East and Cumbria" in refused.json()["user"][0]
    nobody = _post(api_client, PANEL, {**body, "user": 10**9})
    assert nobody.status_code == 400
    assert "user" in nobody.json()
    assert not Reviewer.objects.exists()
    assert _post(api_client, PANEL, body).status_code == 201
    second_lead = _post(api_client, PANEL, {**body, "user": yorkshire_officer.pk})
    assert second_lead.status_code == 400
    assert "role" in second_lead.json()
    assert Reviewer.objects.count() == 1


def test_candidates_offer_no_one_conflicted(
    api_client,
    invited_review,
    north_reviewer,
    nec_hub_officer,
    conflicted_officer,
    wessex_officer,
    london_hub_officer,
    yorkshire_officer,
):
    url = _review(invited_review.pk, "candidates")
    assert _as(api_client, london_hub_officer).get(url).status_code == 404
    assert _as(api_client, nec_hub_officer).get(url).status_code == 403
    found = _as(api_client, north_reviewer).get(url).json()
    offered = {c["user"] for c in found["offered"]}
    excluded = {c["user"]: c["reason"] for c in found["excluded"]}
    assert {wessex_officer.pk, yorkshire_officer.pk, london_hub_officer.pk} <= offered
    assert conflicted_officer.pk not in offered
    assert nec_hub_officer.pk not in offered
    assert excluded[conflicted_officer.pk] == "A member of the hub's oversight group"
    assert excluded[nec_hub_officer.pk] == "Works in the reviewed hub"


def test_the_invited_person_answers_and_may_declare_a_conflict(
    api_client, invited_review, north_reviewer, wessex_officer, yorkshire_officer
):
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    respond = f"{PANEL}{lead.pk}/respond/"
    answer = {"accept": True, "version": lead.version}
    # Yasmin, only invited, does not see Will's place; the region sees it but does not answer.
    assert _post(_as(api_client, yorkshire_officer), respond, answer).status_code == 404
    assert _post(_as(api_client, north_reviewer), respond, answer).status_code == 403
    api_client.force_authenticate(wessex_officer)
    stale = _post(api_client, respond, {**answer, "version": lead.version + 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == lead.version
    lead.refresh_from_db()
    assert lead.status == Reviewer.Status.INVITED
    accepted = _post(api_client, respond, answer)
    assert accepted.status_code == 200
    lead.refresh_from_db()
    assert lead.status == Reviewer.Status.ACCEPTED
    # Will now reads the workings, so sees Yasmin's place, but it is not his to answer.
    mine = f"{PANEL}{member.pk}/"
    assert api_client.get(mine).status_code == 200
    assert _post(api_client, f"{mine}declare-conflict/", {"reason": "x"}).status_code == 403
    api_client.force_authenticate(yorkshire_officer)
    blank = _post(api_client, f"{mine}declare-conflict/", {"reason": " "})
    assert blank.status_code == 400
    assert "reason" in blank.json()
    conflicted = _post(api_client, f"{mine}declare-conflict/", {"reason": "I chair NEC's panel"})
    assert conflicted.status_code == 200
    member.refresh_from_db()
    assert member.status == Reviewer.Status.CONFLICTED
    assert ReviewerConflict.objects.filter(user=yorkshire_officer).exists()


def test_the_region_replaces_a_place(
    api_client,
    invited_review,
    north_reviewer,
    yorkshire_officer,
    conflicted_officer,
    london_hub_officer,
    wessex_officer,
):
    place = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    url = f"{PANEL}{place.pk}/replace/"
    body = {"user": london_hub_officer.pk, "reason": "Unavailable", "version": place.version}
    assert _post(_as(api_client, yorkshire_officer), url, body).status_code == 403
    assert _post(_as(api_client, wessex_officer), url, body).status_code == 404
    api_client.force_authenticate(north_reviewer)
    refused = _post(api_client, url, {**body, "user": conflicted_officer.pk})
    assert refused.status_code == 400
    assert "user" in refused.json()
    stale = _post(api_client, url, {**body, "version": place.version + 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == place.version
    place.refresh_from_db()
    assert place.status == Reviewer.Status.INVITED
    assert Reviewer.objects.count() == 1
    replaced = _post(api_client, url, body)
    assert replaced.status_code == 201
    assert replaced.json()["user"] == london_hub_officer.pk
    place.refresh_from_db()
    assert place.status == Reviewer.Status.REPLACED


def test_panel_list_shows_own_places_and_what_one_may_read(
    api_client,
    invited_review,
    north_reviewer,
    wessex_officer,
    yorkshire_officer,
    nec_hub_officer,
    london_hub_officer,
):
    services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    accept(member, yorkshire_officer)

    def names(user) -> set[str]:
        return {p["name"] for p in _as(api_client, user).get(PANEL).json()["results"]}

    assert names(wessex_officer) == {"Will Turner"}
    assert names(yorkshire_officer) == {"Will Turner", "Yasmin Akhtar"}
    assert names(north_reviewer) == {"Will Turner", "Yasmin Akhtar"}
    assert names(nec_hub_officer) == set()
    assert names(london_hub_officer) == set()
    assert _as(api_client, nec_hub_officer).get(f"{PANEL}{member.pk}/").status_code == 404
    assert _as(api_client, london_hub_officer).get(f"{PANEL}{member.pk}/").status_code == 404
