"""The 2015/16 planning cycle exactly as seed 000 §4.1 sets it (issue 13, part 5): each
milestone's date, whom it concerns and what meets it; the guidance nobody is overdue for; the
March workshop met by an engagement meeting before the group started; "Done late (…)"; "4 of 11"
CCGs on the milestone's own date; a rolled-forward year with the same rules; and the calendar
page's bounded queries."""

import datetime
import html
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hubs.models import CCG, Hub
from meetings import services as meeting_services
from oversight import services as group_services
from priorities import services as plan_services
from timeline import services
from timeline.models import CalendarMilestone, EngagementMeeting, MilestoneCompletion, Satisfier
from timeline.reminders import Recipients, items_due
from timeline.status import State, deadlines_for, grid
from timeline.workdays import WorkingDays

pytestmark = pytest.mark.django_db

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
NEC = "north-east-and-cumbria"
N, H, C, R = "national admins", "hub staff", "CCG leads", "regional teams"

# The seed's table and text, read by hand (seed 000 §4.1.1 and §4.1.2): title → (from, due,
# whom it concerns, what meets it, every CCG?, the section cited).
EXPECTED = {
    "Guidance published": (
        None, D(2015, 3, 4), {N, H, C, R}, Satisfier.NATIONAL_DONE, False, "§4.1.1"
    ),
    "Oversight group in each hub": (
        None, D(2015, 4, 1), {H}, Satisfier.GROUP_STARTED, False, "§4.1.1"
    ),
    "Hub workshop with its CCGs": (
        D(2015, 3, 1), D(2015, 3, 31), {H, C}, Satisfier.ENGAGEMENT_HELD, False, "§4.1.1"
    ),
    "Co-design of governance and priorities": (
        D(2015, 3, 1), D(2015, 4, 30), {H, C}, Satisfier.PROPOSAL_SUBMITTED, True, "§4.1.1"
    ),
    "Proposals for the collaborative arrangements developed": (
        D(2015, 4, 1), D(2015, 4, 30), {C, R}, Satisfier.GOVERNANCE_DRAFTED, False, "§4.1.1"
    ),
    "Draft governance proposal and priorities plan": (
        D(2015, 4, 27), D(2015, 5, 8), {H}, Satisfier.PLAN_SUBMITTED, False, "§4.1.1"
    ),
    "First peer review invited": (
        None, D(2015, 5, 31), {R}, Satisfier.FIRST_REVIEW_INVITED, False, "§4.1.1"
    ),
    "Input into national commissioning intentions": (
        D(2015, 9, 1), D(2015, 9, 30), {H, C}, Satisfier.MANUAL, False, "§4.1.2"
    ),
    "Next year's plan under way": (
        D(2015, 10, 1), D(2015, 10, 31), {H}, Satisfier.NEXT_PLAN_STARTED, False, "§4.1.2"
    ),
    "Second peer review": (
        D(2015, 12, 1), D(2016, 3, 31), {R}, Satisfier.SECOND_REVIEW_INVITED, False, "§4.1.2"
    ),
    "Planning and contracting for next year": (
        D(2016, 1, 1), D(2016, 3, 31), {H, C}, Satisfier.MANUAL, False, "§4.1.2"
    ),
}  # fmt: skip


def _audience(m: CalendarMilestone) -> set[str]:
    flags = (
        (m.for_national_admins, N),
        (m.for_hub_staff, H),
        (m.for_ccg_leads, C),
        (m.for_regional_teams, R),
    )
    return {label for flag, label in flags if flag}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def calendar(national_admin) -> dict[str, CalendarMilestone]:
    """The 2015/16 calendar the migrations left (seeded again after a flush)."""
    if not CalendarMilestone.objects.filter(year=2015).exists():
        services.calendar_seed(by=national_admin, year=2015)
    return {m.title: m for m in CalendarMilestone.objects.filter(year=2015, archived=False)}


@pytest.fixture
def nec(register) -> Hub:
    return Hub.objects.get(slug=NEC)


def _cell(hub: Hub, title: str, today: datetime.date, year: int = 2015):
    _, cells = grid([hub], year, today)
    return next(c for c in cells[hub.pk] if c.milestone.title == title)


def _group(officer, hub: Hub, start: datetime.date):
    return group_services.group_create(
        by=officer, hub=hub, name="NEC Oversight Group", kind="oversight_group", start_date=start
    )


# --- each milestone: its date, whom it concerns and what meets it ---------------------------


@pytest.mark.parametrize("title", list(EXPECTED))
def test_each_milestone_has_the_seeds_date_audience_and_satisfier(calendar, title):
    starts, due, audience, satisfier, every_ccg, section = EXPECTED[title]
    m = calendar[title]
    assert (m.starts_on, m.due_on) == (starts, due)
    assert _audience(m) == audience
    assert (m.satisfied_by, m.every_ccg) == (satisfier, every_ccg)
    assert m.section.startswith(f"Seed 000 {section}")


def test_the_calendar_is_the_seeds_eleven_and_the_invented_deadline_is_archived(calendar):
    assert set(calendar) == set(EXPECTED)
    # The first seed's "ready for the first peer review by 15 May" is not in the guidance
    # ("once the hub is ready and by end of May"): migration 0004 archived it, kept its history.
    archived = CalendarMilestone.objects.filter(year=2015, archived=True)
    assert list(archived.values_list("title", flat=True)) == ["Ready for the first peer review"]


def test_the_calendar_page_cites_each_milestones_section(client, calendar, nec_hub_officer):
    client.force_login(nec_hub_officer)
    body = _text(client.get(reverse("timeline:calendar", args=[2015])))
    for m in calendar.values():
        assert f'id="milestone-{m.pk}"' in body
        assert m.section in body
    assert "4 March 2015" in body
    assert "1 March 2015 to 30 April 2015" in body
    assert "by every CCG of the hub on 30 April 2015" in body


# --- the guidance: national admins', nobody overdue ------------------------------------------


def test_nobody_is_overdue_for_the_guidance(client, calendar, nec, nec_hub_officer, national_admin):
    guidance = calendar["Guidance published"]
    today = D(2015, 6, 15)
    cell = _cell(nec, "Guidance published", today)
    assert (cell.state, cell.label) == (State.AWAITED, "Not marked done yet")
    with time_machine.travel(_at(today), tick=False):
        assert guidance not in [d.milestone for d in deadlines_for(nec_hub_officer, today)]
        wd = WorkingDays(today - datetime.timedelta(days=150), today + datetime.timedelta(days=90))
        items = items_due(today, wd, Recipients(today))
    assert not [i for i in items if i.key.startswith(f"milestone:{guidance.pk}:")]

    with pytest.raises(services.TimelineError, match="National admins mark this milestone"):
        services.milestone_complete(by=nec_hub_officer, milestone=guidance, hub=nec)
    with pytest.raises(services.TimelineError, match="National admins mark this milestone"):
        services.milestone_complete_nationally(by=nec_hub_officer, milestone=guidance)

    with time_machine.travel(_at(D(2015, 3, 4)), tick=False):
        client.force_login(national_admin)
        url = reverse("timeline:milestone-complete-nationally", args=[guidance.pk])
        response = client.post(url, follow=True)
        again = client.post(url, follow=True)
    assert "“Guidance published” is marked done for every hub." in _text(response)
    assert f'id="national-{guidance.pk}">Done<' in _text(response)
    done = MilestoneCompletion.objects.get()
    assert (done.hub, done.completed_by) == (None, national_admin)
    # Done for every hub, on its date.
    _, cells = grid(list(Hub.objects.all()), 2015, today)
    states = {c.label for row in cells.values() for c in row if c.milestone == guidance}
    assert states == {"Done"}
    assert "This milestone is already marked done." in _text(again)


# --- the March workshop: an engagement meeting, before the group started ---------------------


def test_the_workshop_is_met_by_an_engagement_meeting_before_the_group_started(
    client, calendar, nec, nec_hub_officer
):
    group = _group(nec_hub_officer, nec, D(2015, 4, 1))
    # A group meeting cannot be before the group started (meetings.services) ...
    with pytest.raises(meeting_services.MeetingError, match="before the group started"):
        meeting_services.meeting_schedule(
            by=nec_hub_officer,
            group=group,
            title="Workshop",
            starts_at=_at(D(2015, 3, 18)),
            location="Durham",
            online=False,
        )
    # ... so hub staff record the workshop with the hub's CCGs as an engagement meeting.
    with time_machine.travel(_at(D(2015, 3, 20)), tick=False):
        client.force_login(nec_hub_officer)
        response = client.post(
            reverse("timeline:engagement-record", args=[NEC]),
            {"title": "Workshop with the hub's CCGs", "held_on": "2015-03-18", "note": ""},
            follow=True,
        )
        body = _text(response)
    assert "Meeting with North East and Cumbria's CCGs recorded." in body
    assert "18 March 2015: Workshop with the hub's CCGs" in body
    meeting = EngagementMeeting.objects.get()
    assert (meeting.hub, meeting.held_on, meeting.recorded_by) == (
        nec,
        D(2015, 3, 18),
        nec_hub_officer,
    )
    assert meeting.held_on < group.start_date
    workshop = calendar["Hub workshop with its CCGs"]
    assert f'id="state-{workshop.pk}">Done<' in body
    cell = _cell(nec, workshop.title, D(2015, 6, 15))
    assert (cell.state, cell.label, cell.met_on) == (State.DONE, "Done", D(2015, 3, 18))


def test_only_the_hubs_staff_record_its_meetings_and_not_in_the_future(
    calendar, nec, nec_hub_officer, sunderland_lead
):
    with time_machine.travel(_at(D(2015, 3, 20)), tick=False):
        with pytest.raises(services.TimelineError, match="The hub's staff record"):
            services.engagement_meeting_record(
                by=sunderland_lead, hub=nec, held_on=D(2015, 3, 18), title="Workshop"
            )
        with pytest.raises(services.TimelineError, match="once it has been held") as refused:
            services.engagement_meeting_record(
                by=nec_hub_officer, hub=nec, held_on=D(2015, 3, 27), title="Workshop"
            )
    assert refused.value.field == "held_on"
    assert not EngagementMeeting.objects.exists()


# --- done late --------------------------------------------------------------------------------


def test_a_milestone_met_after_its_date_shows_done_late(client, calendar, nec, nec_hub_officer):
    workshop = calendar["Hub workshop with its CCGs"]
    with time_machine.travel(_at(D(2015, 6, 4)), tick=False):
        services.engagement_meeting_record(
            by=nec_hub_officer, hub=nec, held_on=D(2015, 6, 3), title="Workshop, at last"
        )
        client.force_login(nec_hub_officer)
        body = _text(client.get(reverse("timeline:hub", args=[NEC]) + "?year=2015"))
    assert f'id="state-{workshop.pk}">Done late (3 June 2015)<' in body
    # The group started on 15 April, after 1 April: late too, by the group's own start.
    _group(nec_hub_officer, nec, D(2015, 4, 15))
    cell = _cell(nec, "Oversight group in each hub", D(2015, 6, 15))
    assert (cell.state, cell.label) == (State.DONE, "Done late (15 April 2015)")


def test_a_group_started_by_its_date_meets_the_milestone_on_time(calendar, nec, nec_hub_officer):
    assert _cell(nec, "Oversight group in each hub", D(2015, 6, 15)).state == State.OVERDUE
    _group(nec_hub_officer, nec, D(2015, 4, 1))
    cell = _cell(nec, "Oversight group in each hub", D(2015, 6, 15))
    assert (cell.state, cell.label, cell.met_on) == (State.DONE, "Done", D(2015, 4, 1))


# --- every CCG of the footprint on the milestone's date: "4 of 11" ---------------------------


def _propose(plan, ccg, by):
    proposal = plan_services.proposal_create(
        by=by, plan=plan, ccg=ccg, title=f"{ccg.name} priority", problem="Long waits."
    )
    return plan_services.proposal_submit(by=by, proposal=proposal, version=proposal.version)


def test_co_design_counts_the_footprint_ccgs_and_is_done_only_when_all_have(
    client, calendar, nec, nec_hub_officer
):
    co_design = calendar["Co-design of governance and priorities"]
    footprint = list(CCG.objects.valid_on(D(2015, 4, 30)).filter(hub=nec).order_by("name"))
    # The footprint on 30 April 2015, not today's: NHS Gateshead CCG, closed on 31 March 2015
    # (it became NHS Newcastle Gateshead CCG), is not in it.
    assert "NHS Gateshead CCG" not in [c.name for c in footprint]
    assert "NHS Newcastle Gateshead CCG" in [c.name for c in footprint]
    total = len(footprint)
    assert total > 4
    with time_machine.travel(_at(D(2015, 4, 20)), tick=False):
        plan = plan_services.plan_create(
            by=nec_hub_officer, group=_group(nec_hub_officer, nec, D(2015, 4, 1)), year=2015
        )
        for ccg in footprint[:4]:
            _propose(plan, ccg, nec_hub_officer)
    cell = _cell(nec, co_design.title, D(2015, 4, 21))
    assert (cell.state, cell.progress, cell.met, cell.total) == (
        State.DUE,
        f"4 of {total}",
        4,
        total,
    )
    assert _cell(nec, co_design.title, D(2015, 5, 1)).label == "Overdue"
    client.force_login(nec_hub_officer)
    with time_machine.travel(_at(D(2015, 4, 21)), tick=False):
        body = _text(client.get(reverse("timeline:hub", args=[NEC]) + "?year=2015"))
    assert f'id="progress-{co_design.pk}">4 of {total} CCGs<' in body
    # All but one: still not done.
    with time_machine.travel(_at(D(2015, 4, 28)), tick=False):
        for ccg in footprint[4:-1]:
            _propose(plan, ccg, nec_hub_officer)
    cell = _cell(nec, co_design.title, D(2015, 5, 1))
    assert (cell.state, cell.progress) == (State.OVERDUE, f"{total - 1} of {total}")
    # The last, on 5 May: done, late, on the day the last CCG took part.
    with time_machine.travel(_at(D(2015, 5, 5)), tick=False):
        _propose(plan, footprint[-1], nec_hub_officer)
    cell = _cell(nec, co_design.title, D(2015, 5, 6))
    assert (cell.state, cell.label, cell.progress) == (
        State.DONE,
        "Done late (5 May 2015)",
        f"{total} of {total}",
    )


# --- a rolled-forward year keeps the rules --------------------------------------------------


def test_a_rolled_forward_year_keeps_the_rules(calendar, nec, nec_hub_officer, national_admin):
    services.calendar_roll_forward(by=national_admin, year=2015)
    rolled = {m.title: m for m in CalendarMilestone.objects.filter(year=2016)}
    assert set(rolled) == set(EXPECTED)
    for title, (starts, due, audience, satisfier, every_ccg, section) in EXPECTED.items():
        m = rolled[title]
        assert m.starts_on == (starts.replace(year=starts.year + 1) if starts else None)
        assert m.due_on == due.replace(year=due.year + 1)
        assert _audience(m) == audience
        assert (m.satisfied_by, m.every_ccg) == (satisfier, every_ccg)
        assert m.section.startswith(f"Seed 000 {section}")
    # The guidance of 2016 is nobody's to be overdue for either.
    assert _cell(nec, "Guidance published", D(2016, 6, 15), 2016).state == State.AWAITED
    # Co-design counts the footprint on 30 April 2016, the rolled milestone's own date.
    footprint = CCG.objects.valid_on(D(2016, 4, 30)).filter(hub=nec).count()
    assert _cell(nec, "Co-design of governance and priorities", D(2016, 4, 1), 2016).progress == (
        f"0 of {footprint}"
    )
    # And a workshop held late in the 2016 cycle reads late, with its date.
    with time_machine.travel(_at(D(2016, 4, 8)), tick=False):
        services.engagement_meeting_record(
            by=nec_hub_officer, hub=nec, held_on=D(2016, 4, 7), title="Workshop"
        )
    assert _cell(nec, "Hub workshop with its CCGs", D(2016, 6, 1), 2016).label == (
        "Done late (7 April 2016)"
    )


# --- the calendar page's queries ---------------------------------------------------------------


def test_the_calendar_page_runs_the_same_bounded_queries_for_more_milestones(
    client, calendar, national_admin, django_assert_max_num_queries
):
    client.force_login(national_admin)
    url = reverse("timeline:calendar", args=[2015])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    count()  # the first request of a session reads more (the session, the person's scopes)
    small = count()
    for n in range(6):
        services.milestone_add(
            by=national_admin,
            year=2015,
            title=f"Extra {n}",
            section="Seed 000 §4.1.2",
            due_on=D(2015, 7, 1 + n),
            for_hub_staff=True,
        )
    services.milestone_complete_nationally(
        by=national_admin, milestone=calendar["Guidance published"]
    )
    assert count() == small
    with django_assert_max_num_queries(12):
        client.get(url)


def test_a_closed_ccg_has_no_deadlines_after_it_closed(calendar, national_admin, sunderland_lead):
    """Every date in its own time: NHS Sunderland CCG closed on 30 June 2022, so the CCG leads'
    milestones of 2026/27 are not its deadlines; its 2015/16 ones were."""
    year = 2015
    while year < 2026:
        services.calendar_roll_forward(by=national_admin, year=year)
        year += 1
    september_2015 = calendar["Input into national commissioning intentions"]
    in_2015 = deadlines_for(sunderland_lead, D(2015, 9, 1))
    assert september_2015 in [d.milestone for d in in_2015]
    in_2026 = deadlines_for(sunderland_lead, D(2026, 9, 1))
    assert in_2026 == []


def test_a_refused_engagement_meeting_shows_the_error_beside_its_field(
    client, calendar, nec_hub_officer
):
    client.force_login(nec_hub_officer)
    url = reverse("timeline:engagement-record", args=[NEC])
    with time_machine.travel(_at(D(2015, 3, 20)), tick=False):
        future = client.post(url, {"title": "Workshop", "held_on": "2015-03-27"})
        missing = client.post(url, {"title": "Workshop", "held_on": ""})
    assert future.status_code == missing.status_code == 400
    assert 'id="engagement-held-on-error"' in _text(future)
    assert "Record a meeting once it has been held." in _text(future)
    assert 'value="27 March 2015"' in _text(future)
    assert "Enter the date it was held" in _text(missing)
    assert not EngagementMeeting.objects.exists()
