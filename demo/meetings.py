"""Demo meetings, governance documents, RACI and a priorities plan for the demo groups."""

import datetime
from decimal import Decimal

from accountability.services import raci_seed_default
from accounts.models import User
from governance import services as governance
from hubs.models import CCG, ProgrammeOfCare
from meetings import services as meetings
from meetings.models import Meeting
from oversight import services
from oversight.models import OversightGroup
from priorities import services as plans

from .dating import dated


def demo_meetings_load(people: dict[str, User]) -> None:
    """Governance documents, a held meeting and recommendations for the North East and Cumbria
    group; a draft and a scheduled meeting for London."""
    staff = people["nec.hub@example.nhs.uk"]
    region = people["north.region@example.nhs.uk"]
    group = OversightGroup.objects.filter(
        hub__slug="north-east-and-cumbria", kind=OversightGroup.Kind.OVERSIGHT_GROUP
    ).first()
    if group is None or group.meetings.exists():
        return
    terms = governance.version_draft_create(
        by=staff,
        group=group,
        kind="terms_of_reference",
        change_summary="Adapted national draft",
        body=(
            "1. Purpose. The group sets local priorities for specialised services and recommends "
            "them to the NHS England North regional team, which remains accountable.\n\n"
            "2. Membership. Every CCG in the hub's footprint is invited; a CCG may be "
            "represented by another member CCG.\n\n"
            "3. Quorum. The chair or a vice chair, and at least three voting CCG members.\n\n"
            "4. Conflicts of interest. Members declare interests at the start of each item."
        ),
        quorum_chair_or_vice_required=True,
        quorum_min_ccg_members=3,
    )
    dated(terms, created_at=datetime.date(2015, 3, 4))  # drafted at the March workshop
    governance.version_agree(
        by=staff,
        version_obj=terms,
        version=terms.version,
        agreed_on=datetime.date(2015, 4, 1),
        agreed_at_meeting="Shadow meeting, 24 March 2015",
    )
    agreement = governance.version_draft_create(
        by=staff,
        group=group,
        kind="collaboration_agreement",
        body="The parties agree to work together on the priorities plan for 2015/16.",
    )
    dated(agreement, created_at=datetime.date(2015, 4, 1))
    governance.version_agree(
        by=staff,
        version_obj=agreement,
        version=agreement.version,
        agreed_on=datetime.date(2015, 4, 21),
        agreed_at_meeting="Meeting of 21 April 2015",
    )
    when = datetime.datetime(2015, 4, 21, 13, tzinfo=datetime.UTC)
    meeting = meetings.meeting_schedule(
        by=staff,
        group=group,
        title="Oversight group meeting",
        starts_at=when,
        location="Durham County Hall",
        online=True,
    )
    members = {m.full_name: m for m in group.members.all() if m.end_date is None}
    meetings.attendance_record(
        by=staff,
        meeting=meeting,
        statuses={
            m.pk: ("apologies" if name in {"Ade Bello", "Prof. Tom Bell"} else "present")
            for name, m in members.items()
        },
    )
    welcome = meetings.item_add(
        by=staff, meeting=meeting, title="Welcome and declarations", purpose="information"
    )

    services.interest_declare(
        by=staff,
        member=members["Dr Ruth Adams"],
        kind="indirect",
        organisation="Newcastle upon Tyne Hospitals",
        description="Spouse is a consultant vascular surgeon",
        valid_from=datetime.date(2015, 4, 1),
        valid_to=None,
    )
    services.interest_declare(
        by=staff,
        member=members["Prof. Tom Bell"],
        kind="professional",
        organisation="Newcastle upon Tyne Hospitals",
        description="Medical director",
        valid_from=datetime.date(2015, 4, 1),
        valid_to=None,
    )
    services.subgroup_create(
        by=staff,
        group=group,
        name="Cardiac and vascular delivery sub-group",
        focus_kind="pathway",
        focus="Cardiology and vascular surgery",
        lead=members["Dr Sanjay Mehta"],
        members=[members["Dr Sanjay Mehta"], members["Dr Ian Ward"], members["Joan Milburn"]],
        terms="Delivers the cardiac and vascular priorities of the 2015/16 plan.",
    )
    services.subgroup_create(
        by=staff,
        group=group,
        name="Tees Valley delivery sub-group",
        focus_kind="geography",
        focus="Tees Valley",
        lead=members["Dr Fiona Grey"],
        members=[members["Dr Fiona Grey"]],
        terms="Co-ordinates delivery across the Tees Valley CCGs.",
    )
    vascular = meetings.item_add(
        by=staff,
        meeting=meeting,
        title="Vascular surgery: two arterial centres",
        purpose="decision",
        summary="Paper A: options appraisal from the vascular network.",
        concerns="Newcastle upon Tyne Hospitals, South Tees Hospitals",
    )
    meetings.item_add(
        by=staff,
        meeting=meeting,
        title="Priorities plan 2015/16: emerging priorities",
        purpose="discussion",
    )
    meetings.declaration_add(
        by=staff,
        item=vascular,
        member=members["Dr Ruth Adams"],
        interest="Spouse is a consultant vascular surgeon at a candidate provider",
        managed_by="Took no part in the decision",
    )
    meetings.item_update(
        by=staff,
        item=vascular,
        version=vascular.version,
        decision="Agreed to recommend two arterial centres to the region.",
    )
    meeting = meetings.meeting_update(
        by=staff,
        meeting=meeting,
        version=meeting.version,
        status=Meeting.Status.HELD,
        minutes="Quorate. The group agreed its terms of reference and recommended two arterial "
        "centres for complex vascular surgery.",
    )
    meetings.action_add(
        by=staff,
        meeting=meeting,
        item=vascular,
        owner="Helen Carter",
        description="Draft the consultation plan for vascular services",
        due_date=datetime.date(2015, 6, 30),
    )
    meetings.action_add(
        by=staff,
        meeting=meeting,
        owner="Karen Holt",
        description="Estimate QIPP savings for the emerging priorities",
        due_date=datetime.date(2015, 5, 29),
    )
    done = meetings.recommendation_make(
        by=staff,
        meeting=meeting,
        item=vascular,
        title="Two arterial centres for vascular surgery",
        detail="Concentrate complex vascular surgery in two arterial centres.",
    )
    meetings.recommendation_respond(
        by=region,
        recommendation=done,
        version=done.version,
        status="accepted_with_changes",
        rationale="Agreed, subject to public consultation.",
    )
    meetings.recommendation_make(
        by=staff,
        meeting=meeting,
        item=welcome,
        title="Join up CAMHS tier 4 and local crisis care",
        detail="Ask the region to review CAMHS tier 4 bed commissioning with "
        "the CCGs' crisis pathways.",
    )

    raci_seed_default(by=staff, group=group)
    _demo_plan(group, staff, people)
    meetings.meeting_schedule(
        by=staff,
        group=group,
        title="Oversight group meeting",
        starts_at=datetime.datetime(2027, 1, 19, 13, tzinfo=datetime.UTC),
        location="Newcastle Civic Centre",
        online=True,
    )
    london = OversightGroup.objects.filter(hub__slug="london").first()
    if london is not None:
        london_staff = people["london.hub@example.nhs.uk"]
        draft = governance.version_draft_create(
            by=london_staff,
            group=london,
            kind="terms_of_reference",
            body="Draft terms of reference, adapted from the national draft.",
            quorum_chair_or_vice_required=True,
            quorum_min_ccg_members=5,
        )
        dated(draft, created_at=datetime.date(2015, 4, 27))

        london_plan = plans.plan_create(by=london_staff, group=london, year=2015)
        london_plan = plans.plan_update(
            by=london_staff,
            plan=london_plan,
            version=london_plan.version,
            context="London's first priorities plan, built with its 32 CCGs.",
        )
        plans.plan_submit(by=london_staff, plan=london_plan, version=london_plan.version)
        meetings.meeting_schedule(
            by=london_staff,
            group=london,
            title="First meeting",
            starts_at=datetime.datetime(2027, 2, 2, 10, tzinfo=datetime.UTC),
            location="Skipton House",
            online=True,
        )


def _demo_plan(group, staff: User, people: dict[str, User]) -> None:
    """The North East and Cumbria 2015/16 plan in draft, with proposals in several states."""
    lead = people["sunderland.ccg@example.nhs.uk"]
    plan = plans.plan_create(by=staff, group=group, year=2015)
    plan = plans.plan_update(
        by=staff,
        plan=plan,
        version=plan.version,
        context="The North East and Cumbria hub commissions specialised services for about "
        "three million people. This plan sets the group's priorities for 2015/16.",
        delivery_arrangements="Each priority is delivered by a delivery sub-group reporting "
        "to the oversight group every quarter.",
        finance="QIPP savings are estimated per priority and monitored quarterly.",
        risks="Workforce in small units; capital for reconfiguration.",
    )
    cardiac = ProgrammeOfCare.objects.get(name="Internal Medicine")
    mental = ProgrammeOfCare.objects.get(name="Mental Health")
    base = {
        "service": "",
        "issues": "",
        "population": "",
        "benefits": "",
        "risks": "",
        "suggested_subgroup": None,
    }
    vascular = plans.proposal_create(
        by=lead,
        plan=plan,
        ccg=CCG.objects.get(ods_code="00P"),
        **{
            **base,
            "title": "Two arterial centres for vascular surgery",
            "programme_of_care": cardiac,
            "problem": "Outcomes vary across seven small vascular units.",
            "benefits": "Lower mortality; 24/7 interventional radiology.",
            "qipp_savings": Decimal(250000),
            "costs": Decimal(120000),
        },
    )
    plans.proposal_submit(by=lead, proposal=vascular, version=vascular.version)
    vascular.refresh_from_db()
    plans.proposal_decide(
        by=staff,
        proposal=vascular,
        version=vascular.version,
        status="included",
        rationale="Strong evidence; recommended in April.",
    )
    transport = plans.proposal_create(
        by=lead,
        plan=plan,
        ccg=CCG.objects.get(ods_code="00P"),
        **{
            **base,
            "title": "One transport service for critically ill children",
            "programme_of_care": ProgrammeOfCare.objects.get(name="Women and Children"),
            "problem": "Three retrieval teams cover the hub, each with its own referral line.",
            "benefits": "One number to call; a team at the bedside within two hours.",
            "qipp_savings": Decimal(60000),
            "costs": Decimal(30000),
        },
    )
    plans.proposal_submit(by=lead, proposal=transport, version=transport.version)
    transport.refresh_from_db()
    plans.proposal_decide(
        by=staff,
        proposal=transport,
        version=transport.version,
        status="included",
        rationale="Agreed with the paediatric critical care network.",
    )
    camhs = plans.proposal_create(
        by=lead,
        plan=plan,
        ccg=CCG.objects.get(ods_code="00P"),
        **{
            **base,
            "title": "CAMHS tier 4 beds closer to home",
            "programme_of_care": mental,
            "problem": "Young people are admitted far from home.",
            "qipp_savings": Decimal(0),
            "costs": Decimal(80000),
        },
    )
    plans.proposal_submit(by=lead, proposal=camhs, version=camhs.version)
    camhs.refresh_from_db()
    plans.proposal_request_info(
        by=staff,
        proposal=camhs,
        version=camhs.version,
        message="Which providers could offer the beds, and when?",
    )
    plans.proposal_create(
        by=lead,
        plan=plan,
        ccg=CCG.objects.get(ods_code="00P"),
        **{
            **base,
            "title": "Renal dialysis satellite unit",
            "programme_of_care": cardiac,
            "problem": "Long journeys three times a week for dialysis.",
            "qipp_savings": Decimal(40000),
            "costs": Decimal(0),
        },
    )
