"""The rules of evaluation (issue 17, "What to build" 6; seed 000 §4.2.1): after the plan's
year, of an included priority, once; versioned, archived never deleted, audited; shared once to
the learning library (as it was) and once to the idea exchange. A refusal names its field and
changes nothing."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from commissioning.concurrency import ConflictError
from commissioning.errors import NotAllowed, RuleError, StateConflict
from evaluations import services
from evaluations.models import Evaluation
from ideas.models import Follow, Post
from tests.evaluations.conftest import at, audited, evaluate, snapshot

pytestmark = pytest.mark.django_db


def refused(field, call, *args, **kwargs):
    before = snapshot()
    with pytest.raises(RuleError) as error:
        call(*args, **kwargs)
    assert error.value.field == field, str(error.value)
    assert snapshot() == before
    return str(error.value)


def test_hub_staff_record_an_evaluation_against_the_planned_figures(evaluation, nec_hub_officer):
    assert evaluation.planned_qipp == Decimal(200000)  # the delivery's target
    assert evaluation.qipp_realised == Decimal(180000)
    assert (evaluation.rating, evaluation.theme, evaluation.version) == ("partly_met", "pathway", 1)
    assert evaluation.evaluated_by == nec_hub_officer
    assert audited("evaluation_recorded").get().actor == nec_hub_officer
    assert evaluation.history.get().history_user == nec_hub_officer


def test_without_a_delivery_target_the_proposal_estimate_is_planned(
    plan, sunderland_lead, nec_hub_officer
):
    from tests.priorities.helpers import included

    proposal = included(plan, sunderland_lead, nec_hub_officer, "No target")
    assert evaluate(nec_hub_officer, proposal).planned_qipp == Decimal(250000)


def test_refused_until_the_year_has_ended_and_allowed_the_day_after(priority, nec_hub_officer):
    with time_machine.travel(at(datetime.date(2016, 3, 31)), tick=False):
        message = refused("proposal", evaluate, nec_hub_officer, priority)
    assert message == (
        "The 2015/16 financial year ends on 31 March 2016: evaluate its priorities from"
        " 1 April 2016."
    )
    with time_machine.travel(at(datetime.date(2016, 4, 1)), tick=False):
        assert evaluate(nec_hub_officer, priority).pk


def test_only_included_priorities_are_evaluated(deferred, nec_hub_officer):
    message = refused("proposal", evaluate, nec_hub_officer, deferred)
    assert "this proposal is submitted" in message


def test_one_standing_evaluation_per_priority_archived_ones_kept(
    evaluation, priority, nec_hub_officer
):
    assert "was evaluated on" in refused("proposal", evaluate, nec_hub_officer, priority)
    refused(
        "reason",
        services.evaluation_archive,
        by=nec_hub_officer,
        evaluation=evaluation,
        version=1,
        reason="  ",
    )
    archived = services.evaluation_archive(
        by=nec_hub_officer, evaluation=evaluation, version=1, reason="Entered twice"
    )
    assert archived.is_archived
    assert archived.archive_reason == "Entered twice"
    again = evaluate(nec_hub_officer, priority, rating="met")
    assert Evaluation.objects.filter(proposal=priority).count() == 2
    assert again.pk != evaluation.pk
    with pytest.raises(StateConflict):
        services.evaluation_update(
            by=nec_hub_officer,
            evaluation=archived,
            version=archived.version,
            rating="met",
            qipp_realised=Decimal(1),
            theme="value",
            benefits="x",
        )


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("qipp_realised", {"qipp_realised": Decimal(-1)}),
        ("qipp_realised", {"qipp_realised": Decimal("2000000000")}),
        ("qipp_realised", {"qipp_realised": Decimal("10.5")}),
        ("rating", {"rating": "brilliant"}),
        ("theme", {"theme": "nonsense"}),
        ("benefits", {"benefits": "   "}),
        ("benefits", {"benefits": "x" * 20_001}),
        ("good_practice", {"good_practice": "x" * 20_001}),
    ],
)
def test_bad_input_is_refused_beside_its_field(priority, nec_hub_officer, field, overrides):
    refused(field, evaluate, nec_hub_officer, priority, **overrides)


def test_only_the_hubs_staff_evaluate(priority, london_hub_officer, sunderland_lead):
    for person in (london_hub_officer, sunderland_lead):
        before = snapshot()
        with pytest.raises(NotAllowed):
            evaluate(person, priority)
        assert snapshot() == before


def test_a_change_names_its_version_and_a_stale_one_is_refused(evaluation, nec_hub_officer):
    changed = services.evaluation_update(
        by=nec_hub_officer,
        evaluation=evaluation,
        version=1,
        rating="met",
        qipp_realised=Decimal(210000),
        theme="value",
        benefits="All aims met by March.",
    )
    assert (changed.version, changed.rating, changed.qipp_realised) == (2, "met", 210000)
    assert changed.working == ""  # left out: emptied
    event = audited("evaluation_updated").get()
    assert set(event.data["fields"]) >= {"rating", "qipp_realised", "theme", "benefits"}
    before = snapshot()
    with pytest.raises(ConflictError) as conflict:
        services.evaluation_update(
            by=nec_hub_officer,
            evaluation=evaluation,
            version=1,
            rating="not_met",
            qipp_realised=Decimal(0),
            theme="value",
            benefits="Stale",
        )
    assert "Were the planned aims met? is now “Met”" in conflict.value.message
    assert snapshot() == before
    assert changed.history.count() == 2


def test_sharing_to_the_library_keeps_the_text_as_shared(evaluation, nec_hub_officer):
    shared = services.evaluation_share_to_library(
        by=nec_hub_officer, evaluation=evaluation, version=1
    )
    assert shared.in_library
    assert shared.version == 2
    content = shared.shared_content
    assert content["title"] == "Two arterial centres"
    assert (content["rating"], content["planned_qipp"], content["qipp_realised"]) == (
        "partly_met",
        "200000",
        "180000",
    )
    assert content["hub"] == "North East and Cumbria"
    services.evaluation_update(
        by=nec_hub_officer,
        evaluation=shared,
        version=2,
        rating="met",
        qipp_realised=Decimal(1),
        theme="value",
        benefits="Changed after sharing",
    )
    shared.refresh_from_db()
    assert shared.shared_content == content  # the shared text is what was shared
    before = snapshot()
    with pytest.raises(StateConflict, match="shared to the learning library on"):
        services.evaluation_share_to_library(by=nec_hub_officer, evaluation=shared, version=3)
    assert snapshot() == before
    assert audited("evaluation_shared_to_library").count() == 1


def test_sharing_to_the_idea_exchange_posts_for_the_hub(evaluation, nec_hub_officer):
    shared = services.evaluation_share_to_ideas(
        by=nec_hub_officer, evaluation=evaluation, version=1
    )
    post = Post.objects.get()
    assert shared.idea_post == post
    assert shared.idea_shared_by == nec_hub_officer
    assert (post.organisation, post.hub.slug, post.ccg) == ("hub", "north-east-and-cumbria", None)
    assert post.author == nec_hub_officer
    assert [p.name for p in post.programmes.all()] == ["Internal Medicine"]
    assert post.theme_values == ["pathway"]
    assert post.title == "Evaluated: Two arterial centres"
    assert post.problem == "Too many small units"  # the priority's problem
    assert "Lower mortality; 24/7 interventional radiology." in post.tried
    assert "Planned aims partly met; QIPP savings of £180,000 realised against £200,000" in (
        post.results
    )
    assert "Perverse incentives found: Spoke hospitals lost tariff income." in post.results
    assert Follow.objects.filter(post=post, user=nec_hub_officer).exists()
    assert audited("evaluation_shared_to_ideas").get().data == {"post": post.pk}
    before = snapshot()
    with pytest.raises(StateConflict, match="shared on the idea exchange on"):
        services.evaluation_share_to_ideas(by=nec_hub_officer, evaluation=shared, version=2)
    assert snapshot() == before


def test_sharing_names_its_version(evaluation, nec_hub_officer):
    services.evaluation_share_to_library(by=nec_hub_officer, evaluation=evaluation, version=1)
    before = snapshot()
    with pytest.raises(ConflictError):
        services.evaluation_share_to_ideas(by=nec_hub_officer, evaluation=evaluation, version=1)
    assert snapshot() == before
