"""Demo peer reviews for local use: the 2015/16 cycles with reviews in several states.

- London: ready → invited → panel (Helen Carter of North East and Cumbria leads, Will Turner of
  Wessex reviews) → both reviews in → report issued, awaiting London's response.
- Wessex: a small group with a submitted plan, ready, review invited by the South regional
  team; Yasmin Akhtar (Yorkshire and Humber) is invited to lead and has not answered yet.
- North East and Cumbria: not ready (its plan is still a draft), so its checklist shows why.
Made through the services, so history and audit read as they would in life.
"""

import datetime

from accounts.models import User
from governance import services as documents
from hubs.models import Hub
from oversight import services as groups
from oversight.models import GroupMember, OversightGroup
from priorities import services as plans

from . import services
from .models import PeerReview, ReviewCycle, Reviewer


def _cycles(admin: User) -> ReviewCycle:
    first = ReviewCycle.objects.filter(year=2015, kind=ReviewCycle.Kind.FIRST).first()
    if first is None:
        first = services.cycle_create(
            by=admin,
            year=2015,
            kind=ReviewCycle.Kind.FIRST,
            opens_on=datetime.date(2015, 4, 1),
            closes_on=datetime.date(2015, 5, 31),
            purpose="Assurance of each hub's priorities plan and governance arrangements, at "
            "the hub's point of readiness (target: end of May).",
        )
    if not ReviewCycle.objects.filter(year=2015, kind=ReviewCycle.Kind.SECOND).exists():
        services.cycle_create(
            by=admin,
            year=2015,
            kind=ReviewCycle.Kind.SECOND,
            opens_on=datetime.date(2015, 12, 1),
            closes_on=datetime.date(2016, 3, 31),
            purpose="Improvements made, how the collaborative functions, further areas for "
            "improvement, and learning to share with other hubs.",
        )
    return first


def _accept(place: Reviewer) -> Reviewer:
    return services.reviewer_respond(
        by=place.user, reviewer=place, version=place.version, accept=True
    )


def _rate(place: Reviewer, ratings: list[tuple[str, str]]) -> None:
    assessment = services.assessment_for(place)
    lines = list(place.review.cycle.lines.all())
    services.assessment_save(
        by=place.user,
        reviewer=place,
        version=assessment.version,
        ratings={
            line.pk: {"rating": rating, "evidence": evidence, "comments": ""}
            for line, (rating, evidence) in zip(lines, ratings, strict=False)
        },
        submit=True,
    )


def _london(cycle: ReviewCycle, people: dict[str, User]) -> None:
    hub = Hub.objects.get(slug="london")
    staff, region = people["london.hub@example.nhs.uk"], people["london.region@example.nhs.uk"]
    review = services.review_declare_ready(
        by=staff,
        cycle=cycle,
        hub=hub,
        note="Our terms of reference go to the group for agreement in June; most CCGs are "
        "still deciding whether to join or be represented, and we are recruiting members from "
        "Public Health England and patient groups.",
    )
    review = services.review_invite(by=region, review=review, version=review.version)
    lead = services.panel_invite(
        by=region, review=review, user=people["nec.hub@example.nhs.uk"], role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=region,
        review=review,
        user=people["wessex.hub@example.nhs.uk"],
        role=Reviewer.Role.REVIEWER,
    )
    _accept(lead)
    _accept(member)
    review.refresh_from_db()
    review = services.review_start(by=region, review=review, version=review.version)
    lead.refresh_from_db()
    member.refresh_from_db()
    _rate(
        lead,
        [
            ("partially_assured", "Priorities are evidenced, but equity analysis is thin."),
            ("not_assured", "Terms of reference are still a draft."),
            ("not_assured", "Only 4 of 32 CCGs have a voice so far."),
            ("assured", "NHS England, PHE and patient representatives sit on the group."),
            ("partially_assured", "QIPP targets are set; milestones are not yet."),
        ],
    )
    _rate(
        member,
        [
            ("assured", "A clear plan built with the CCGs at the March workshop."),
            ("partially_assured", "Draft terms; quorum rule agreed informally."),
            ("partially_assured", "Most CCGs engaged; some still deciding."),
            ("assured", "Wide membership including the voluntary sector."),
            ("partially_assured", "Sub-groups not yet formed."),
        ],
    )
    lead_user = lead.user
    review.refresh_from_db()
    review = services.review_consolidate(
        by=lead_user,
        review=review,
        version=review.version,
        overall_rating="partially_assured",
        summary="London has built a credible first plan with its CCGs. Its governance is not "
        "yet agreed and most CCGs have no voice yet; both should be settled before the "
        "second review.",
    )
    services.finding_add(
        by=lead_user,
        review=review,
        kind="finding",
        title="Terms of reference not yet agreed",
        detail="The group works to draft terms; decisions taken so far rest on an informal quorum.",
        theme="governance",
        programme_of_care=None,
        shareable=False,
    )
    services.finding_add(
        by=lead_user,
        review=review,
        kind="good_practice",
        title="A March workshop with every CCG shaped the priorities",
        detail="All 32 CCGs were invited to a workshop that reviewed access, quality and equity "
        "data before any priority was proposed; other hubs could run the same format.",
        theme="engagement",
        programme_of_care=None,
        shareable=True,
    )
    services.recommendation_add(
        by=lead_user,
        review=review,
        title="Agree the terms of reference and collaboration agreement",
        detail="Adapt the national drafts and agree both at the June meeting.",
        owner="London hub director",
        due_date=datetime.date(2015, 6, 30),
    )
    services.recommendation_add(
        by=lead_user,
        review=review,
        title="Secure a voice for every CCG",
        detail="Agree membership or representation with every CCG still deciding.",
        owner="London hub commissioning manager",
        due_date=datetime.date(2015, 9, 30),
    )
    review.refresh_from_db()
    services.report_issue(by=lead_user, review=review, version=review.version)


def _wessex(cycle: ReviewCycle, people: dict[str, User]) -> None:
    hub = Hub.objects.get(slug="wessex")
    staff, region = people["wessex.hub@example.nhs.uk"], people["south.region@example.nhs.uk"]
    group = OversightGroup.objects.filter(hub=hub, kind=OversightGroup.Kind.OVERSIGHT_GROUP).first()
    if group is None:
        group = groups.group_create(
            by=staff,
            hub=hub,
            name="Wessex Collaborative Commissioning Oversight Group",
            kind=OversightGroup.Kind.OVERSIGHT_GROUP,
            start_date=datetime.date(2015, 4, 1),
        )
    for kind in ("terms_of_reference", "collaboration_agreement"):
        draft = documents.version_draft_create(
            by=staff, group=group, kind=kind, body="Adapted from the national draft."
        )
        # Drafted before it was agreed, not on the day the demo loads (issue 18, finding 8).
        type(draft).objects.filter(pk=draft.pk).update(
            created_at=datetime.datetime(2015, 3, 31, 9, tzinfo=datetime.UTC)
        )
        documents.version_agree(
            by=staff,
            version_obj=draft,
            version=draft.version,
            agreed_on=datetime.date(2015, 4, 14),
            agreed_at_meeting="Inaugural meeting, 14 April 2015",
        )
    for name, organisation, sector, role in [
        ("Will Turner", "NHS England Wessex", GroupMember.Sector.NHS_ENGLAND, "chair"),
        (
            "Dr Priya Nair",
            "Public Health England",
            GroupMember.Sector.PUBLIC_HEALTH_ENGLAND,
            "member",
        ),
        ("Jo Bright", "Healthwatch Hampshire", GroupMember.Sector.PATIENT_PUBLIC, "member"),
    ]:
        groups.member_add(
            by=staff,
            group=group,
            full_name=name,
            email="",
            organisation=organisation,
            sector=sector,
            ccg=None,
            role=role,
            voting=True,
            start_date=datetime.date(2015, 4, 1),
            end_date=None,
        )
    plan = plans.plan_create(by=staff, group=group, year=2015)
    plan = plans.plan_update(
        by=staff,
        plan=plan,
        version=plan.version,
        context="Wessex's 2015/16 priorities: vascular networks and neonatal critical care.",
    )
    plans.plan_submit(by=staff, plan=plan, version=plan.version)
    review = services.review_declare_ready(
        by=staff,
        cycle=cycle,
        hub=hub,
        note="CCG invitations go out in May; the plan and governance are otherwise in place.",
    )
    review = services.review_invite(by=region, review=review, version=review.version)
    services.panel_invite(
        by=region,
        review=review,
        user=people["yorkshire.hub@example.nhs.uk"],
        role=Reviewer.Role.LEAD,
    )


def demo_reviews_load(people: dict[str, User]) -> None:
    """Idempotent: does nothing once any peer review exists."""
    if PeerReview.objects.exists():
        return
    cycle = _cycles(people["national.admin@example.nhs.uk"])
    if OversightGroup.objects.filter(hub__slug="london").exists():
        _london(cycle, people)
    _wessex(cycle, people)
