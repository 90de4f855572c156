"""Assurance follows the peer review (issue 13 part 6; seed 000 §4.1.1): the region assures a
plan only once the hub's first peer review report has been issued on the plan's submitted
version, or with an override whose reason is recorded on the plan, in its history, on its page
and in the API. Publishing still follows assurance."""

import pytest
from django.urls import reverse

from commissioning.models import AuditEvent
from priorities import services as plan_services
from priorities.assurance import NO_REASON, NO_REPORT, assurance_basis
from priorities.models import PrioritiesPlan

pytestmark = pytest.mark.django_db

REASON = "The panel met on 2 June; the region assures ahead of the written report."


def _plan(review_or_plan) -> PrioritiesPlan:
    pk = getattr(review_or_plan, "plan_version", None)
    pk = pk.plan_id if pk is not None else review_or_plan.pk
    return PrioritiesPlan.objects.get(pk=pk)


def _assure(plan, by, **kwargs):
    return plan_services.plan_assure(by=by, plan=plan, version=plan.version, **kwargs)


# --- the rule ------------------------------------------------------------------------------


def test_refused_before_any_review(submitted_plan, north_reviewer):
    with pytest.raises(plan_services.PlanError) as refused:
        _assure(submitted_plan, north_reviewer)
    assert (str(refused.value), refused.value.field) == (NO_REPORT, "override")
    assert _plan(submitted_plan).status == PrioritiesPlan.Status.SUBMITTED


def test_refused_while_the_review_is_under_way(review_in_progress, north_reviewer):
    plan = _plan(review_in_progress)
    assert assurance_basis(plan).version == review_in_progress.plan_version
    with pytest.raises(plan_services.PlanError, match="once the first peer review report"):
        _assure(plan, north_reviewer)


def test_allowed_once_the_report_on_its_submitted_version_is_issued(
    issued_review, north_reviewer, nec_hub_officer
):
    plan = _plan(issued_review)
    basis = assurance_basis(plan)
    assert basis.may_assure
    assert basis.report.number == 1
    assured = _assure(plan, north_reviewer)
    assert assured.status == PrioritiesPlan.Status.ASSURED
    assert (assured.assured_by, assured.assured_with_override) == (north_reviewer, False)
    assert assured.assured_at is not None
    assert assured.assurance_override_reason == ""
    event = AuditEvent.objects.filter(verb="plan.assured").get()
    assert event.data == {"plan_version": 1, "report": 1}
    published = plan_services.plan_publish(
        by=nec_hub_officer, plan=assured, version=assured.version
    )
    assert published.status == PrioritiesPlan.Status.PUBLISHED


def test_a_report_on_an_older_version_no_longer_counts(
    issued_review, north_reviewer, nec_hub_officer
):
    plan = _plan(issued_review)
    plan = plan_services.plan_reopen(
        by=nec_hub_officer, plan=plan, version=plan.version, reason="Add the finance section"
    )
    plan = plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    basis = assurance_basis(plan)
    assert basis.version.number == 2
    assert basis.report is None
    with pytest.raises(plan_services.PlanError) as refused:
        _assure(plan, north_reviewer)
    assert refused.value.field == "override"


def test_allowed_with_an_override_whose_reason_is_recorded(submitted_plan, north_reviewer):
    assured = _assure(submitted_plan, north_reviewer, override=True, reason=f"  {REASON} ")
    assert assured.status == PrioritiesPlan.Status.ASSURED
    assert assured.assured_with_override
    assert assured.assurance_override_reason == REASON
    event = AuditEvent.objects.get(verb="plan.assured_with_override")
    assert (event.actor, event.data) == (north_reviewer, {"reason": REASON, "plan_version": 1})
    assert event.label == "Plan assured without its peer review report"
    latest = assured.history.first()
    assert (latest.assured_with_override, latest.assurance_override_reason) == (True, REASON)
    assert latest.history_user == north_reviewer


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(submitted_plan, north_reviewer, reason):
    with pytest.raises(plan_services.PlanError) as refused:
        _assure(submitted_plan, north_reviewer, override=True, reason=reason)
    assert (str(refused.value), refused.value.field) == (NO_REASON, "reason")
    assert not _plan(submitted_plan).assured_with_override


def test_an_issued_report_needs_no_override(issued_review, north_reviewer):
    assured = _assure(_plan(issued_review), north_reviewer, override=True, reason="Not needed")
    assert not assured.assured_with_override
    assert assured.assurance_override_reason == ""


def test_publishing_still_follows_assurance(submitted_plan, nec_hub_officer):
    with pytest.raises(plan_services.PlanError, match="cannot be published"):
        plan_services.plan_publish(
            by=nec_hub_officer, plan=submitted_plan, version=submitted_plan.version
        )


# --- the API --------------------------------------------------------------------------------


def _step(api_client, plan, **body):
    return api_client.post(
        f"/api/v1/plans/{plan.pk}/step/",
        {"step": "assure", "version": _plan(plan).version, **body},
        format="json",
    )


def test_api_refuses_the_wrong_people_as_before(
    api_client, submitted_plan, nec_hub_officer, london_hub_officer
):
    api_client.force_authenticate(london_hub_officer)
    assert _step(api_client, submitted_plan).status_code == 404
    api_client.force_authenticate(nec_hub_officer)
    assert _step(api_client, submitted_plan, override=True, reason=REASON).status_code == 403


def test_api_refuses_before_the_report_on_its_field(api_client, submitted_plan, north_reviewer):
    api_client.force_authenticate(north_reviewer)
    refused = _step(api_client, submitted_plan)
    assert (refused.status_code, refused.json()) == (400, {"override": [NO_REPORT]})
    empty = _step(api_client, submitted_plan, override=True, reason=" ")
    assert (empty.status_code, empty.json()) == (400, {"reason": [NO_REASON]})
    stale = _step(api_client, submitted_plan, version=1, override=True, reason=REASON)
    assert stale.status_code == 409
    assured = _step(api_client, submitted_plan, override=True, reason=REASON).json()
    assert assured["status"] == "assured"
    assert assured["assured_with_override"] is True
    assert assured["assurance_override_reason"] == REASON
    assert assured["assured_by"] == north_reviewer.full_name
    read = api_client.get(f"/api/v1/plans/{submitted_plan.pk}/").json()
    assert read["assured_at"] == assured["assured_at"]
    assert read["version"] == assured["version"]


def test_api_assures_after_the_report(api_client, issued_review, north_reviewer):
    plan = _plan(issued_review)
    api_client.force_authenticate(north_reviewer)
    listed = api_client.get("/api/v1/plans/").json()["results"][0]
    assert (listed["assured_by"], listed["assured_with_override"]) == (None, False)
    assured = _step(api_client, plan)
    assert assured.status_code == 200
    assert assured.json()["assured_with_override"] is False


# --- the pages -------------------------------------------------------------------------------


def test_assure_page_refuses_beside_the_field_then_records_the_override(
    client, submitted_plan, north_reviewer, django_assert_max_num_queries
):
    url = reverse("priorities:plan-assure", args=[submitted_plan.pk])
    client.force_login(north_reviewer)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert "Not issued for this version yet" in page.content.decode()
    refused = client.post(url, {"version": submitted_plan.version})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="id_override_error"' in html
    assert "There is a problem" in html
    assert "give a reason to assure it without one" in html
    empty = client.post(url, {"version": submitted_plan.version, "override": "on"})
    assert 'id="id_reason_error"' in empty.content.decode()
    assert _plan(submitted_plan).status == PrioritiesPlan.Status.SUBMITTED
    done = client.post(url, {"version": submitted_plan.version, "override": "on", "reason": REASON})
    assert done.status_code == 302
    with django_assert_max_num_queries(30):
        plan_page = client.get(submitted_plan.get_absolute_url()).content.decode()
    assert "without the first peer review report" in plan_page
    assert REASON in plan_page
    history = client.get(reverse("priorities:plan-history", args=[submitted_plan.pk]))
    text = history.content.decode()
    assert "Plan assured without its peer review report" in text
    assert REASON in text


def test_assure_page_after_the_report(client, issued_review, north_reviewer):
    plan = _plan(issued_review)
    url = reverse("priorities:plan-assure", args=[plan.pk])
    client.force_login(north_reviewer)
    html = client.get(url).content.decode()
    assert "report version 1" in html
    assert 'name="override"' not in html
    assert client.post(url, {"version": plan.version}).status_code == 302
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert "after the first peer review report" in plan_page


def test_assure_page_access(client, submitted_plan, nec_hub_officer, london_hub_officer):
    url = reverse("priorities:plan-assure", args=[submitted_plan.pk])
    client.force_login(london_hub_officer)
    assert client.get(url).status_code == 404
    client.force_login(nec_hub_officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": 1, "override": "on", "reason": REASON}).status_code == 403
    history = client.get(reverse("priorities:plan-history", args=[submitted_plan.pk]))
    assert history.status_code == 200  # readers of the plan read its history
