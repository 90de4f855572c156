"""The joint programme of work (issue 17, "What to build" 4; seed 000 §3.6): the overlap rule,
the agreed way forward (national admins, with a rationale, versioned, audited; refusals change
nothing), who reads the page and who writes (a ladder), the overlaps on the plan page, and
bounded queries however many hubs, priorities and reviews."""

import datetime

import pytest
from django.urls import reverse

from commissioning.concurrency import ConflictError
from commissioning.models import AuditEvent
from national import service_reviews
from national.models import ServiceReview
from priorities import programme as rule
from priorities import services
from priorities.models import OverlapDecision, Proposal
from tests.factories import make_group

from .programme_helpers import include, make_crg, make_review, programme, snapshot

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


# --- the overlap rule -----------------------------------------------------------------------


def _pair(p_poc=None, p_crg=None, r_poc=None, r_crg=None):
    proposal = Proposal(programme_of_care=p_poc, crg=p_crg)
    review = ServiceReview(programme=r_poc, crg=r_crg)
    return rule.overlap_reason(proposal, review)


def test_the_overlap_rule(national_admin):
    medicine, trauma = programme(), programme("Trauma")
    cardiac = make_crg(national_admin)
    renal = make_crg(national_admin, "Renal Services")
    neuro = make_crg(national_admin, "Neurosciences", "Trauma")
    # Both name a CRG: only the same CRG overlaps (not another CRG of the same PoC).
    assert _pair(medicine, cardiac, medicine, cardiac) == rule.SAME_CRG
    assert _pair(medicine, cardiac, medicine, renal) is None
    # Either names none: the same Programme of Care overlaps.
    assert _pair(medicine, None, medicine, cardiac) == rule.SAME_PROGRAMME
    assert _pair(medicine, cardiac, medicine, None) == rule.SAME_PROGRAMME
    assert _pair(medicine, None, medicine, None) == rule.SAME_PROGRAMME
    assert _pair(medicine, None, trauma, neuro) is None
    assert _pair(trauma, None, medicine, None) is None
    # A priority naming only its CRG is in the CRG's Programme of Care.
    assert _pair(None, cardiac, medicine, None) == rule.SAME_PROGRAMME
    assert _pair(None, neuro, medicine, None) is None
    # Neither a PoC nor a CRG: nothing to match.
    assert _pair(None, None, medicine, None) is None


def test_only_an_included_priority_of_the_reviews_year_overlaps_an_open_review(
    plan, sunderland_lead, national_admin
):
    review = make_review(national_admin)
    priority = include(plan, sunderland_lead, "Vascular", programme_of_care=programme())
    assert rule.is_overlap(priority, review)
    draft = Proposal.objects.get(pk=priority.pk)
    draft.status = Proposal.Status.DEFERRED
    assert not rule.is_overlap(draft, review)
    later = make_review(
        national_admin, year=2016, start_date=datetime.date(2016, 4, 1), end_date=None
    )
    assert not rule.is_overlap(priority, later)
    review.archived = True
    assert not rule.is_overlap(priority, review)


# --- the agreed way forward -----------------------------------------------------------------


@pytest.fixture
def review(national_admin):
    return make_review(national_admin)


@pytest.fixture
def priority(plan, sunderland_lead):
    return include(plan, sunderland_lead, "Two arterial centres", programme_of_care=programme())


def agree(by, priority, review, **changes):
    data = {"way_forward": "proceeds", "rationale": "Outside the review's scope.", **changes}
    return services.overlap_agree(by=by, proposal=priority, review=review, **data)


def test_a_way_forward_is_agreed_audited_and_changed_with_its_version(
    national_admin, priority, review
):
    decision = agree(national_admin, priority, review)
    assert (decision.way_forward, decision.version, decision.decided_by) == (
        "proceeds",
        1,
        national_admin,
    )
    event = AuditEvent.objects.get(verb="programme.overlap_agreed")
    assert event.data == {"proposal": priority.pk, "review": review.pk, "way_forward": "proceeds"}
    changed = agree(national_admin, priority, review, way_forward="folded", version=1)
    assert (changed.pk, changed.way_forward, changed.version) == (decision.pk, "folded", 2)
    assert [h.way_forward for h in changed.history.order_by("history_id")] == [
        "proceeds",
        "folded",
    ]
    assert AuditEvent.objects.filter(verb="programme.overlap_changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rationale": "   "}, "rationale"),
        ({"rationale": "x" * 20_001}, "rationale"),
        ({"way_forward": "ignored"}, "way_forward"),
    ],
)
def test_bad_input_is_refused_beside_its_field(national_admin, priority, review, changes, field):
    before = snapshot()
    with pytest.raises(services.PlanError) as refused:
        agree(national_admin, priority, review, **changes)
    assert refused.value.field == field
    assert snapshot() == before


def test_a_decision_on_what_is_not_an_overlap_is_refused(
    national_admin, plan, sunderland_lead, priority, review
):
    elsewhere = include(
        plan, sunderland_lead, "Trauma network", programme_of_care=programme("Trauma")
    )
    undecided = include(plan, sunderland_lead, "Deferred", programme_of_care=programme())
    Proposal.objects.filter(pk=undecided.pk).update(status="deferred")
    later = make_review(
        national_admin,
        title="Later",
        year=2016,
        start_date=datetime.date(2016, 4, 1),
        end_date=None,
    )
    before = snapshot()
    for proposal, national_review in [
        (elsewhere, review),
        (undecided, review),
        (priority, later),
    ]:
        with pytest.raises(services.PlanError) as refused:
            agree(national_admin, proposal, national_review)
        assert refused.value.field == "review"
        assert "does not overlap" in str(refused.value)
    assert snapshot() == before


def test_stale_and_second_first_decisions_conflict(national_admin, priority, review):
    agree(national_admin, priority, review)
    agree(national_admin, priority, review, version=1, rationale="Changed")
    before = snapshot()
    with pytest.raises(ConflictError) as stale:
        agree(national_admin, priority, review, version=1, way_forward="waits")
    assert "Rationale is now “Changed”" in stale.value.message
    with pytest.raises(ConflictError) as twice:
        agree(national_admin, priority, review, way_forward="waits")
    assert twice.value.current.version == 2
    assert snapshot() == before


@pytest.mark.parametrize("name", ["nec_hub_officer", "north_reviewer", "sunderland_lead"])
def test_only_national_admins_agree(request, name, priority, review):
    before = snapshot()
    with pytest.raises(services.PlanNotAllowed):
        agree(request.getfixturevalue(name), priority, review)
    assert snapshot() == before


# --- the joint programme page: who reads, who writes ----------------------------------------

PAGE_READERS = ["nec_hub_officer", "london_hub_officer", "north_reviewer", "national_admin"]


@pytest.fixture
def decided(national_admin, priority, review):
    return agree(national_admin, priority, review, rationale=HOSTILE)


def _page(year=2015):
    return reverse("priorities:joint-programme", args=[year])


def _form(priority, review):
    return reverse("priorities:way-forward", args=[priority.pk, review.pk])


def test_anonymous_is_sent_to_sign_in(client, priority, review):
    for url in [_page(), reverse("priorities:joint-programme-now"), _form(priority, review)]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("name", ["roleless_user", "sunderland_lead"])
def test_others_may_not_read_the_page(client, request, name, priority, review):
    client.force_login(request.getfixturevalue(name))
    assert client.get(_page()).status_code == 403
    assert client.get(_form(priority, review)).status_code == 403
    assert client.post(_form(priority, review), {"way_forward": "waits"}).status_code == 403


@pytest.mark.parametrize("name", PAGE_READERS)
def test_readers_see_the_overlaps_only_national_admins_agree(
    client, request, name, priority, review, decided
):
    client.force_login(request.getfixturevalue(name))
    response = client.get(_page())
    assert response.status_code == 200
    (overlap,) = response.context["programme"].overlaps
    assert (overlap.proposal, overlap.review, overlap.decision) == (priority, review, decided)
    assert overlap.reason == rule.SAME_PROGRAMME
    assert HOSTILE not in response.text
    assert "&lt;script&gt;" in response.text
    keeper = name == "national_admin"
    assert (_form(priority, review) in response.text) == keeper
    if not keeper:
        before = snapshot()
        assert client.get(_form(priority, review)).status_code == 403
        body = {"way_forward": "waits", "rationale": "x", "version": 1}
        assert client.post(_form(priority, review), body).status_code == 403
        assert snapshot() == before


def test_the_viewers_hubs_are_marked_and_only_readable_priorities_linked(
    client, london_hub_officer, north_reviewer, priority, review
):
    client.force_login(north_reviewer)
    hubs = client.get(_page()).context["programme"].hubs
    own = {h.hub.slug for h in hubs if h.own}
    assert own == {"north-east-and-cumbria", "north-west", "yorkshire-and-humber"}
    assert hubs[0].own
    nec = next(h for h in hubs if h.hub.slug == "north-east-and-cumbria")
    assert [(r.proposal, r.readable) for r in nec.priorities] == [(priority, True)]
    client.force_login(london_hub_officer)
    response = client.get(_page(), {"on": "x"})
    hubs = response.context["programme"].hubs
    assert [h.hub.slug for h in hubs if h.own] == ["london"]
    nec = next(h for h in hubs if h.hub.slug == "north-east-and-cumbria")
    assert [(r.proposal, r.readable) for r in nec.priorities] == [(priority, False)]
    assert priority.get_absolute_url() not in response.text
    assert "Your hub" in response.text


def test_years_and_bad_years(client, national_admin):
    client.force_login(national_admin)
    assert client.get(reverse("priorities:joint-programme-now")).status_code == 302
    assert client.get(_page(1999)).status_code == 404
    assert client.get(_page(2030)).status_code == 200
    assert client.get(_form_ids(999999, 999999)).status_code == 404


def _form_ids(proposal, review):
    return reverse("priorities:way-forward", args=[proposal, review])


def test_national_admin_agrees_then_changes_a_way_forward(client, national_admin, priority, review):
    client.force_login(national_admin)
    url = _form(priority, review)
    page = client.get(url)
    assert "Why they overlap: same Programme of Care, Internal Medicine." in page.text
    response = client.post(url, {"way_forward": "waits", "rationale": "Until the review reports."})
    assert response.status_code == 302
    assert response["Location"].endswith(_page() + "#overlaps")
    decision = OverlapDecision.objects.get()
    assert (decision.way_forward, decision.rationale) == ("waits", "Until the review reports.")
    page = client.get(url)
    assert "Agreed now: the local priority waits" in page.text
    assert page.context["form"].initial["version"] == 1
    body = {"way_forward": "folded", "rationale": "Folded in.", "version": 1}
    assert client.post(url, body).status_code == 302
    decision.refresh_from_db()
    assert (decision.way_forward, decision.version) == ("folded", 2)


def test_bad_input_on_the_form_changes_nothing(
    client, national_admin, plan, sunderland_lead, priority, review
):
    client.force_login(national_admin)
    url = _form(priority, review)
    before = snapshot()
    response = client.post(url, {"way_forward": "", "rationale": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["rationale"] == ["Give the rationale for the way forward"]
    assert errors["way_forward"] == ["Choose the agreed way forward"]
    assert 'id="id_rationale_error"' in response.text
    response = client.post(url, {"way_forward": "waits", "rationale": "y" * 20_001})
    assert "20,000" in response.context["form"].errors["rationale"][0]
    other = include(plan, sunderland_lead, "Trauma network", programme_of_care=programme("Trauma"))
    response = client.post(_form(other, review), {"way_forward": "waits", "rationale": "x"})
    assert response.status_code == 200
    assert "does not overlap" in response.text
    assert snapshot() == before


def test_a_stale_form_shows_the_conflict(client, national_admin, priority, review):
    agree(national_admin, priority, review)
    agree(national_admin, priority, review, version=1, rationale="Newer")
    client.force_login(national_admin)
    before = snapshot()
    body = {"way_forward": "waits", "rationale": "Mine", "version": 1}
    response = client.post(_form(priority, review), body)
    assert "saved this while you were editing" in response.text
    # Opened before anyone agreed, saved after: a conflict too, not a second record.
    response = client.post(_form(priority, review), {"way_forward": "waits", "rationale": "Mine"})
    assert "saved this while you were editing" in response.text
    assert snapshot() == before


# --- the plan page --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "links"), [("nec_hub_officer", True), ("sunderland_lead", False)])
def test_the_plan_page_shows_overlaps_and_their_way_forward(
    client, request, name, links, national_admin, plan, priority, review
):
    cardiac = make_crg(national_admin)
    crg_review = make_review(national_admin, title="Adult cardiac surgery", crg=cardiac)
    other_crg = make_crg(national_admin, "Renal Services")
    include(
        plan,
        request.getfixturevalue("sunderland_lead"),
        "Renal",
        crg=other_crg,
        programme_of_care=programme(),
    )
    agree(national_admin, priority, review, rationale="Outside the CHD review.")
    client.force_login(request.getfixturevalue(name))
    response = client.get(plan.get_absolute_url())
    overlaps = {(o.proposal.title, o.review.title): o for o in response.context["overlaps"]}
    # Two arterial centres names no CRG: it overlaps both Internal Medicine reviews. The renal
    # priority names its CRG: it overlaps the CHD review (no CRG: same Programme of Care) but
    # not the cardiac surgery review (another CRG).
    assert set(overlaps) == {
        ("Two arterial centres", review.title),
        ("Two arterial centres", crg_review.title),
        ("Renal", review.title),
    }
    assert overlaps[("Two arterial centres", review.title)].decision.rationale == (
        "Outside the CHD review."
    )
    assert overlaps[("Renal", review.title)].decision is None
    html = response.text
    assert "Outside the CHD review." in html
    assert "Not yet agreed" in html
    assert (_page() in html) == links


def test_a_plan_with_no_overlap_says_so(client, nec_hub_officer, plan, sunderland_lead, review):
    include(plan, sunderland_lead, "Trauma network", programme_of_care=programme("Trauma"))
    client.force_login(nec_hub_officer)
    response = client.get(plan.get_absolute_url())
    assert response.context["overlaps"] == []
    assert 'id="no-overlaps"' in response.text


def test_an_archived_review_drops_out(
    client, nec_hub_officer, national_admin, plan, priority, review
):
    service_reviews.service_review_update(
        by=national_admin, review=review, version=1, archived=True
    )
    client.force_login(nec_hub_officer)
    assert client.get(plan.get_absolute_url()).context["overlaps"] == []
    assert client.get(_page()).context["programme"].overlaps == []


# --- bounded queries ------------------------------------------------------------------------


def _grow(national_admin, hub_staff_by_hub, plans, lead, n):
    """n more priorities in each plan and n more reviews, half of them decided."""
    pocs = [programme(), programme("Trauma"), programme("Cancer")]
    for plan in plans:
        by = (
            lead
            if plan.group.hub.slug == "north-east-and-cumbria"
            else hub_staff_by_hub[plan.group.hub.slug]
        )
        ods = "00P" if by == lead else None
        for i in range(n):
            include(
                plan,
                by,
                f"{plan.pk} priority {plan.proposals.count()} {i}",
                programme_of_care=pocs[i % 3],
                ods=ods,
            )
    start = ServiceReview.objects.count()
    for i in range(n):
        make_review(national_admin, title=f"Review {start + i}", programme=pocs[i % 3])
    for o in rule.joint_programme(national_admin, 2015, own_hub_ids=frozenset()).overlaps[::2]:
        if o.decision is None:
            agree(national_admin, o.proposal, o.review)


@pytest.fixture
def plans(plan, london_hub_officer, west_midlands_officer):
    others = [
        services.plan_create(
            by=london_hub_officer,
            group=make_group(by=london_hub_officer, hub="london", name="London Group"),
            year=2015,
        ),
        services.plan_create(
            by=west_midlands_officer,
            group=make_group(
                by=west_midlands_officer, hub="west-midlands", name="West Midlands Group"
            ),
            year=2015,
        ),
    ]
    return [plan, *others]


@pytest.mark.parametrize("name", ["national_admin", "north_reviewer", "london_hub_officer"])
def test_the_joint_programme_page_is_bounded(
    client,
    request,
    name,
    national_admin,
    plans,
    sunderland_lead,
    london_hub_officer,
    west_midlands_officer,
    django_assert_max_num_queries,
):
    staff = {"london": london_hub_officer, "west-midlands": west_midlands_officer}
    _grow(national_admin, staff, plans, sunderland_lead, 3)
    client.force_login(request.getfixturevalue(name))
    with django_assert_max_num_queries(14) as captured:
        small = client.get(_page(), {"on": "1"})
    assert small.status_code == 200
    _grow(national_admin, staff, plans, sunderland_lead, 9)
    with django_assert_max_num_queries(len(captured)):
        big = client.get(_page(), {"on": "2"})
    assert len(big.context["programme"].overlaps) > 3 * len(small.context["programme"].overlaps)


def test_the_plan_page_with_overlaps_is_bounded(
    client,
    nec_hub_officer,
    national_admin,
    plans,
    sunderland_lead,
    london_hub_officer,
    west_midlands_officer,
    django_assert_max_num_queries,
):
    staff = {"london": london_hub_officer, "west-midlands": west_midlands_officer}
    _grow(national_admin, staff, plans[:1], sunderland_lead, 3)
    client.force_login(nec_hub_officer)
    url = plans[0].get_absolute_url()
    with django_assert_max_num_queries(18) as captured:
        small = client.get(url, {"on": "1"})
    _grow(national_admin, staff, plans[:1], sunderland_lead, 12)
    with django_assert_max_num_queries(len(captured)):
        big = client.get(url, {"on": "2"})
    assert len(big.context["overlaps"]) > 3 * len(small.context["overlaps"])


def test_cached_pages_show_a_new_way_forward(
    client, nec_hub_officer, national_admin, plan, priority, review
):
    """The plan page and the joint programme are cached per session (commissioning.pagecache):
    a way forward agreed since is shown at once."""
    client.force_login(nec_hub_officer)
    assert "Not yet agreed" in client.get(plan.get_absolute_url()).text
    assert "Not yet agreed" in client.get(_page()).text
    agree(national_admin, priority, review, rationale="Agreed since.")
    assert "Agreed since." in client.get(plan.get_absolute_url()).text
    assert "Agreed since." in client.get(_page()).text
