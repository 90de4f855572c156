"""The load benchmark's writes (bench/writes.py, issue 20) on generated data: every kind goes
through the product's services without a refusal, and an edit made twice leaves the record as it
was, so benchmark runs do not wear the data down."""

import datetime
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from hubs.models import Hub
from meetings.models import Action
from priorities.models import DeliveryUpdate, Milestone, Proposal
from reviews.models import ReviewRecommendation
from timeline.models import Notification

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _module("generate")
writes = _module("writes")


@pytest.fixture
def writer(register):
    """One generated year in the first two hubs by name; writes all in the first."""
    gen.generate(years=1, seed=7, hubs=2, say=lambda *_: None, today=datetime.date(2026, 12, 4))
    first = Hub.objects.order_by("name").first()
    return writes.Writer(list(Hub.objects.order_by("name")), every=2, one_hub=first.slug)


def test_every_kind_of_write_is_made_through_the_services_and_none_is_refused(writer):
    updates, notifications = DeliveryUpdate.objects.count(), Notification.objects.count()

    for _ in writes.KINDS:
        writer.write("one-hub")
    for _ in writes.KINDS:
        writer.write("spread")

    assert writer.done["one-hub"] == Counter(dict.fromkeys(writes.KINDS, 1))
    assert writer.done["spread"].total() == len(writes.KINDS)
    assert not writer.refused["one-hub"]
    assert not writer.refused["spread"]
    assert DeliveryUpdate.objects.count() > updates
    assert Notification.objects.count() > notifications


def test_an_edit_made_twice_leaves_the_record_as_it_was(writer):
    work = writer.one_hub
    edited = {
        "proposal text": (Proposal, ["problem", "status"]),
        "meeting action": (Action, ["description", "owner", "status"]),
        "milestone status": (Milestone, ["status"]),
        "review recommendation": (ReviewRecommendation, ["status", "closure_note"]),
    }
    for kind, (model, fields) in edited.items():
        pk = work.records[kind][0]
        before = model.objects.values(*fields).get(pk=pk)

        writes.WRITE[kind](work, pk)
        assert model.objects.values(*fields).get(pk=pk) != before, kind
        writes.WRITE[kind](work, pk)

        assert model.objects.values(*fields).get(pk=pk) == before, kind


def test_a_proposal_edited_keeps_the_ccgs_it_affects(writer):
    work = writer.one_hub
    proposal = Proposal.objects.filter(pk__in=work.records["proposal text"]).first()
    affected = set(proposal.ccgs_affected.all())

    writes.WRITE["proposal text"](work, proposal.pk)

    assert set(proposal.ccgs_affected.all()) == affected
