"""Shared by the unit tests of co-commissioning's rules: `refused` (the refusal and that nothing
at all was written), `audited`, and states an application is put in (issue 15)."""

import contextlib
import datetime

import pytest

from cocommissioning import services
from cocommissioning.models import (
    Application,
    ApplicationCCG,
    ApplicationWindow,
    Arrangement,
    ConflictsReview,
    Document,
    Interest,
    Message,
    Model,
)
from commissioning.models import AuditEvent
from hubs.models import CCG
from hubs.querysets import valid_on_q

from .conftest import APRIL_2015, attach

Status = Application.Status
DEC_2014 = datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC)
LATE = datetime.datetime(2015, 1, 20, 10, tzinfo=datetime.UTC)  # after 5 January 2015


def _snapshot():
    rows = [
        Application,
        ApplicationCCG,
        ApplicationWindow,
        Arrangement,
        ConflictsReview,
        Document,
        Interest,
        Message,
        AuditEvent,
    ]
    return (
        {m.__name__: m.objects.count() for m in rows},
        list(Application.objects.order_by("pk").values_list("pk", "version", "status")),
        list(Interest.objects.order_by("pk").values_list("pk", "version", "archived")),
        list(Arrangement.objects.order_by("pk").values_list("pk", "valid_to")),
        list(ApplicationCCG.objects.order_by("pk").values_list("pk", "confirmed_at")),
    )


@contextlib.contextmanager
def refused(error=services.RuleError, field: str | None = None, match: str | None = None):
    """The block is refused with `error` (on `field`) and changes nothing."""
    before = _snapshot()
    with pytest.raises(error, match=match) as caught:
        yield caught
    if field is not None:
        assert caught.value.field == field
    assert _snapshot() == before


def audited(verb: str) -> bool:
    return AuditEvent.objects.filter(verb=f"cocommissioning.{verb}").exists()


def fresh(obj):
    obj.refresh_from_db()
    return obj


def partner_ccg(ccg: CCG) -> CCG:
    """Another CCG of the same hub, open in April 2015."""
    return (
        CCG.objects.filter(valid_on_q(APRIL_2015), kind=CCG.Kind.CCG, hub=ccg.hub)
        .exclude(pk=ccg.pk)
        .order_by("name")
        .first()
    )


def joint_draft(by, lead, partner):
    application = services.application_create(
        by=by, lead_ccg=lead, model=Model.JOINT, go_live_on=APRIL_2015, partners=[partner]
    )
    for kind in (Document.Kind.CONSTITUTION, Document.Kind.TERMS, Document.Kind.DELEGATION):
        attach(by, application, kind)
    return fresh(application)


def submitted(lead, application):
    return services.application_submit(
        by=lead, application=application, version=fresh(application).version
    )


def under_review(lead, reviewer, application):
    application = submitted(lead, application)
    return services.review_start(by=reviewer, application=application, version=application.version)


def assure(reviewer, application):
    review = ConflictsReview.objects.get(application=application)
    answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
    services.conflicts_review_save(
        by=reviewer, review=review, version=review.version, outcome="assured", **answers
    )
    return fresh(application)
