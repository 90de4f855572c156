"""Shared by co-commissioning's API tests: addresses, the people of the permission ladder and
the states an application is put in through the services (issue 15)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Application, ConflictsReview, Document, Interest, Model
from hubs.models import CCG, Region
from hubs.querysets import valid_on_q
from tests.factories import make_user

from .conftest import APRIL_2015, PDF, attach, commissioning_committee_meeting, ready_delegated

APPS = "/api/v1/co-applications/"
REVIEWS = "/api/v1/co-conflicts-reviews/"
ARRANGEMENTS = "/api/v1/co-arrangements/"
WINDOWS = "/api/v1/co-windows/"
INTERESTS = "/api/v1/co-interests/"
PERSONAS = [
    "anonymous",
    "roleless",
    "other_lead",
    "lead",
    "partner_lead",
    "north",
    "london",
    "committee",
    "national",
]


@pytest.fixture(autouse=True)
def _december_2014():
    """Before the deadlines of seed 002's first windows (5 and 30 January 2015)."""
    with time_machine.travel(datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _open_ccgs(sunderland):
    return (
        CCG.objects.filter(valid_on_q(APRIL_2015), kind=CCG.Kind.CCG, hub=sunderland.hub)
        .exclude(pk=sunderland.pk)
        .order_by("name")
    )


@pytest.fixture(name="people")
def people_fixture(
    windows, sunderland, sunderland_lead, north_reviewer, committee_member, national_admin
):
    partner, other = _open_ccgs(sunderland)[:2]
    return {
        "anonymous": None,
        "roleless": make_user("una@example.nhs.uk", "Una Novak"),
        "other_lead": make_user("olu@example.nhs.uk", "Olu Other", (Role.CCG_LEAD, other)),
        "lead": sunderland_lead,
        "partner_lead": make_user("pat@example.nhs.uk", "Pat Partner", (Role.CCG_LEAD, partner)),
        "north": north_reviewer,
        "london": make_user(
            "lena@example.nhs.uk",
            "Lena London",
            (Role.REGIONAL_TEAM, Region.objects.get(slug="london")),
        ),
        "committee": committee_member,
        "national": national_admin,
        "partner": partner,
        "ccg": sunderland,
    }


def as_(api_client, user):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- states ---------------------------------------------------------------------------------


def joint_draft(p, confirmed=False) -> Application:
    application = services.application_create(
        by=p["lead"],
        lead_ccg=p["ccg"],
        model=Model.JOINT,
        go_live_on=APRIL_2015,
        partners=[p["partner"]],
    )
    for kind in (Document.Kind.CONSTITUTION, Document.Kind.TERMS, Document.Kind.DELEGATION):
        attach(p["lead"], application, kind)
    if confirmed:
        services.party_confirm(by=p["partner_lead"], application=application, ccg=p["partner"])
    return fresh(application)


def joint_submitted(p) -> Application:
    application = joint_draft(p, confirmed=True)
    return services.application_submit(
        by=p["lead"], application=application, version=application.version
    )


def joint_under_review(p) -> Application:
    application = joint_submitted(p)
    return services.review_start(
        by=p["north"], application=application, version=application.version
    )


def delegated_under_review(p, assured=False) -> Application:
    application = ready_delegated(p["lead"], p["ccg"])
    application = services.application_submit(
        by=p["lead"], application=application, version=application.version
    )
    application = services.review_start(
        by=p["north"], application=application, version=application.version
    )
    if assured:
        review = ConflictsReview.objects.get(application=application)
        answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
        services.conflicts_review_save(
            by=p["north"], review=review, version=review.version, outcome="assured", **answers
        )
    return fresh(application)


def delegated_recommended(p) -> Application:
    application = delegated_under_review(p, assured=True)
    return services.application_recommend(
        by=p["north"], application=application, version=application.version
    )


def committee_meeting(p, held: bool = False):
    """A Commissioning Committee meeting an hour ago, its three members present."""
    return commissioning_committee_meeting(p["committee"], held=held)


def delegated_on_agenda(p) -> Application:
    """Recommended, on a Commissioning Committee meeting's agenda; the meeting held."""
    from meetings import services as meetings

    application = delegated_recommended(p)
    meeting = committee_meeting(p)
    services.agenda_place(
        by=p["committee"], application=application, version=application.version, meeting=meeting
    )
    meetings.meeting_update(by=p["committee"], meeting=meeting, version=1, status="held")
    application.refresh_from_db()
    return application


def interest(p) -> Interest:
    return services.interest_declare(
        by=p["lead"],
        ccg=p["ccg"],
        person="Dr A Patel",
        position="GP member",
        kind="financial",
        description="Partner at a practice.",
        valid_from=datetime.date(2014, 4, 1),
    )


def _v(app):
    return {"version": app.version}


def _upload():
    return {"kind": "terms", "file": SimpleUploadedFile("terms.pdf", PDF, "application/pdf")}
