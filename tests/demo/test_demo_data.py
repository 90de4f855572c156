"""The demo people `make run` creates: one per role, idempotent, local only."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, RoleAssignment, User
from demo.people import DEMO_PASSWORD, DEMO_PEOPLE

pytestmark = pytest.mark.django_db


def test_demo_people_cover_every_role(register, settings):
    settings.DEMO_DATA_ALLOWED = True
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    call_command("load_demo_data", stdout=StringIO())
    assert User.objects.count() == len(DEMO_PEOPLE)
    roles = set(RoleAssignment.objects.active().values_list("role", flat=True))
    assert roles == set(Role.values)
    assert RoleAssignment.objects.count() == sum(len(p[3]) for p in DEMO_PEOPLE)
    lead = User.objects.get(email="sunderland.ccg@example.nhs.uk")
    assert lead.check_password(DEMO_PASSWORD)
    assert "national.admin@example.nhs.uk" in out.getvalue()


def test_demo_groups_show_two_realistic_hubs(register, settings):
    from django.utils import timezone

    from oversight.models import OversightGroup
    from oversight.services import group_coverage

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    groups = {
        g.hub.slug: g
        for g in OversightGroup.objects.select_related("hub").filter(kind="oversight_group")
    }
    assert set(groups) == {"north-east-and-cumbria", "london", "wessex", "west-midlands"}
    # Today's structure: the West Midlands group of this financial year, whose members are ICBs.
    today = timezone.localdate()
    west = groups["west-midlands"]
    assert west.start_date.year in (today.year, today.year - 1)
    places = list(west.ccgs.select_related("ccg"))
    assert {m.ccg.kind for m in places} == {"icb"}
    coverage = group_coverage(west, places, west.footprint_day)
    assert (coverage.covered_count, len(coverage.footprint)) == (4, 6)
    plan = west.plans.get()
    assert plan.proposals.get(status="submitted").ccg.ods_code == "QHL"
    assert west.members.count() == 6
    draft = west.documents.get(kind="terms_of_reference").versions.get()
    assert draft.from_template is not None  # adapted from the national draft
    # The 2015/16 story, on its own date.
    nec = groups["north-east-and-cumbria"]
    # Closed on 31 August 2018, when the NENC strategy board succeeded it (issue 16).
    assert (nec.status, nec.closed_on) == ("closed", datetime.date(2018, 8, 31))
    assert nec.footprint_day == datetime.date(2015, 4, 1)
    coverage = group_coverage(nec, list(nec.ccgs.all()), nec.footprint_day)
    assert (coverage.covered_count, len(coverage.footprint)) == (10, 11)
    assert [c.ods_code for c in coverage.not_covered] == ["00K"]
    assert nec.members.filter(end_date__isnull=True).count() == 12
    assert nec.members.filter(end_date__isnull=False).count() == 1
    from governance.selectors import agreed_versions
    from meetings.models import Meeting, Recommendation
    from meetings.quorum import quorum_for, rule_for_group

    assert set(agreed_versions([nec])[nec.pk]) == {"terms_of_reference", "collaboration_agreement"}
    held = nec.meetings.get(status=Meeting.Status.HELD)
    assert quorum_for(list(held.attendance.select_related("member")), rule_for_group(nec)).met
    statuses = sorted(Recommendation.objects.values_list("status", flat=True))
    assert statuses == ["accepted_with_changes", "awaiting"]
    assert groups["london"].meetings.count() == 1
    assert groups["london"].plans.get(year=2015).status == "submitted"
    assert groups["london"].plans.get(year=2015).versions.count() == 1
    plan = nec.plans.get(year=2015)
    assert sorted(plan.proposals.values_list("status", flat=True)) == [
        "draft",
        "included",
        "included",
        "info_requested",
    ]


def test_demo_people_each_land_on_their_home_page(client, register, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    shown = set()
    for email, name, _title, roles in DEMO_PEOPLE:
        response = client.post(
            "/accounts/login/", {"username": email, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.request["PATH_INFO"] == "/"
        html = response.content.decode()
        assert f"Welcome, {name.split()[0]}" in html
        held = RoleAssignment.objects.active().with_scope().filter(user__email=email)
        assert sorted(a.role for a in held) == sorted(role for role, _kind, _key in roles)
        for assignment in held:
            # "ICB lead" for a lead whose organisation is an ICB (issue 13), else the role's name.
            assert assignment.role_label in html
            shown.add(assignment.role_label)
        client.post("/accounts/logout/")
    assert "ICB lead" in shown  # the West Midlands ICB lead of this financial year


def test_demo_people_are_refused_outside_local_use(register, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("load_demo_data", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_reviews_show_a_cycle_in_several_states(register, settings):
    from reviews.models import PeerReview, ReviewCycle, Reviewer, ReviewReport
    from reviews.services import readiness_for

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    assert ReviewCycle.objects.count() == 2
    states = dict(PeerReview.objects.values_list("hub__slug", "status"))
    assert states == {"london": "report_issued", "wessex": "invited"}
    london = PeerReview.objects.get(hub__slug="london")
    assert ReviewReport.objects.get(review=london).overall_rating == "partially_assured"
    assert london.recommendations.count() == 2
    assert london.findings.filter(shareable=True).count() == 1
    invited = Reviewer.objects.get(review__hub__slug="wessex")
    assert (invited.user.email, invited.status) == ("yorkshire.hub@example.nhs.uk", "invited")
    nec = readiness_for(london.hub.__class__.objects.get(slug="north-east-and-cumbria"), 2015)
    assert not nec.plan_frozen


def test_demo_plans_show_assurance_either_side_of_the_review_report(register, settings):
    """London's review report is issued on its submitted plan, so London's regional team may
    assure it; Wessex's review awaits its panel, so the South's team is refused (or overrides
    with a reason). Issue 13 part 6."""
    from priorities import services as plan_services
    from priorities.assurance import assurance_basis
    from priorities.models import PrioritiesPlan

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    london = PrioritiesPlan.objects.get(group__hub__slug="london", year=2015)
    wessex = PrioritiesPlan.objects.get(group__hub__slug="wessex", year=2015)
    assert assurance_basis(london).report.number == 1
    assert assurance_basis(wessex).report is None
    with pytest.raises(plan_services.PlanError, match="first peer review report"):
        plan_services.plan_assure(
            by=User.objects.get(email="south.region@example.nhs.uk"),
            plan=wessex,
            version=wessex.version,
        )
    assured = plan_services.plan_assure(
        by=User.objects.get(email="london.region@example.nhs.uk"),
        plan=london,
        version=london.version,
    )
    assert assured.status == PrioritiesPlan.Status.ASSURED


def test_demo_delivery_log_shows_a_refused_email_to_retry(
    client, register, settings, django_capture_on_commit_callbacks
):
    """Issue 14: the demo's delivery log has a welcome email the mail server refused; the
    national admin retries it and it goes (the task and its person are real)."""
    from django.core import mail

    from commissioning.models import OutboxItem

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())  # idempotent
    yorkshire = User.objects.get(email="yorkshire.hub@example.nhs.uk")
    refused = OutboxItem.objects.get(state=OutboxItem.State.FAILED)
    assert refused.label == f"Welcome email to {yorkshire}"
    assert OutboxItem.objects.filter(state=OutboxItem.State.DONE).count() == 1
    client.force_login(User.objects.get(email="national.admin@example.nhs.uk"))
    page = client.get("/timeline/delivery/?state=stuck").content.decode()
    assert "5.1.1 Mailbox unavailable" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/timeline/delivery/{refused.pk}/retry/").status_code == 302
    refused.refresh_from_db()
    assert refused.state == OutboxItem.State.DONE
    assert [m.to for m in mail.outbox] == [[yorkshire.email]]


def test_demo_co_commissioning_tells_the_2015_16_story(register, settings, client):
    """Seed 002, "Arrangements for 2015/16" and "Implementation timetable" (issue 15): each model
    on 1 April 2015; Sunderland's delegation signed off on 16 February 2015 and live; a joint
    committee of one area team approved by the region; Northumberland's application for 1 April
    2016 under review with a question awaiting its lead. Loaded twice, made once."""
    from django.urls import reverse

    from cocommissioning.models import Application, Arrangement, Interest, Message
    from cocommissioning.selectors import arrangements_on
    from workspace.cocommissioning import co_tasks

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    counts = (Application.objects.count(), Arrangement.objects.count(), Interest.objects.count())
    call_command("load_demo_data", stdout=StringIO())
    assert counts == (
        Application.objects.count(),
        Arrangement.objects.count(),
        Interest.objects.count(),
    )
    april = datetime.date(2015, 4, 1)
    models = {
        row["ccg"].ods_code: row["arrangement"].model
        for row in arrangements_on(april)
        if row["arrangement"] is not None
    }
    assert models == {
        "00P": "delegated",
        "00C": "joint",
        "00M": "joint",
        "13T": "greater_involvement",
        "99C": "greater_involvement",
        "00N": "greater_involvement",
        "00L": "greater_involvement",
        "01H": "greater_involvement",
    }
    sunderland = Application.objects.get(lead_ccg__ods_code="00P")
    assert sunderland.status == "live"
    assert sunderland.decided_by.email == "commissioning.committee@example.nhs.uk"
    assert sunderland.decided_at.date() == datetime.date(2015, 2, 16)
    assert sunderland.submitted_at.date() == datetime.date(2014, 12, 19)  # by 5 January 2015
    assert sunderland.late_agreed_at is None
    assert sunderland.conflicts_review.outcome == "assured"
    assert sunderland.live_at.date() == april
    joint = Application.objects.get(model="joint")
    area_teams = {p.ccg.area_team.name for p in joint.parties.select_related("ccg__area_team")}
    assert area_teams == {"Durham, Darlington and Tees"}
    assert joint.decided_by.email == "north.region@example.nhs.uk"
    assert joint.submitted_at.date() <= datetime.date(2015, 1, 30)
    pending = Application.objects.get(go_live_on=datetime.date(2016, 4, 1))
    assert (pending.lead_ccg.ods_code, pending.status) == ("00L", "under_review")
    assert list(Message.objects.filter(application=pending).values_list("kind", flat=True)) == [
        "question"
    ]
    # The demo region and lead have something to do; the committee member lands on My work.
    grace = User.objects.get(email="northumberland.ccg@example.nhs.uk")
    assert [a.pk for a in co_tasks(grace).ccgs[pending.lead_ccg_id].questions] == [pending.pk]
    robert = User.objects.get(email="north.region@example.nhs.uk")
    (north,) = co_tasks(robert).regions.values()
    assert [a.pk for a in north.under_review] == [pending.pk]
    client.force_login(User.objects.get(email="commissioning.committee@example.nhs.uk"))
    page = client.get(reverse("workspace:my-work"))
    assert page.status_code == 200
    assert "Commissioning Committee member: England" in page.text


def test_demo_tells_the_seed_003_story(register, settings, client):
    """Issue 16: the NENC strategy board replaces the NEC group, membership carried forward
    where available, and the seed's gaps (the Central ICP and finance) named."""
    from hubs.models import Place
    from oversight.models import OversightGroup
    from oversight.seats import seat_check

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())  # idempotent
    board = OversightGroup.objects.get(kind="strategy_board")
    assert (board.system.short_name, board.predecessor.hub.slug, board.status) == (
        "NENC",
        "north-east-and-cumbria",
        "active",
    )
    decisions = sorted(board.carried.values_list("decision", flat=True))
    assert decisions.count("pending") == 3
    assert decisions.count("confirmed") == 6
    check = seat_check(
        board,
        list(board.members.all()),
        list(Place.objects.filter(system=board.system)),
        datetime.date(2018, 9, 1),
    )
    assert [r.gap for r in check.gaps] == [
        "No representative of Central ICP",
        "No finance representative",
    ]
    terms = board.documents.get(kind="terms_of_reference").versions.get()
    assert terms.from_template.template.kind == "board_terms_of_reference"
    from exemplars.models import Exemplar

    cardiology = Exemplar.objects.get(system=board.system)
    assert (cardiology.pathway, cardiology.status) == ("Cardiology", "recommended")
    assert cardiology.milestones.count() == 3
    from arrangements.models import Arrangement

    pool = Arrangement.objects.get(system=board.system)
    assert (pool.kind, pool.status, pool.exemplar) == ("pooled_budget", "proposed", cardiology)
    assert pool.contributions.count() == 3
    client.force_login(User.objects.get(email="nenc.ics@example.nhs.uk"))
    html = client.get("/").content.decode()
    assert board.name in html


def test_demo_idea_exchange_has_a_followed_and_an_adopted_post(register, settings):
    """Issue 17 item 5: the demo's idea exchange, loaded twice (idempotent)."""
    from ideas.models import Post

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    posts = Post.objects.all()
    # The three demo ideas, and the demo evaluation shared to the idea exchange (item 6).
    assert posts.count() == 4
    assert posts.filter(title__startswith="Evaluated: ").count() == 1
    assert any(p.comments.exists() for p in posts)
    assert posts.filter(adoptions__isnull=False).distinct().count() == 1


def test_the_demos_records_keep_their_own_dates(client, register, settings):
    """Issue 18, finding 8: the 2015 story's records said "Since 4 Dec 2026 - Confirmed at the
    March workshop" and "drafted 4 Dec 2026" beside "agreed 1 April 2015" (the day the demo
    was loaded, not the day of the record)."""
    from django.utils import timezone

    from commissioning.dates import nhs_date
    from governance.models import DocumentVersion
    from oversight.models import OversightGroup

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo_data", stdout=StringIO())
    nec = OversightGroup.objects.get(hub__slug="north-east-and-cumbria", kind="oversight_group")
    places = list(nec.ccgs.all())
    assert places
    for place in places:
        assert timezone.localtime(place.invited_at).date() == datetime.date(2015, 2, 16)
        if place.responded_at:
            assert timezone.localtime(place.responded_at).date() == datetime.date(2015, 3, 4)
    for version in DocumentVersion.objects.filter(agreed_on__isnull=False):
        drafted = timezone.localtime(version.created_at).date()
        assert drafted <= version.agreed_on, (version, drafted, version.agreed_on)
    client.force_login(User.objects.get(email="nec.hub@example.nhs.uk"))
    today = nhs_date(timezone.localdate())
    page = client.get(nec.get_absolute_url()).content.decode()
    assert "4 March 2015" in page
    assert today not in page.split('id="ccg-places"')[1].split("</table>")[0]
    documents = client.get(f"/groups/{nec.pk}/documents/").content.decode()
    assert "4 March 2015 by" in documents
    assert f"{today} by" not in documents
