"""Shared fixtures for primary care co-commissioning (issue 15, seed 002)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Document, Model
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from tests.factories import make_user

APRIL_2015 = datetime.date(2015, 4, 1)
APRIL_2016 = datetime.date(2016, 4, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def windows(register):
    """Seed 002's application windows (the migration seeds them; tests run without it)."""
    windows_seed()


@pytest.fixture
def committee_member(register):
    """Cara, a member of NHS England's Commissioning Committee."""
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


@pytest.fixture
def sunderland() -> CCG:
    return CCG.objects.get(ods_code="00P")


def attach(by, application, kind: str, name: str = "document.pdf"):
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return services.document_attach(
        by=by,
        application=application,
        kind=kind,
        upload=upload,
        content_type="application/pdf",
        stored_name=name,
    )


def delegated_draft(by, ccg, go_live_on=APRIL_2015, functions=None):
    return services.application_create(
        by=by,
        lead_ccg=ccg,
        model=Model.DELEGATED,
        go_live_on=go_live_on,
        functions=functions or ["gms_pms", "enhanced", "property", "qof"],
        summary="Full delegation of general practice services.",
    )


def ready_delegated(by, ccg, **kwargs):
    """A delegated draft with its constitution amendment and conflicts arrangements."""
    application = delegated_draft(by, ccg, **kwargs)
    attach(by, application, Document.Kind.CONSTITUTION)
    attach(by, application, Document.Kind.CONFLICTS)
    application.refresh_from_db()
    return application


def commissioning_committee_meeting(by, *, starts_at=None, members=3, held=True):
    """The Commissioning Committee with `members` voting members (the first its chair), a
    meeting at `starts_at` (default: an hour ago) with all present, held unless not `held`.
    Returns the meeting."""
    from django.utils import timezone

    from meetings import services as meetings
    from oversight import committees
    from oversight import services as oversight

    starts_at = starts_at or timezone.now() - datetime.timedelta(hours=1)
    committee = committees.commissioning_committee_ensure(
        by=by, start_date=datetime.date(2014, 10, 1)
    )
    people = list(committee.members.all())
    for n in range(len(people), members):
        people.append(
            oversight.member_add(
                by=by,
                group=committee,
                full_name=f"Committee Member {n + 1}",
                email="",
                organisation="NHS England",
                sector="nhs_england",
                ccg=None,
                role="chair" if n == 0 else "member",
                voting=True,
                start_date=datetime.date(2014, 10, 1),
                end_date=None,
            )
        )
    meeting = meetings.meeting_schedule(
        by=by,
        group=committee,
        title="Commissioning Committee",
        starts_at=starts_at,
        location="Skipton House",
        online=False,
    )
    meetings.attendance_record(by=by, meeting=meeting, statuses={m.pk: "present" for m in people})
    if held:
        meetings.meeting_update(by=by, meeting=meeting, version=meeting.version, status="held")
    meeting.refresh_from_db()
    return meeting


def sign_off_at_meeting(by, application, *, outcome="signed_off", reasons="", meeting=None):
    """Put a recommended application on a held Commissioning Committee meeting's agenda and
    record the committee's decision there (issue 15). Returns the application, refreshed."""
    from meetings.models import Meeting

    meeting = meeting or commissioning_committee_meeting(by, held=False)
    services.agenda_place(
        by=by, application=application, version=application.version, meeting=meeting
    )
    meeting.refresh_from_db()
    if meeting.status != Meeting.Status.HELD:
        from meetings import services as meetings

        meetings.meeting_update(by=by, meeting=meeting, version=meeting.version, status="held")
    application.refresh_from_db()
    services.application_decide(
        by=by,
        application=application,
        version=application.version,
        outcome=outcome,
        reasons=reasons,
    )
    application.refresh_from_db()
    return application
