"""Helpers for the idea exchange's tests (issue 17, "What to build" 5): an idea shared by
Sunderland's CCG lead, London's plan with a priority that can adopt it, and a snapshot of
everything a refused change must leave as it was."""

import pytest
from django.core import mail

from commissioning.models import AuditEvent, OutboxItem
from hubs.models import ProgrammeOfCare
from ideas import services
from ideas.models import Adoption, Comment, ContactRequest, Follow, Post
from priorities import services as plans
from tests.factories import make_group

LONDON = "london"


def audited(verb: str):
    return AuditEvent.objects.filter(verb=f"ideas.{verb}")


def fresh(obj):
    obj.refresh_from_db()
    return obj


def snapshot() -> tuple:
    """Everything a refused change must leave as it was."""
    return (
        sorted(
            Post.objects.values_list(
                "pk", "title", "problem", "tried", "results", "themes", "version", "hidden_at"
            ),
            key=str,
        ),
        sorted(Post.programmes.through.objects.values_list("post_id", "programmeofcare_id")),
        sorted(Comment.objects.values_list("pk", "body", "version", "hidden_at"), key=str),
        sorted(Follow.objects.values_list("pk", "ended_at"), key=str),
        ContactRequest.objects.count(),
        Adoption.objects.count(),
        OutboxItem.objects.count(),
        AuditEvent.objects.filter(verb__startswith="ideas.").count(),
    )


def share(by, title: str = "One-stop renal clinic", **fields) -> Post:
    values = {
        "organisation": "",
        "problem": "Patients travel twice for dialysis assessment.",
        "tried": "A joint clinic with the transplant team.",
        "results": "Half the journeys; no extra cost.",
        "contacts": "renal.lead@example.nhs.uk",
        "programmes": [ProgrammeOfCare.objects.get(name="Internal Medicine")],
        "themes": ["pathway", "experience"],
    }
    values.update(fields)
    return services.post_create(by=by, title=title, **values)


@pytest.fixture
def post(sunderland_lead) -> Post:
    """An idea shared by David, Sunderland CCG's lead (NEC hub, North region)."""
    post = share(sunderland_lead)
    mail.outbox.clear()
    return post


@pytest.fixture
def london_priority(london_hub_officer):
    """A priority of London's 2015/16 plan (a proposal of London's oversight group's plan)."""
    group = make_group(by=london_hub_officer, hub=LONDON, name="London Group")
    plan = plans.plan_create(by=london_hub_officer, group=group, year=2015)
    return plans.proposal_create(
        by=london_hub_officer,
        plan=plan,
        ccg=None,
        title="Renal one-stop clinics across London",
        problem="Two journeys for one assessment.",
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block's after-commit work (the outbox publishes; Celery is
    eager), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
