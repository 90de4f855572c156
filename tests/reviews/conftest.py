"""Peer review fixtures: a 2015/16 first cycle, the North East and Cumbria hub ready for review
(group, agreed documents, a submitted plan), and reviewers from other hubs."""

import datetime

import pytest

from accounts.models import Role
from commissioning.models import AuditEvent
from governance import services as document_services
from hubs.models import CCG, Hub
from oversight import services as group_services
from oversight.models import GroupMember
from priorities import services as plan_services
from reviews import services
from reviews.models import PeerReview, ReviewCycle, Reviewer
from tests.conftest import make_user

NEC = "north-east-and-cumbria"


@pytest.fixture
def cycle(national_admin) -> ReviewCycle:
    """The first peer review of 2015/16 (window April to May 2015)."""
    return services.cycle_create(
        by=national_admin,
        year=2015,
        kind=ReviewCycle.Kind.FIRST,
        opens_on=datetime.date(2015, 4, 1),
        closes_on=datetime.date(2015, 5, 31),
    )


def agree_document(group, by, kind: str) -> None:
    draft = document_services.version_draft_create(
        by=by, group=group, kind=kind, body="Agreed text"
    )
    document_services.version_agree(
        by=by,
        version_obj=draft,
        version=draft.version,
        agreed_on=datetime.date(2015, 4, 2),
        agreed_at_meeting="April meeting",
    )


@pytest.fixture
def nec_group(nec_hub_officer):
    """NEC's active group with both documents agreed, Sunderland invited, and a member from
    another hub's staff (Connor, below) so that he is conflicted."""
    group = group_services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug=NEC),
        name="NEC collaborative commissioning oversight group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    agree_document(group, nec_hub_officer, "terms_of_reference")
    agree_document(group, nec_hub_officer, "collaboration_agreement")
    group_services.member_add(
        by=nec_hub_officer,
        group=group,
        full_name="Connor Quinn",
        email="connor@example.nhs.uk",
        organisation="NHS England",
        sector=GroupMember.Sector.NHS_ENGLAND,
        ccg=None,
        role=GroupMember.Role.MEMBER,
        voting=True,
        start_date=datetime.date(2015, 4, 1),
        end_date=None,
    )
    return group


@pytest.fixture
def submitted_plan(nec_group, nec_hub_officer):
    plan = plan_services.plan_create(by=nec_hub_officer, group=nec_group, year=2015)
    plan = plan_services.plan_update(
        by=nec_hub_officer, plan=plan, version=plan.version, context="Our 2015/16 context"
    )
    return plan_services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)


@pytest.fixture
def ready_review(cycle, submitted_plan, nec_hub_officer) -> PeerReview:
    """NEC has declared readiness (with a note: not every CCG is covered yet)."""
    return services.review_declare_ready(
        by=nec_hub_officer,
        cycle=cycle,
        hub=Hub.objects.get(slug=NEC),
        note="Ten CCGs are still to answer their invitations.",
    )


@pytest.fixture
def invited_review(ready_review, north_reviewer) -> PeerReview:
    return services.review_invite(
        by=north_reviewer, review=ready_review, version=ready_review.version
    )


@pytest.fixture
def yorkshire_officer(register):
    """Yasmin, hub staff for Yorkshire and Humber: a reviewer from another hub (same region)."""
    return make_user(
        "yasmin@example.nhs.uk",
        "Yasmin Akhtar",
        (Role.HUB_STAFF, Hub.objects.get(slug="yorkshire-and-humber")),
    )


@pytest.fixture
def wessex_officer(register):
    """Will, hub staff for Wessex (South): a reviewer from another region."""
    return make_user(
        "will@example.nhs.uk", "Will Turner", (Role.HUB_STAFF, Hub.objects.get(slug="wessex"))
    )


@pytest.fixture
def conflicted_officer(register):
    """Connor, hub staff for the North West but a member of NEC's group: never offered."""
    return make_user(
        "connor@example.nhs.uk",
        "Connor Quinn",
        (Role.HUB_STAFF, Hub.objects.get(slug="north-west")),
    )


def accept(place: Reviewer, by) -> Reviewer:
    return services.reviewer_respond(by=by, reviewer=place, version=place.version, accept=True)


@pytest.fixture
def review_in_progress(invited_review, north_reviewer, wessex_officer, yorkshire_officer):
    """The panel is Will (lead, Wessex) and Yasmin (Yorkshire and Humber); both accepted, and
    the review has started."""
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=north_reviewer,
        review=invited_review,
        user=yorkshire_officer,
        role=Reviewer.Role.REVIEWER,
    )
    accept(lead, wessex_officer)
    accept(member, yorkshire_officer)
    review = PeerReview.objects.get(pk=invited_review.pk)
    return services.review_start(by=north_reviewer, review=review, version=review.version)


def rate_all(review: PeerReview, place: Reviewer, *, submit: bool = True, rating="assured"):
    assessment = services.assessment_for(place)
    ratings = {
        line.pk: {"rating": rating, "evidence": f"Evidence on {line.title}", "comments": ""}
        for line in review.cycle.lines.all()
    }
    return services.assessment_save(
        by=place.user,
        reviewer=place,
        version=assessment.version,
        ratings=ratings,
        submit=submit,
    )


@pytest.fixture
def issued_review(review_in_progress, wessex_officer, yorkshire_officer):
    """Both reviewers submitted; Will issued the report with one finding (shareable good
    practice) and one recommendation."""
    review = review_in_progress
    for place in review.panel.filter(status=Reviewer.Status.ACCEPTED):
        rate_all(review, place)
    review.refresh_from_db()
    review = services.review_consolidate(
        by=wessex_officer,
        review=review,
        version=review.version,
        overall_rating="partially_assured",
        summary="A well-run group with gaps in CCG coverage.",
    )
    services.finding_add(
        by=wessex_officer,
        review=review,
        kind="good_practice",
        title="Patient panel co-chairs the group",
        detail="The patient and public voice members co-chair every meeting.",
        theme="patients",
        programme_of_care=None,
        shareable=True,
    )
    services.recommendation_add(
        by=wessex_officer,
        review=review,
        title="Secure representation for every CCG",
        detail="Ten CCGs have no voice yet.",
        owner="Hub director",
        due_date=datetime.date(2015, 9, 30),
    )
    review.refresh_from_db()
    services.report_issue(by=wessex_officer, review=review, version=review.version)
    review.refresh_from_db()
    return review


# --- shared by the service tests ---------------------------------------------------------


def nec() -> Hub:
    return Hub.objects.get(slug=NEC)


def verbs() -> list[str]:
    """The peer review audit trail, oldest first."""
    return list(
        AuditEvent.objects.filter(verb__regex=r"^(peer_review|review_cycle)\.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def member_fields(**overrides) -> dict:
    return {
        "full_name": "Pat Jones",
        "email": "",
        "organisation": "Healthwatch",
        "sector": GroupMember.Sector.PATIENT_PUBLIC,
        "ccg": None,
        "role": GroupMember.Role.MEMBER,
        "voting": True,
        "start_date": datetime.date(2015, 4, 1),
        "end_date": None,
        **overrides,
    }


def place_of(review: PeerReview, user) -> Reviewer:
    return review.panel.get(user=user, status__in=Reviewer.ACTIVE)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def start_correction(review: PeerReview, by) -> PeerReview:
    """The lead reopens an issued report's findings and recommendations for a correction."""
    review.refresh_from_db()
    services.correction_start(by=by, review=review, version=review.version)
    review.refresh_from_db()
    return review


@pytest.fixture
def zoe_wessex(register):
    """Zoe, a second hub officer for Wessex (South): Will's colleague."""
    return make_user(
        "zoe@example.nhs.uk", "Zoe Ward", (Role.HUB_STAFF, Hub.objects.get(slug="wessex"))
    )


@pytest.fixture
def south_west_officer(register):
    """Sue, hub staff for the South West: another hub, but in Will's region (South)."""
    return make_user(
        "sue@example.nhs.uk", "Sue Brown", (Role.HUB_STAFF, Hub.objects.get(slug="south-west"))
    )


@pytest.fixture
def interested_officer(register, national_admin):
    """Ian, hub staff for the East Midlands, on that hub's group, with a current entry in its
    register of interests naming NHS Sunderland CCG (in NEC's footprint)."""
    ian = make_user(
        "ian@example.nhs.uk", "Ian Moss", (Role.HUB_STAFF, Hub.objects.get(slug="east-midlands"))
    )
    group = group_services.group_create(
        by=national_admin,
        hub=Hub.objects.get(slug="east-midlands"),
        name="East Midlands group",
        kind="oversight_group",
        start_date=datetime.date(2015, 4, 1),
    )
    member = group_services.member_add(
        by=national_admin,
        group=group,
        **member_fields(
            full_name="Ian Moss",
            email="Ian@Example.NHS.uk",
            organisation="NHS England",
            sector=GroupMember.Sector.NHS_ENGLAND,
        ),
    )
    group_services.interest_declare(
        by=national_admin,
        member=member,
        kind="professional",
        organisation="NHS Sunderland CCG",
        description="Governing body adviser",
        valid_from=datetime.date(2015, 1, 1),
        valid_to=None,
    )
    past = group_services.member_add(
        by=national_admin,
        group=group,
        **member_fields(
            full_name="Yasmin Akhtar", email="yasmin@example.nhs.uk", organisation="NHS England"
        ),
    )
    group_services.interest_declare(
        by=national_admin,
        member=past,
        kind="financial",
        organisation="NHS Sunderland CCG",
        description="Contract ended in 2014",
        valid_from=datetime.date(2013, 4, 1),
        valid_to=datetime.date(2014, 3, 31),
    )
    return ian


@pytest.fixture
def panel(invited_review, north_reviewer, wessex_officer, yorkshire_officer):
    """Will invited as lead and Yasmin as reviewer; neither has answered."""
    lead = services.panel_invite(
        by=north_reviewer, review=invited_review, user=wessex_officer, role=Reviewer.Role.LEAD
    )
    member = services.panel_invite(
        by=north_reviewer, review=invited_review, user=yorkshire_officer, role="reviewer"
    )
    return lead, member


def ratings_for(review: PeerReview, **overrides) -> dict:
    return {
        line.pk: {"rating": "assured", "evidence": f"Evidence on {line.title}", "comments": ""}
        | overrides
        for line in review.cycle.lines.all()
    }
