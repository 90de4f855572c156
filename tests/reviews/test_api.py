"""Peer reviews through the REST API: a permission ladder for every endpoint (anonymous 401, the
outsider 404 and never data, who can see but not act 403), happy paths that change the
database, refusals keyed by their field with nothing changed, stale versions answered 409 with
nothing changed, private drafts, and bounded queries on every list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from hubs.models import Hub
from reviews import services
from reviews.models import (
    Assessment,
    Finding,
    LineRating,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewerConflict,
    ReviewRecommendation,
    ReviewReport,
)
from reviews.permissions import sees_review_workings
from tests.conftest import make_user

from .conftest import NEC, accept, rate_all

pytestmark = pytest.mark.django_db

CYCLES = "/api/v1/review-cycles/"
REVIEWS = "/api/v1/peer-reviews/"
PANEL = "/api/v1/panel/"
ASSESSMENTS = "/api/v1/assessments/"
FINDINGS = "/api/v1/review-findings/"
LEARNING = "/api/v1/review-findings/learning/"
RECOMMENDATIONS = "/api/v1/review-recommendations/"
REPORTS = "/api/v1/review-reports/"
WORKINGS = {"plan_version", "governance", "overall_rating", "summary", "panel"}


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def _post(api_client, url, body=None):
    return api_client.post(url, body or {}, format="json")


def _review(pk: int, action: str = "") -> str:
    return f"{REVIEWS}{pk}/{action + '/' if action else ''}"


def _place(review: PeerReview, user) -> Reviewer:
    return review.panel.get(user=user, status__in=Reviewer.ACTIVE)


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


# --- assessments ---------------------------------------------------------------------------


def _ratings(review: PeerReview, rating: str = "assured") -> dict:
    return {
        str(line.pk): {"rating": rating, "evidence": f"Seen: {line.title}", "comments": ""}
        for line in review.cycle.lines.all()
    }


def test_a_reviewers_assessment_is_theirs_until_submitted(
    api_client,
    review_in_progress,
    yorkshire_officer,
    wessex_officer,
    north_reviewer,
    nec_hub_officer,
    london_hub_officer,
):
    review = review_in_progress
    mine = _review(review.pk, "my-assessment")
    listed = {"review": review.pk}
    assert _as(api_client, london_hub_officer).get(mine).status_code == 404
    assert api_client.get(ASSESSMENTS, listed).status_code == 404
    assert _as(api_client, north_reviewer).get(mine).status_code == 403
    assert _as(api_client, nec_hub_officer).get(mine).status_code == 403

    api_client.force_authenticate(yorkshire_officer)
    empty = api_client.get(mine).json()
    assert empty["id"] is None
    assert len(empty["ratings"]) == 5
    ratings = _ratings(review, "not_assured")
    draft = api_client.put(mine, {"version": 1, "ratings": ratings}, format="json")
    assert draft.status_code == 200
    assessment = Assessment.objects.get(reviewer__user=yorkshire_officer)
    assert assessment.status == Assessment.Status.DRAFT
    assert LineRating.objects.filter(assessment=assessment, rating="not_assured").count() == 5

    # Nobody else reads the draft: not the lead, not the region, not the hub.
    for other in (wessex_officer, north_reviewer, nec_hub_officer):
        _as(api_client, other)
        assert api_client.get(ASSESSMENTS, listed).json()["count"] == 0
    assert "not_assured" not in _as(api_client, wessex_officer).get(mine).content.decode()

    api_client.force_authenticate(yorkshire_officer)
    submitted = api_client.put(
        mine,
        {"version": assessment.version, "ratings": ratings, "submit": True},
        format="json",
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert _as(api_client, north_reviewer).get(ASSESSMENTS, listed).json()["count"] == 1
    # Will reads colleagues' only once his own is submitted.
    assert _as(api_client, wessex_officer).get(ASSESSMENTS, listed).json()["count"] == 0
    rate_all(review, _place(review, wessex_officer))
    assert api_client.get(ASSESSMENTS, listed).json()["count"] == 2
    assert _as(api_client, nec_hub_officer).get(ASSESSMENTS, listed).json()["count"] == 0
    assert api_client.get(ASSESSMENTS).status_code == 400


def test_bad_ratings_and_stale_versions_change_nothing(
    api_client, review_in_progress, yorkshire_officer
):
    review = review_in_progress
    mine = _review(review.pk, "my-assessment")
    _as(api_client, yorkshire_officer)
    assert api_client.put(mine, {"version": 1, "ratings": _ratings(review)}, format="json")
    assessment = Assessment.objects.get(reviewer__user=yorkshire_officer)
    before = (assessment.version, list(assessment.ratings.values_list("rating", flat=True)))
    off_scale = _ratings(review, "brilliant")
    refused = api_client.put(
        mine, {"version": assessment.version, "ratings": off_scale}, format="json"
    )
    assert refused.status_code == 400
    assert "ratings" in refused.json()
    incomplete = _ratings(review)
    first = next(iter(incomplete))
    incomplete[first]["evidence"] = ""
    refused = api_client.put(
        mine,
        {"version": assessment.version, "ratings": incomplete, "submit": True},
        format="json",
    )
    assert refused.status_code == 400
    assert f"evidence_{first}" in refused.json()
    stale = api_client.put(
        mine,
        {"version": assessment.version - 1, "ratings": _ratings(review, "not_assured")},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == assessment.version
    assessment.refresh_from_db()
    after = (assessment.version, list(assessment.ratings.values_list("rating", flat=True)))
    assert after == before
    assert assessment.status == Assessment.Status.DRAFT
    bad_key = api_client.put(
        mine, {"version": assessment.version, "ratings": {"x": {}}}, format="json"
    )
    assert bad_key.status_code == 400


# --- the lead's report ---------------------------------------------------------------------


def test_only_the_lead_consolidates(
    api_client,
    review_in_progress,
    wessex_officer,
    yorkshire_officer,
    north_reviewer,
    nec_hub_officer,
    london_hub_officer,
):
    review = review_in_progress
    url = _review(review.pk, "consolidate")
    body = {"version": review.version, "overall_rating": "assured", "summary": "Good"}
    assert _post(_as(api_client, london_hub_officer), url, body).status_code == 404
    for who in (nec_hub_officer, yorkshire_officer, north_reviewer):
        assert _post(_as(api_client, who), url, body).status_code == 403
    api_client.force_authenticate(wessex_officer)
    off_scale = _post(api_client, url, {**body, "overall_rating": "splendid"})
    assert off_scale.status_code == 400
    assert "overall_rating" in off_scale.json()
    stale = _post(api_client, url, {**body, "version": review.version - 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == review.version
    review.refresh_from_db()
    assert (review.overall_rating, review.summary) == ("", "")
    done = _post(api_client, url, body)
    assert done.status_code == 200
    review.refresh_from_db()
    assert (review.overall_rating, review.summary) == ("assured", "Good")


def test_lead_writes_findings_and_recommendations(
    api_client, review_in_progress, wessex_officer, yorkshire_officer, nec_hub_officer
):
    review = review_in_progress
    finding = {
        "review": review.pk,
        "kind": "good_practice",
        "title": "Co-chaired by patients",
        "detail": "The patient panel co-chairs.",
        "theme": "patients",
        "programme_of_care": None,
        "shareable": True,
    }
    assert _post(_as(api_client, yorkshire_officer), FINDINGS, finding).status_code == 403
    assert _post(_as(api_client, nec_hub_officer), FINDINGS, finding).status_code == 403
    api_client.force_authenticate(wessex_officer)
    untitled = _post(api_client, FINDINGS, {**finding, "title": ""})
    assert untitled.status_code == 400
    assert "title" in untitled.json()
    nul = _post(api_client, FINDINGS, {**finding, "programme_of_care": "can\x00cer"})
    assert nul.status_code == 400
    assert "NUL" in nul.json()["detail"]
    assert not Finding.objects.exists()
    made = _post(api_client, FINDINGS, finding)
    assert made.status_code == 201
    found = Finding.objects.get()
    url = f"{FINDINGS}{found.pk}/"
    stale = api_client.patch(url, {"version": 2, "title": "Late"}, format="json")
    assert stale.status_code == 409
    changed = api_client.patch(url, {"version": 1, "title": "Patients co-chair"}, format="json")
    assert changed.status_code == 200
    found.refresh_from_db()
    assert found.title == "Patients co-chair"
    assert _post(api_client, f"{url}archive/", {"version": found.version}).status_code == 200
    found.refresh_from_db()
    assert found.archived

    rec = {
        "review": review.pk,
        "title": "Secure every CCG's voice",
        "owner": "",
        "due_date": "2015-09-30",
    }
    no_owner = _post(api_client, RECOMMENDATIONS, rec)
    assert no_owner.status_code == 400
    assert no_owner.json()["owner"] == ["Name who owns the recommendation."]
    no_date = _post(api_client, RECOMMENDATIONS, {**rec, "owner": "Director", "due_date": None})
    assert no_date.status_code == 400
    assert "due_date" in no_date.json()
    assert not ReviewRecommendation.objects.exists()
    made = _post(api_client, RECOMMENDATIONS, {**rec, "owner": "Director"})
    assert made.status_code == 201
    saved = ReviewRecommendation.objects.get()
    url = f"{RECOMMENDATIONS}{saved.pk}/"
    assert _as(api_client, yorkshire_officer).patch(
        url, {"version": 1, "owner": "Chair"}, format="json"
    ).status_code == (403)
    api_client.force_authenticate(wessex_officer)
    blanked = api_client.patch(url, {"version": 1, "owner": " "}, format="json")
    assert blanked.status_code == 400
    assert "owner" in blanked.json()
    assert api_client.patch(url, {"version": 1, "owner": "Chair"}, format="json").status_code == 200
    stale = api_client.patch(url, {"version": 1, "owner": "Someone"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    saved.refresh_from_db()
    assert saved.owner == "Chair"


def test_lead_issues_the_report_and_corrects_it_with_a_reason(
    api_client, review_in_progress, wessex_officer, yorkshire_officer, north_reviewer
):
    review = review_in_progress
    review = services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="assured",
        summary="Well run.",
    )
    url = _review(review.pk, "issue")
    assert _post(_as(api_client, north_reviewer), url, {"version": review.version}).status_code == (
        403
    )
    api_client.force_authenticate(wessex_officer)
    waiting = _post(api_client, url, {"version": review.version})
    assert waiting.status_code == 400
    assert "Waiting for reviews" in waiting.json()["non_field_errors"][0]
    assert not ReviewReport.objects.exists()
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    issued = _post(api_client, url, {"version": review.version})
    assert issued.status_code == 201
    assert issued.json()["number"] == 1
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    no_reason = _post(api_client, url, {"version": review.version})
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()
    corrected = _post(api_client, url, {"version": review.version, "reason": "Typo"})
    assert corrected.status_code == 201
    assert list(review.reports.values_list("number", flat=True)) == [2, 1]


# --- the hub's response and the region's sign-off ------------------------------------------


def test_hub_responds_and_region_signs_off(
    api_client, issued_review, nec_hub_officer, north_reviewer, wessex_officer
):
    review = issued_review
    rec = review.recommendations.get()
    url = _review(review.pk, "respond")
    body = {"version": review.version, "summary": "Our plan", "actions": {str(rec.pk): "Invite"}}
    assert _post(_as(api_client, wessex_officer), url, body).status_code == 403
    assert _post(_as(api_client, north_reviewer), url, body).status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    missing = _post(api_client, url, {**body, "actions": {}})
    assert missing.status_code == 400
    assert f"action_{rec.pk}" in missing.json()
    stale = _post(api_client, url, {**body, "version": review.version + 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == review.version
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    responded = _post(api_client, url, body)
    assert responded.status_code == 200
    assert responded.json()["workings"] is False
    assert "summary" not in responded.json()
    review.refresh_from_db()
    rec.refresh_from_db()
    assert review.status == PeerReview.Status.RESPONDED
    assert rec.hub_action == "Invite"

    back = _review(review.pk, "return-response")
    assert _post(api_client, back, {"version": review.version, "note": "x"}).status_code == 403
    api_client.force_authenticate(north_reviewer)
    no_note = _post(api_client, back, {"version": review.version, "note": ""})
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    returned = _post(api_client, back, {"version": review.version, "note": "Add dates"})
    assert returned.status_code == 200
    review.refresh_from_db()
    assert review.status == PeerReview.Status.REPORT_ISSUED
    _as(api_client, nec_hub_officer)
    assert api_client.get(_review(review.pk)).json()["signoff_note"] == "Add dates"
    assert _post(api_client, url, {**body, "version": review.version}).status_code == 200
    review.refresh_from_db()
    sign = _review(review.pk, "sign-off")
    assert _post(api_client, sign, {"version": review.version}).status_code == 403
    signed = _post(_as(api_client, north_reviewer), sign, {"version": review.version})
    assert signed.status_code == 200
    review.refresh_from_db()
    assert review.status == PeerReview.Status.SIGNED_OFF


def test_hub_tracks_its_recommendations_to_closure(
    api_client, issued_review, nec_hub_officer, wessex_officer, london_hub_officer
):
    rec = issued_review.recommendations.get()
    url = f"{RECOMMENDATIONS}{rec.pk}/progress/"
    assert _post(_as(api_client, london_hub_officer), url, {}).status_code == 404
    body = {"version": rec.version, "status": "closed", "note": ""}
    assert _post(_as(api_client, wessex_officer), url, body).status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    listed = api_client.get(RECOMMENDATIONS).json()
    assert [r["id"] for r in listed["results"]] == [rec.pk]
    assert api_client.get(f"{RECOMMENDATIONS}{rec.pk}/").status_code == 200
    no_note = _post(api_client, url, body)
    assert no_note.status_code == 400
    assert "note" in no_note.json()
    closed = _post(api_client, url, {**body, "note": "All CCGs now members"})
    assert closed.status_code == 200
    rec.refresh_from_db()
    assert rec.status == ReviewRecommendation.Status.CLOSED
    stale = _post(api_client, url, {**body, "status": "open", "version": rec.version - 1})
    assert stale.status_code == 409
    rec.refresh_from_db()
    assert rec.status == ReviewRecommendation.Status.CLOSED
    # A draft added after issue stays out of the hub's sight until a correction issues it.
    draft = services.recommendation_add(
        by=wessex_officer,
        review=issued_review,
        title="Not issued yet",
        owner="Chair",
        due_date=datetime.date(2015, 12, 1),
    )
    assert [r["id"] for r in api_client.get(RECOMMENDATIONS).json()["results"]] == [rec.pk]
    assert api_client.get(f"{RECOMMENDATIONS}{draft.pk}/").status_code == 404


# --- reports and the learning library ------------------------------------------------------


def test_issued_reports_ladder(
    api_client, issued_review, nec_hub_officer, london_hub_officer, sunderland_lead, north_reviewer
):
    report = issued_review.reports.get()
    for who in (london_hub_officer, sunderland_lead):
        _as(api_client, who)
        assert api_client.get(REPORTS).json()["count"] == 0
        assert api_client.get(f"{REPORTS}{report.pk}/").status_code == 404
    for who in (nec_hub_officer, north_reviewer):
        _as(api_client, who)
        assert api_client.get(REPORTS, {"review": issued_review.pk}).json()["count"] == 1
        body = api_client.get(f"{REPORTS}{report.pk}/").json()
        assert body["overall_rating"] == "partially_assured"
        assert body["content"]["summary"] == "A well-run group with gaps in CCG coverage."
    assert _as(api_client, nec_hub_officer).get(_review(issued_review.pk)).json()[
        "latest_report"
    ] == (report.pk)
    assert api_client.post(REPORTS, {}, format="json").status_code == 405


def test_learning_library_is_for_everyone_once_issued(
    api_client, review_in_progress, wessex_officer, london_hub_officer, roleless_user
):
    review = review_in_progress
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="good_practice",
        title="Patient panel co-chairs the group",
        detail="Co-chaired every meeting.",
        theme="patients",
        programme_of_care=None,
        shareable=True,
    )
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="finding",
        title="Private finding",
        detail="Not for sharing.",
        theme="governance",
        programme_of_care=None,
        shareable=False,
    )
    assert _as(api_client, london_hub_officer).get(LEARNING).json()["count"] == 0
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    review.refresh_from_db()
    review = services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="assured",
        summary="s",
    )
    services.report_issue(by=wessex_officer, review=review, version=review.version)
    for who in (london_hub_officer, roleless_user):
        listed = _as(api_client, who).get(LEARNING).json()
        assert [f["title"] for f in listed["results"]] == ["Patient panel co-chairs the group"]
        assert listed["results"][0]["hub"] == NEC
    assert api_client.get(LEARNING, {"q": "co-chairs"}).json()["count"] == 1
    assert api_client.get(LEARNING, {"q": "nothing like it"}).json()["count"] == 0
    assert api_client.get(LEARNING, {"theme": "finance"}).json()["count"] == 0
    assert api_client.get(LEARNING, {"programme_of_care": "cancer"}).json()["count"] == 0
    assert api_client.get(FINDINGS).json()["count"] == 0


# --- bounded queries -----------------------------------------------------------------------


def _volume(admin, *, cycles: int, hubs: int, reviewers: int, first_year: int, who: str):
    """`hubs` by `cycles` issued reviews, each with `reviewers` submitted reviewers (the first
    one lead), a shareable finding, three recommendations and an issued report; rows made
    directly, for volume. Returns the reviewers."""
    people = [
        make_user(
            f"{who}{i}@example.nhs.uk",
            f"Reviewer {who}{i}",
            (Role.HUB_STAFF, Hub.objects.get(slug="wessex")),
        )
        for i in range(reviewers)
    ]
    for c in range(cycles):
        cycle = services.cycle_create(
            by=admin,
            year=first_year + c,
            kind=ReviewCycle.Kind.FIRST,
            opens_on=datetime.date(first_year + c, 4, 1),
            closes_on=datetime.date(first_year + c, 5, 31),
        )
        lines = list(cycle.lines.all())
        for hub in Hub.objects.order_by("name")[:hubs]:
            review = PeerReview.objects.create(
                cycle=cycle, hub=hub, status=PeerReview.Status.REPORT_ISSUED, readiness={}
            )
            for n, person in enumerate(people):
                place = Reviewer.objects.create(
                    review=review,
                    user=person,
                    invited_by=admin,
                    role="lead" if n == 0 else "reviewer",
                    status="accepted",
                )
                assessment = Assessment.objects.create(reviewer=place, status="submitted")
                LineRating.objects.bulk_create(
                    LineRating(assessment=assessment, line=line, rating="assured", evidence="e")
                    for line in lines
                )
            Finding.objects.create(
                review=review,
                kind="good_practice",
                title=f"Practice {review.pk}",
                detail="d",
                theme="patients",
                shareable=True,
            )
            ReviewRecommendation.objects.bulk_create(
                ReviewRecommendation(
                    review=review,
                    title=f"R{n}",
                    owner="Hub",
                    due_date=datetime.date(first_year + c, 9, 1),
                )
                for n in range(3)
            )
            ReviewReport.objects.create(
                review=review,
                number=1,
                overall_rating="assured",
                content=services.report_content(review),
                issued_by=admin,
            )
    return people


def _lists(review_id: int) -> list[str]:
    return [
        f"{CYCLES}?limit=100",
        f"{REVIEWS}?limit=100",
        f"{PANEL}?limit=500",
        f"{ASSESSMENTS}?review={review_id}",
        f"{FINDINGS}?limit=100",
        f"{LEARNING}?limit=100",
        f"{RECOMMENDATIONS}?limit=100",
        f"{REPORTS}?limit=100",
    ]


def _get(api_client, user, url):
    """GET as `user` afresh, as a real request would be (no roles cached from the last one)."""
    api_client.force_authenticate(User.objects.get(pk=user.pk))
    return api_client.get(url)


def _counts(api_client, user, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert _get(api_client, user, url).status_code == 200, url
        counts.append(len(captured))
    return counts


# The most queries each list in `_lists` may take, whoever asks and however much there is,
# counting the one that finds the signed-in user (as a token does).
# The learning library reads the issued reports first (what they shared), then the findings.
LIST_QUERY_LIMITS = [4, 5, 4, 7, 4, 4, 5, 4]


@pytest.mark.parametrize("persona", ["national_admin", "north_reviewer", "nec_hub_officer", None])
def test_list_queries_are_bounded(
    api_client, request, national_admin, persona, django_assert_max_num_queries
):
    people = _volume(national_admin, cycles=2, hubs=10, reviewers=5, first_year=2015, who="r")
    user = request.getfixturevalue(persona) if persona else people[1]
    review = PeerReview.objects.filter(hub__slug=NEC).first()
    for url, limit in zip(_lists(review.pk), LIST_QUERY_LIMITS, strict=True):
        with django_assert_max_num_queries(limit):
            assert _get(api_client, user, url).status_code == 200, url


def test_list_queries_do_not_grow_with_the_data(api_client, national_admin):
    people = _volume(national_admin, cycles=1, hubs=2, reviewers=2, first_year=2015, who="s")
    first = PeerReview.objects.order_by("pk").first()
    readers = (national_admin, people[1])
    small = [_counts(api_client, user, _lists(first.pk)) for user in readers]
    _volume(national_admin, cycles=2, hubs=10, reviewers=5, first_year=2020, who="b")
    assert [_counts(api_client, user, _lists(first.pk)) for user in readers] == small
