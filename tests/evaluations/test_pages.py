"""The evaluations' pages (issue 17, "What to build" 6): the plan's evaluation page, recording
and changing an evaluation (refusals beside their fields, nothing changed), sharing, the
learning library's section and the shared evaluations, and the national summary with its CSV;
each page's permission ladder: anonymous → outsider → reader → writer."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation
from tests.evaluations.conftest import at, evaluate, form_data, snapshot

pytestmark = pytest.mark.django_db


def status(client, user, url, method="get", data=None) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


# --- permission ladders --------------------------------------------------------------------


def test_the_evaluation_pages_ladder(
    client,
    evaluation,
    priority,
    roleless_user,
    london_hub_officer,
    sunderland_lead,
    north_reviewer,
    national_admin,
    nec_hub_officer,
):
    pk = evaluation.pk
    reads = [
        reverse("evaluations:plan", args=[priority.plan_id]),
        reverse("evaluations:detail", args=[pk]),
        reverse("evaluations:history", args=[pk]),
    ]
    writes = [
        reverse("evaluations:create", args=[priority.pk]),
        reverse("evaluations:edit", args=[pk]),
        reverse("evaluations:archive", args=[pk]),
        reverse("evaluations:share-library", args=[pk]),
        reverse("evaluations:share-ideas", args=[pk]),
    ]
    for url in reads + writes:
        assert status(client, None, url) == 302, url  # to sign in
        assert status(client, roleless_user, url) == 404, url
        assert status(client, london_hub_officer, url) == 404, url  # another hub's staff
    for reader in (sunderland_lead, north_reviewer, national_admin):
        for url in reads:
            assert status(client, reader, url) == 200, (reader, url)
        for url in writes:
            assert status(client, reader, url) == 403, (reader, url)
            assert status(client, reader, url, "post", {"version": 1}) == 403, (reader, url)
    for url in reads + writes:
        assert status(client, nec_hub_officer, url) == 200, url
    page = client.get(reads[1]).content.decode()
    assert "Two arterial centres" in page
    assert "Spoke hospitals lost tariff income." in page
    assert "Change the evaluation" in page


def test_the_shared_and_summary_pages_ladder(
    client,
    evaluation,
    nec_hub_officer,
    roleless_user,
    london_hub_officer,
    sunderland_lead,
    north_reviewer,
    national_admin,
):
    services.evaluation_share_to_library(by=nec_hub_officer, evaluation=evaluation, version=1)
    shared = [
        reverse("evaluations:shared"),
        reverse("evaluations:shared-detail", args=[evaluation.pk]),
    ]
    summary = reverse("evaluations:summary")
    for url in [*shared, summary]:
        assert status(client, None, url) == 302
        assert status(client, roleless_user, url) == 403
    for person in (london_hub_officer, sunderland_lead, north_reviewer, national_admin):
        for url in shared:
            assert status(client, person, url) == 200, (person, url)
    for person in (london_hub_officer, nec_hub_officer, sunderland_lead):
        assert status(client, person, summary) == 403
    assert status(client, north_reviewer, summary) == 200
    assert status(client, national_admin, summary) == 200


# --- recording and changing ----------------------------------------------------------------


def test_hub_staff_record_an_evaluation_beside_the_planned_figures(
    client, priority, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    url = reverse("evaluations:create", args=[priority.pk])
    page = client.get(url).content.decode()
    assert "£200,000" in page  # the delivery's QIPP target
    assert "Mortality under 3%" in page  # its KPIs
    assert "Lower mortality; 24/7 interventional radiology." in page  # the planned benefits
    response = client.post(url, form_data())
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "Evaluation recorded." in page
    assert "£180,000" in page
    assert "Aims partly met" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"qipp_realised": "-5"}, "QIPP savings realised cannot be negative"),
        ({"qipp_realised": "12.50"}, "Enter whole pounds"),
        ({"benefits": ""}, "Describe the benefits realised against the planned aims"),
        ({"benefits": "x" * 20_001}, "Enter 20,000 characters or fewer"),
        ({"theme": ""}, "Choose a theme"),
        ({"rating": "brilliant"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_beside_its_field(client, priority, nec_hub_officer, data, message):
    client.force_login(nec_hub_officer)
    before = snapshot()
    page = client.post(reverse("evaluations:create", args=[priority.pk]), form_data(**data))
    html = page.content.decode()
    assert page.status_code == 200
    assert "nhsuk-error-summary" in html
    assert message in html
    assert "nhsuk-error-message" in html
    assert snapshot() == before


def test_an_evaluation_before_the_year_ends_is_refused(client, priority, nec_hub_officer):
    client.force_login(nec_hub_officer)
    url = reverse("evaluations:create", args=[priority.pk])
    before = snapshot()
    with time_machine.travel(at(datetime.date(2016, 2, 1)), tick=False):
        plan_page = client.get(reverse("evaluations:plan", args=[priority.plan_id]))
        assert "From 1 April 2016" in plan_page.content.decode()
        html = client.post(url, form_data()).content.decode()
    assert "The 2015/16 financial year ends on 31 March 2016" in html
    assert "nhsuk-error-summary" in html
    assert snapshot() == before


def test_a_second_evaluation_and_a_deferred_proposal_are_refused(
    client, evaluation, priority, deferred, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    before = snapshot()
    html = client.post(reverse("evaluations:create", args=[priority.pk]), form_data()).content
    assert "change that evaluation instead" in html.decode()
    html = client.post(reverse("evaluations:create", args=[deferred.pk]), form_data()).content
    assert "Only priorities the group included in its plan are evaluated" in html.decode()
    assert snapshot() == before


def test_a_stale_change_is_refused_with_what_changed(client, evaluation, nec_hub_officer):
    client.force_login(nec_hub_officer)
    url = reverse("evaluations:edit", args=[evaluation.pk])
    client.post(url, form_data(rating="met", version=1))
    before = snapshot()
    html = client.post(url, form_data(rating="not_met", version=1)).content.decode()
    assert "saved this while you were editing" in html
    assert snapshot() == before
    evaluation.refresh_from_db()
    assert (evaluation.rating, evaluation.version) == ("met", 2)
    history = client.get(reverse("evaluations:history", args=[evaluation.pk])).content.decode()
    assert history.count('<tr class="nhsuk-table__row">') == 3  # the header and two versions


def test_hostile_text_is_shown_as_text(client, priority, nec_hub_officer, sunderland_lead):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    evaluation = evaluate(nec_hub_officer, priority, benefits=hostile, blockages=hostile)
    services.evaluation_share_to_library(by=nec_hub_officer, evaluation=evaluation, version=1)
    client.force_login(sunderland_lead)
    for url in (
        evaluation.get_absolute_url(),
        reverse("evaluations:shared-detail", args=[evaluation.pk]),
        reverse("evaluations:shared"),
        reverse("reviews:learning"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_archiving_keeps_the_evaluation_and_opens_the_priority_again(
    client, evaluation, priority, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    url = reverse("evaluations:archive", args=[evaluation.pk])
    html = client.post(url, {"version": 1, "reason": ""}).content.decode()
    assert "Say why the evaluation is archived" in html
    client.post(url, {"version": 1, "reason": "Recorded against the wrong priority"})
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "Recorded against the wrong priority" in page
    assert "Change the evaluation" not in page
    plan_page = client.get(reverse("evaluations:plan", args=[priority.plan_id])).content.decode()
    assert reverse("evaluations:create", args=[priority.pk]) in plan_page


# --- sharing -------------------------------------------------------------------------------


def test_sharing_pages_share_once(client, evaluation, nec_hub_officer, london_hub_officer):
    client.force_login(nec_hub_officer)
    library = reverse("evaluations:share-library", args=[evaluation.pk])
    ideas = reverse("evaluations:share-ideas", args=[evaluation.pk])
    assert client.post(library, {"version": 1}).status_code == 302
    assert client.post(ideas, {"version": 2}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.in_library
    assert evaluation.in_ideas
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert evaluation.idea_post.get_absolute_url() in page
    assert "Share to the learning library" not in page
    before = snapshot()
    html = client.post(library, {"version": 3}).content.decode()
    assert "was shared to the learning library on" in html
    html = client.post(ideas, {"version": 3}).content.decode()
    assert "was shared on the idea exchange on" in html
    assert snapshot() == before
    # Another hub reads what was shared, in the library and on the idea exchange.
    client.force_login(london_hub_officer)
    learning = client.get(reverse("reviews:learning")).content.decode()
    assert "Evaluations shared by hubs" in learning
    assert reverse("evaluations:shared-detail", args=[evaluation.pk]) in learning
    assert "Aims partly met" in learning
    post = client.get(evaluation.idea_post.get_absolute_url()).content.decode()
    assert "Evaluated: Two arterial centres" in post


def test_the_learning_library_searches_shared_evaluations(
    client, evaluation, nec_hub_officer, sunderland_lead, roleless_user
):
    services.evaluation_share_to_library(by=nec_hub_officer, evaluation=evaluation, version=1)
    detail = reverse("evaluations:shared-detail", args=[evaluation.pk])
    client.force_login(sunderland_lead)
    learning = reverse("reviews:learning")
    assert detail in client.get(learning, {"q": "aneurysm"}).content.decode()
    assert detail not in client.get(learning, {"q": "dialysis"}).content.decode()
    found = client.get(reverse("evaluations:shared"), {"theme": "pathway"}).content.decode()
    assert detail in found
    found = client.get(reverse("evaluations:shared"), {"theme": "digital"}).content.decode()
    assert detail not in found
    client.force_login(roleless_user)
    assert "Evaluations shared by hubs" not in client.get(learning).content.decode()


# --- the national summary ------------------------------------------------------------------


def test_the_summary_counts_by_programme_and_theme_with_csv(
    client, evaluation, priority, plan, sunderland_lead, nec_hub_officer, national_admin
):
    from tests.priorities.helpers import included

    other = included(plan, sunderland_lead, nec_hub_officer, "Not evaluated yet")
    assert other.programme_of_care is None
    client.force_login(national_admin)
    page = client.get(reverse("evaluations:summary"), {"year": 2015}).content.decode()
    assert "Evaluations of 2015/16 priorities" in page
    assert "1 of 2 included" in page
    assert "£180,000 against £200,000 planned" in page
    assert evaluation.get_absolute_url() in page
    csv = client.get(reverse("evaluations:summary"), {"year": 2015, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    rows = csv.content.decode().splitlines()
    assert rows[0].startswith("Grouped by,Group,Included priorities")
    assert "Programme of Care,Internal Medicine,1,1,0,1,0,200000,180000" in rows
    assert "Programme of Care,No Programme of Care named,1,0,0,0,0,0,0" in rows
    assert "Theme,Pathway redesign,,1,0,1,0,200000,180000" in rows
    assert rows[-1] == "All,All priorities,2,1,0,1,0,200000,180000"
    listing = client.get(reverse("evaluations:summary"), {"year": 2015, "format": "evaluations"})
    assert "North East and Cumbria,North,Two arterial centres" in listing.content.decode()


def test_a_regional_team_summarises_its_own_region(
    client, evaluation, north_reviewer, national_admin
):
    london_team = _london_team()
    client.force_login(north_reviewer)
    page = client.get(reverse("evaluations:summary")).content.decode()
    assert "North region" in page
    assert "1 of 1 included" in page
    assert client.get(reverse("evaluations:summary"), {"region": "london"}).status_code == 404
    client.force_login(london_team)
    page = client.get(reverse("evaluations:summary")).content.decode()
    assert "London region" in page
    assert "0 of 0 included" in page
    assert evaluation.get_absolute_url() not in page
    client.force_login(national_admin)
    page = client.get(reverse("evaluations:summary"), {"region": "london"}).content.decode()
    assert "0 of 0 included" in page


def _london_team():
    from accounts.models import Role
    from hubs.models import Region
    from tests.factories import make_user

    return make_user(
        "london.team@example.nhs.uk",
        "Lola Team",
        (Role.REGIONAL_TEAM, Region.objects.get(slug="london")),
    )


def test_the_plan_page_links_its_evaluation(client, priority, nec_hub_officer, sunderland_lead):
    client.force_login(nec_hub_officer)
    plan_page = client.get(priority.plan.get_absolute_url()).content.decode()
    assert reverse("evaluations:plan", args=[priority.plan_id]) in plan_page
    page = client.get(reverse("evaluations:plan", args=[priority.plan_id])).content.decode()
    assert reverse("evaluations:create", args=[priority.pk]) in page
    client.force_login(sunderland_lead)
    page = client.get(reverse("evaluations:plan", args=[priority.plan_id]) + "?on=1").content
    assert reverse("evaluations:create", args=[priority.pk]) not in page.decode()
    assert "Not evaluated yet" in page.decode()


def test_money_in_evaluations_is_whole_pounds(priority, nec_hub_officer):
    assert evaluate(nec_hub_officer, priority, qipp_realised=Decimal(0)).qipp_realised == 0
