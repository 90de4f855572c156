"""Demo primary care co-commissioning: the 2015/16 story of seed 002 in the North East, through
the services (so every step is audited), idempotent.

Seed 002, "Arrangements for 2015/16": CCGs chose a model from 1 April 2015. Here:
- greater involvement (no approval, "Model 1") for Newcastle Gateshead, North Tyneside, South
  Tyneside, Northumberland and Cumbria from 1 April 2015;
- a joint committee ("Model 2") of Darlington and South Tees, two CCGs of one area team
  (Durham, Darlington and Tees), submitted by 30 January 2015, approved by the North's team,
  live on 1 April 2015, its joint committee meeting on 21 April 2015;
- Sunderland's full delegation ("Model 3"): submitted by 5 January 2015, its conflicts of
  interest arrangements assured by the region, signed off by the Commissioning Committee at its
  meeting of 16 February 2015 ("Implementation timetable"), its GP adviser excluded for a
  declared interest, live on 1 April 2015;
- Northumberland's delegated application for 1 April 2016 (due 1 June 2015), under the North's
  review with a question awaiting Grace's answer;
- a few entries in Sunderland's and Darlington's registers of interests.

Time. The services stamp their own moments with timezone.now() and refuse a first submission
after the window's date unless the region has recorded its agreement. The demo is loaded long
after 2015, so for each submission it records the region's agreement (audited, its reason
saying the demo was loaded after the dates), submits, and then writes the story's moments over
the load's: submitted, confirmed, decided, live and the checklist's completion, the messages'
and interests' dates, and clears the agreement (the story's submissions were in time). The
audit log keeps the moments of loading. No clock is faked.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from cocommissioning import services
from cocommissioning.models import (
    Application,
    ApplicationCCG,
    ConflictsReview,
    Document,
    Function,
    Message,
    Model,
)
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from meetings import services as meetings
from oversight import committees
from oversight import services as oversight
from oversight.models import Committee

LONDON = ZoneInfo("Europe/London")
APRIL_2015, APRIL_2016 = datetime.date(2015, 4, 1), datetime.date(2016, 4, 1)
GREATER_INVOLVEMENT = ["13T", "99C", "00N", "00L", "01H"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOADED_LATE = (
    "Demo data, loaded after the 2015/16 dates: the story's submission was in time; the "
    "submission date is written afterwards."
)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _attach(by, application, kind: str, name: str) -> None:
    services.document_attach(
        by=by,
        application=application,
        kind=kind,
        upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        content_type="application/pdf",
        stored_name=name,
    )


def _fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def _submit_in_story(*, lead, region, application: Application, on: datetime.date):
    """Submit through the services (with the region's agreement the late load needs), then
    write the story's submission moment and clear the agreement."""
    application = services.late_agree(
        by=region, application=application, version=application.version, reason=LOADED_LATE
    )
    application = services.application_submit(
        by=lead, application=application, version=application.version
    )
    Application.objects.filter(pk=application.pk).update(
        submitted_at=at(on), late_agreed_at=None, late_agreed_by=None, late_reason=""
    )
    ApplicationCCG.objects.filter(application=application).update(confirmed_at=at(on, 9))
    return _fresh(application)


def demo_cocommissioning_load(by_email: dict) -> None:
    windows_seed()
    if Application.objects.filter(lead_ccg__ods_code="00P", go_live_on=APRIL_2015).exists():
        return  # loaded already
    ccgs = {
        c.ods_code: c
        for c in CCG.objects.filter(ods_code__in=[*GREATER_INVOLVEMENT, "00P", "00C", "00M"])
    }
    region = by_email["north.region@example.nhs.uk"]
    committee = by_email["commissioning.committee@example.nhs.uk"]
    for code in GREATER_INVOLVEMENT:
        services.greater_involvement_record(by=region, ccg=ccgs[code], valid_from=APRIL_2015)
    _sunderland(by_email["sunderland.ccg@example.nhs.uk"], region, committee, ccgs["00P"])
    _joint(region, ccgs["00C"], ccgs["00M"])
    services.applications_go_live(day=APRIL_2015)
    Application.objects.filter(go_live_on=APRIL_2015, status=Application.Status.LIVE).update(
        live_at=at(APRIL_2015, 6)
    )
    _northumberland(by_email["northumberland.ccg@example.nhs.uk"], region, ccgs["00L"])
    _interests(by_email["sunderland.ccg@example.nhs.uk"], ccgs)


def _sunderland(lead, region, committee, sunderland: CCG) -> None:
    application = services.application_create(
        by=lead,
        lead_ccg=sunderland,
        model=Model.DELEGATED,
        go_live_on=APRIL_2015,
        functions=list(Function.values),
        summary=(
            "Full delegation of general practice commissioning: GMS and PMS contracts, enhanced "
            "services, premises costs and QOF, through a primary care commissioning committee."
        ),
    )
    _attach(lead, application, Document.Kind.CONSTITUTION, "sunderland-constitution-2014.pdf")
    _attach(lead, application, Document.Kind.CONFLICTS, "sunderland-conflicts-of-interest.pdf")
    application = _submit_in_story(
        lead=lead, region=region, application=_fresh(application), on=datetime.date(2014, 12, 19)
    )
    application = services.review_start(
        by=region, application=application, version=application.version
    )
    review = ConflictsReview.objects.get(application=application)
    evidence = {
        "register": "Published on the CCG's website and updated quarterly.",
        "declarations": "A standing first item of every committee meeting.",
        "exclusions": "GP members leave the room for decisions on their own practices.",
        "gp_contracts": "Lay chair and lay majority on the primary care committee.",
    }
    services.conflicts_review_save(
        by=region,
        review=review,
        version=review.version,
        **dict.fromkeys(evidence, ConflictsReview.Answer.MET),
        **{f"{name}_evidence": text for name, text in evidence.items()},
        outcome=ConflictsReview.Outcome.ASSURED,
        outcome_note="Robust arrangements; the committee's terms of reference are clear.",
    )
    ConflictsReview.objects.filter(pk=review.pk).update(completed_at=at(datetime.date(2015, 1, 23)))
    application = services.application_recommend(
        by=region,
        application=_fresh(application),
        version=_fresh(application).version,
        note="Assured on conflicts of interest; recommended for full delegation.",
    )
    _sign_off_at_the_committee(committee, application)  # decided at its meeting's moment


def _joint(region, darlington: CCG, south_tees: CCG) -> None:
    """Entered by the loader (no demo person leads these CCGs): no one is named as drafting."""
    application = services.application_create(
        by=None,
        lead_ccg=darlington,
        model=Model.JOINT,
        go_live_on=APRIL_2015,
        partners=[south_tees],
        summary="A joint committee with the area team for Darlington and South Tees.",
    )
    _attach(None, application, Document.Kind.CONSTITUTION, "darlington-constitution.pdf")
    _attach(None, application, Document.Kind.TERMS, "joint-committee-terms-of-reference.pdf")
    _attach(None, application, Document.Kind.DELEGATION, "scheme-of-delegation.pdf")
    services.party_confirm(by=None, application=application, ccg=south_tees)
    application = _submit_in_story(
        lead=None, region=region, application=_fresh(application), on=datetime.date(2015, 1, 28)
    )
    application = services.review_start(
        by=region, application=application, version=application.version
    )
    application = services.application_approve(
        by=region,
        application=application,
        version=application.version,
        note="Meets the governance framework's model terms of reference.",
    )
    Application.objects.filter(pk=application.pk).update(decided_at=at(datetime.date(2015, 3, 10)))
    _joint_committee(region, darlington, south_tees)


def _members(by, body, people) -> list:
    return [
        oversight.member_add(
            by=by,
            group=body,
            full_name=name,
            email="",
            organisation=organisation,
            sector=sector,
            ccg=ccg,
            role=role,
            voting=True,
            start_date=body.start_date,
            end_date=None,
        )
        for name, organisation, sector, ccg, role in people
    ]


def _sign_off_at_the_committee(by, application: Application) -> None:
    """Seed 002, "Implementation timetable": the Commissioning Committee signs off on 16
    February 2015, at a meeting, with its GP adviser (a Sunderland partner) excluded."""
    body = committees.commissioning_committee_ensure(by=by, start_date=datetime.date(2014, 10, 1))
    chair, medical, finance, adviser = _members(
        by,
        body,
        [
            ("Dame Helen Ward", "NHS England (non-executive)", "nhs_england", None, "chair"),
            ("Dr Tom Adeyemi", "NHS England", "nhs_england", None, "vice_chair"),
            ("Jo Pearce", "NHS England", "nhs_england", None, "finance_lead"),
            ("Dr Priya Shah", "NHS England (GP adviser)", "nhs_england", None, "member"),
        ],
    )
    meeting = meetings.meeting_schedule(
        by=by,
        group=body,
        title="Commissioning Committee: delegated commissioning for 2015/16",
        starts_at=at(datetime.date(2015, 2, 16), 10),
        location="Skipton House, London",
        online=False,
    )
    entry = services.agenda_place(
        by=by, application=application, version=application.version, meeting=meeting
    )
    meetings.attendance_record(
        by=by,
        meeting=meeting,
        statuses={m.pk: "present" for m in (chair, medical, finance, adviser)},
    )
    meetings.declaration_add(
        by=by,
        item=entry.item,
        member=adviser,
        interest="GP partner in a practice holding a GMS contract in Sunderland",
        managed_by="Left the room for the item",
        excluded=True,
    )
    meeting.refresh_from_db()
    meetings.meeting_update(
        by=by,
        meeting=meeting,
        version=meeting.version,
        status="held",
        minutes="The committee considered the regions' recommended proposals for delegation.",
    )
    application.refresh_from_db()
    services.application_decide(
        by=by,
        application=application,
        version=application.version,
        outcome="signed_off",
        reasons="Full delegation from 1 April 2015, as recommended by the North.",
    )


def _joint_committee(region, darlington: CCG, south_tees: CCG) -> None:
    """The joint committee the North's approval set up (seed 002, "Model 2"): its members and
    its first meeting, in the story's dates."""
    body = Committee.objects.filter(kind=Committee.Kind.JOINT_COMMITTEE, ccgs=darlington).first()
    Committee.objects.filter(pk=body.pk).update(start_date=datetime.date(2015, 3, 10))
    body.refresh_from_db()
    _members(
        region,
        body,
        [
            (
                "Alan Brooks",
                "NHS England, Durham, Darlington and Tees",
                "nhs_england",
                None,
                "chair",
            ),
            ("Dr Maya Linton", darlington.name, "ccg", darlington, "member"),
            ("Dr Sam Okoro", south_tees.name, "ccg", south_tees, "member"),
        ],
    )
    meeting = meetings.meeting_schedule(
        by=region,
        group=body,
        title="Primary care joint committee",
        starts_at=at(datetime.date(2015, 4, 21), 14),
        location="Middlesbrough",
        online=True,
    )
    item = meetings.item_add(
        by=region,
        meeting=meeting,
        title="Extended opening hours: enhanced service for 2015/16",
        purpose="decision",
        summary="Commissioning the extended hours enhanced service across both CCGs.",
    )
    meetings.attendance_record(
        by=region, meeting=meeting, statuses={m.pk: "present" for m in body.members.all()}
    )
    meetings.item_update(
        by=region, item=item, version=item.version, decision="Agreed for both CCGs from July."
    )
    meetings.meeting_update(by=region, meeting=meeting, version=meeting.version, status="held")


def _northumberland(lead, region, northumberland: CCG) -> None:
    application = services.application_create(
        by=lead,
        lead_ccg=northumberland,
        model=Model.DELEGATED,
        go_live_on=APRIL_2016,
        functions=[Function.GMS_PMS, Function.ENHANCED, Function.PROPERTY],
        summary="Delegation of GP contracts, enhanced services and premises from April 2016.",
    )
    _attach(lead, application, Document.Kind.CONSTITUTION, "northumberland-constitution.pdf")
    _attach(lead, application, Document.Kind.CONFLICTS, "northumberland-conflicts.pdf")
    application = _submit_in_story(
        lead=lead, region=region, application=_fresh(application), on=datetime.date(2015, 5, 29)
    )
    application = services.review_start(
        by=region, application=application, version=application.version
    )
    question = services.message_add(
        by=region,
        application=application,
        kind=Message.Kind.QUESTION,
        text=(
            "How will GP members of the governing body be kept out of decisions on their own "
            "practices' contracts once the primary care committee meets?"
        ),
    )
    Message.objects.filter(pk=question.pk).update(at=at(datetime.date(2015, 6, 15)))


def _interests(lead, ccgs: dict) -> None:
    entries = [
        (
            ccgs["00P"],
            "Dr Ian Pattison",
            "GP member, governing body",
            "financial",
            "Partner in a practice holding a GMS contract in Sunderland.",
            "Excluded from decisions on GMS contracts of his practice.",
        ),
        (
            ccgs["00P"],
            "Margaret Hall",
            "Lay member for patient and public involvement",
            "personal",
            "Trustee of a local carers' charity.",
            "Declared; no decision has concerned the charity.",
        ),
        (
            ccgs["00C"],
            "Dr Aisha Khan",
            "Clinical chair",
            "professional",
            "Member of the local medical committee.",
            "Declared at each joint committee meeting.",
        ),
    ]
    for ccg, person, position, kind, description, managed_by in entries:
        services.interest_declare(
            by=lead if ccg.ods_code == "00P" else None,
            ccg=ccg,
            person=person,
            position=position,
            kind=kind,
            description=description,
            managed_by=managed_by,
            valid_from=datetime.date(2015, 4, 1),
        )
