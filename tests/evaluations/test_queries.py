"""Bounded queries (issue 17: "bounded queries on every list"): the plan's evaluation page, an
evaluation, its history, the shared evaluations, the learning library and the national summary
cost the same queries with many more priorities and evaluations."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Evaluation
from hubs.models import ProgrammeOfCare
from ideas.models import Theme
from priorities import services as plans
from priorities.models import Proposal
from tests.factories import make_group

pytestmark = pytest.mark.django_db

HUBS = ["north-east-and-cumbria", "london", "wessex", "west-midlands", "north-west"]


def _fill(by_user, hubs: list[str], per_plan: int, tag: str) -> list:
    """For each hub, a 2015/16 plan with `per_plan` included priorities, each evaluated (and
    shared), made directly for volume."""
    pocs = list(ProgrammeOfCare.objects.all())
    themes = Theme.values
    made_plans = []
    for n, slug in enumerate(hubs):
        group = make_group(by=by_user, hub=slug, name=f"Group {tag}{n}")
        plan = plans.plan_create(by=by_user, group=group, year=2015)
        made_plans.append(plan)
        for i in range(per_plan):
            proposal = Proposal.objects.create(
                plan=plan,
                proposed_by=by_user,
                title=f"Priority {tag}{n}-{i}",
                problem="P",
                programme_of_care=pocs[i % len(pocs)],
                qipp_savings=Decimal(1000 * i),
                status=Proposal.Status.INCLUDED,
                rationale="Yes",
            )
            Evaluation.objects.create(
                proposal=proposal,
                rating=["met", "partly_met", "not_met"][i % 3],
                qipp_realised=Decimal(500 * i),
                planned_qipp=Decimal(1000 * i),
                benefits="Benefits",
                theme=themes[i % len(themes)],
                evaluated_by=by_user,
                library_shared_at=datetime.datetime(2016, 5, 1, tzinfo=datetime.UTC),
                library_shared_by=by_user,
                shared_content={
                    "title": proposal.title,
                    "hub": slug,
                    "rating": "met",
                    "rating_label": "Met",
                    "benefits": "Benefits",
                    "qipp_realised": "1",
                    "planned_qipp": "2",
                },
            )
    return made_plans


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def _urls(plan, evaluation, n: int) -> list[str]:
    # Each URL varies with `n`, so the page cache never answers the second count.
    return [
        reverse("evaluations:plan", args=[plan.pk]) + f"?on={n}",
        evaluation.get_absolute_url() + f"?on={n}",
        reverse("evaluations:history", args=[evaluation.pk]) + f"?on={n}",
        reverse("evaluations:shared") + f"?on={n}",
        reverse("evaluations:shared-detail", args=[evaluation.pk]) + f"?on={n}",
        reverse("evaluations:summary") + f"?year=2015&on={n}",
        reverse("evaluations:summary") + f"?year=2015&format=evaluations&on={n}",
        reverse("reviews:learning") + f"?q=&on={n}",
    ]


def test_the_pages_cost_the_same_with_more_data(client, national_admin, nec_hub_officer):
    small = _fill(nec_hub_officer, HUBS[:1], 2, "s")[0]
    client.force_login(national_admin)
    client.get(reverse("evaluations:shared"))  # the header's unread count is cached from here on
    evaluation = small.proposals.first().evaluations.get()
    counts = [_queries(client, url) for url in _urls(small, evaluation, 1)]
    _fill(nec_hub_officer, HUBS[1:], 30, "b")
    for _ in range(28):  # and many more priorities in the first plan
        Proposal.objects.create(
            plan=small,
            proposed_by=nec_hub_officer,
            title="More",
            problem="P",
            status=Proposal.Status.INCLUDED,
            rationale="Yes",
        )
    assert [_queries(client, url) for url in _urls(small, evaluation, 2)] == counts
    assert max(counts) <= 14, counts
