"""Shared by the tests of the Commissioning Committee's decisions (issue 15, "What to build" 5):
a recommended application placed on a meeting's agenda, a member excluded for an interest, the
meeting held, the decision, and `unchanged` (the refusal, and that nothing was written)."""

import contextlib

from cocommissioning import services
from cocommissioning.models import AgendaEntry, Application
from meetings import services as meetings
from meetings.models import AgendaItem, Meeting
from oversight.models import GroupMember

from .api_states import delegated_recommended
from .conftest import commissioning_committee_meeting
from .rules import fresh, refused

Outcome = AgendaEntry.Outcome


def recommended(p) -> Application:
    """Sunderland's delegated application, recommended by the North (in December 2014)."""
    return delegated_recommended(p)


def entry_of(application) -> AgendaEntry:
    return AgendaEntry.objects.select_related("item__meeting").get(
        application=application, outcome=Outcome.PENDING
    )


def placed(p, application, *, members=3):
    """On the agenda of a Commissioning Committee meeting of `members` (all present) held an
    hour ago but not yet marked held. Returns the meeting."""
    meeting = commissioning_committee_meeting(p["committee"], members=members, held=False)
    services.agenda_place(
        by=p["committee"], application=application, version=application.version, meeting=meeting
    )
    return meeting


def member_named(name) -> GroupMember:
    return GroupMember.objects.get(full_name=name, committee__isnull=False)


def exclude(p, application, name="Committee Member 2", interest="Partner at a Sunderland GP"):
    entry = entry_of(application)
    return meetings.declaration_add(
        by=p["committee"],
        item=entry.item,
        member=member_named(name),
        interest=interest,
        managed_by="Left the room for the item",
        excluded=True,
    )


def hold(p, meeting) -> Meeting:
    meeting = fresh(meeting)
    return meetings.meeting_update(
        by=p["committee"], meeting=meeting, version=meeting.version, status="held"
    )


def decide(p, application, outcome="signed_off", reasons="", version=None):
    return services.application_decide(
        by=p["committee"],
        application=application,
        version=fresh(application).version if version is None else version,
        outcome=outcome,
        reasons=reasons,
    )


def _agenda_state():
    return (
        list(AgendaEntry.objects.order_by("pk").values_list("pk", "version", "outcome")),
        list(AgendaItem.objects.order_by("pk").values_list("pk", "version", "decision")),
    )


@contextlib.contextmanager
def unchanged(error=services.RuleError, field=None, match=None):
    """Refused with `error` (beside `field`): no application, agenda entry or item changed."""
    before = _agenda_state()
    with refused(error, field=field, match=match) as caught:
        yield caught
    assert _agenda_state() == before
