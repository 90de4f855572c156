"""Co-commissioning's application windows on the planning timeline and in reminders (issue 15,
"What to build" 3; seed 002, "Implementation timetable" and "Arrangements for 2015/16")."""

from collections import Counter

import pytest
import time_machine

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Application, ConflictsReview
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from tests.cocommissioning.conftest import (
    APRIL_2016,
    delegated_draft,
    ready_delegated,
    sign_off_at_meeting,
)
from tests.factories import make_user
from tests.timeline.sweeps import D, at
from timeline.models import ReminderClaim
from timeline.status import State, deadlines_for

pytestmark = pytest.mark.django_db
DAVID, ROBERT, CARA = "david@example.nhs.uk", "robert@example.nhs.uk", "cara@example.nhs.uk"
FOR_2015, UPCOMING = "for 1 April 2015", State.UPCOMING
PROPOSALS_2016 = "Delegated proposals due (for 1 April 2016)"


@pytest.fixture
def windows(register):
    windows_seed()


@pytest.fixture
def committee_member(register):
    return make_user(CARA, "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


def titles(deadlines) -> list[tuple[str, str, str]]:
    return [(d.milestone.title, d.concerns, d.state) for d in deadlines]


def assured(application, by) -> Application:
    review = ConflictsReview.objects.get(application=application)
    answers = {name: "met" for name, _ in ConflictsReview.CHECKS}
    services.conflicts_review_save(
        by=by, review=review, version=review.version, **answers, outcome="assured"
    )
    application.refresh_from_db()
    return application


def recommended_sunderland(lead, region) -> Application:
    """Sunderland's delegated application for 1 April 2015, submitted in December 2014 and
    recommended by the North's team."""
    sunderland = CCG.objects.get(ods_code="00P")
    with time_machine.travel(at(D(2014, 12, 15)), tick=False):
        application = ready_delegated(lead, sunderland)
        application = services.application_submit(
            by=lead, application=application, version=application.version
        )
        application = services.review_start(
            by=region, application=application, version=application.version
        )
        application = assured(application, region)
        return services.application_recommend(
            by=region, application=application, version=application.version
        )


def test_a_windows_dates_are_deadlines_for_the_people_they_concern(
    calendar, windows, sunderland_lead, north_reviewer, committee_member, national_admin
):
    sunderland = CCG.objects.get(ods_code="00P")
    # May 2015: every CCG lead sees the 2016/17 delegated window's deadline, in 2015/16.
    in_may = titles(deadlines_for(sunderland_lead, D(2015, 5, 10)))
    assert in_may == [(PROPOSALS_2016, "NHS Sunderland CCG", State.DUE)]
    assert titles(deadlines_for(sunderland_lead, D(2015, 4, 20)))[0][2] == State.UPCOMING
    assert deadlines_for(committee_member, D(2015, 5, 1)) == []
    assert deadlines_for(national_admin, D(2015, 5, 1)) == []
    # Past the date with nothing drafted: nobody must apply, so it is not overdue.
    assert deadlines_for(sunderland_lead, D(2015, 6, 2)) == []
    # A draft past the date is overdue, and links to the application.
    with time_machine.travel(at(D(2015, 5, 1)), tick=False):
        draft = delegated_draft(sunderland_lead, sunderland, go_live_on=APRIL_2016)
    (late,) = deadlines_for(sunderland_lead, D(2015, 6, 2))
    assert (late.milestone.title, late.state) == (PROPOSALS_2016, State.OVERDUE)
    assert late.link in (draft.get_absolute_url() if _urls() else "/co-commissioning/",)


def _urls() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("cocommissioning:application-detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def test_the_region_and_the_committee_see_review_sign_off_and_go_live(
    calendar, windows, sunderland_lead, north_reviewer, committee_member
):
    recommended_sunderland(sunderland_lead, north_reviewer)
    february = D(2015, 2, 1)
    assert titles(deadlines_for(committee_member, february)) == [
        (
            "Commissioning Committee sign-off of delegated proposals (for 1 April 2015)",
            "England",
            State.DUE,
        )
    ]
    # The region has recommended it: its delegated review is done; go-live awaits. Joint
    # proposals for 1 April 2015 may still come to it, approved before go-live.
    assert titles(deadlines_for(north_reviewer, february)) == [
        (f"Review and approve joint commissioning proposals ({FOR_2015})", "North", UPCOMING),
        (f"Delegated commissioning goes live ({FOR_2015})", "North", UPCOMING),
    ]
    # The committee's sign-off is overdue while it is not signed off.
    assert titles(deadlines_for(committee_member, D(2015, 2, 17)))[0][2] == State.OVERDUE


def test_a_draft_is_reminded_before_submit_by_exactly_once_each_time(
    calendar, windows, walk, sweep, sunderland_lead, north_reviewer
):
    """Sunderland drafts for 1 April 2016 and misses 1 June 2015; the region agrees to a late
    application and it is submitted on 16 June: no reminder after that, none twice."""
    sunderland = CCG.objects.get(ods_code="00P")
    with time_machine.travel(at(D(2015, 4, 20)), tick=False):
        draft = ready_delegated(sunderland_lead, sunderland, go_live_on=APRIL_2016)

    def submit():
        application = Application.objects.get(pk=draft.pk)
        application = services.late_agree(
            by=north_reviewer,
            application=application,
            version=application.version,
            reason="Governing body met on 10 June.",
        )
        services.application_submit(
            by=sunderland_lead, application=application, version=application.version
        )

    sent = walk(D(2015, 5, 1), D(2015, 7, 10), events={D(2015, 6, 16): submit})
    title = "Submit your co-commissioning proposal (NHS Sunderland CCG, delegated"
    about = sorted((to, s.split(":")[0], day) for to, s, day in sent if title in s)
    assert about == [
        (DAVID, "Due 1 June 2015", D(2015, 5, 15)),  # 10 working days before (25 May: holiday)
        (DAVID, "Due 1 June 2015", D(2015, 5, 27)),  # 3 working days before
        (DAVID, "Due today, 1 June 2015", D(2015, 6, 1)),
        (DAVID, "Overdue since 1 June 2015", D(2015, 6, 8)),
        (DAVID, "Overdue since 1 June 2015", D(2015, 6, 15)),
        (ROBERT, "Escalation, overdue since 1 June 2015", D(2015, 6, 15)),
    ]
    # Sweeping again the same days claims nothing new: once per (rule, item, person, day).
    before = ReminderClaim.objects.count()
    for day in (D(2015, 5, 15), D(2015, 6, 1), D(2015, 6, 15)):
        sweep(at(day, 15))
    assert ReminderClaim.objects.count() == before
    keys = Counter(
        ReminderClaim.objects.values_list("rule_id", "item_key", "recipient_id", "occurrence")
    )
    assert set(keys.values()) == {1}


def test_committee_members_are_reminded_of_recommended_applications_before_sign_off(
    calendar, windows, walk, sunderland_lead, north_reviewer, committee_member
):
    application = recommended_sunderland(sunderland_lead, north_reviewer)

    def sign_off():
        current = Application.objects.get(pk=application.pk)
        sign_off_at_meeting(committee_member, current)

    sent = walk(D(2015, 1, 26), D(2015, 3, 6), events={D(2015, 2, 16): sign_off})
    about = sorted(
        (to, subject.split(":")[0], day)
        for to, subject, day in sent
        if "Commissioning Committee sign-off (NHS Sunderland CCG" in subject
    )
    assert about == [
        (CARA, "Due 16 February 2015", D(2015, 2, 2)),
        (CARA, "Due 16 February 2015", D(2015, 2, 11)),
        (CARA, "Due today, 16 February 2015", D(2015, 2, 16)),
    ]


def test_the_calendar_feed_carries_a_windows_dates(
    calendar, windows, sunderland_lead, north_reviewer, committee_member
):
    from icalendar import Calendar

    from timeline.calendar_feed import build_calendar

    def summaries(user) -> list[str]:
        feed = Calendar.from_ical(build_calendar(user))
        return [str(event["SUMMARY"]) for event in feed.walk("VEVENT")]

    recommended_sunderland(sunderland_lead, north_reviewer)
    with time_machine.travel(at(D(2015, 2, 1)), tick=False):
        assert summaries(committee_member) == [
            f"Commissioning Committee sign-off of delegated proposals ({FOR_2015}) (England)"
        ]
        assert f"Delegated commissioning goes live ({FOR_2015}) (North)" in summaries(
            north_reviewer
        )
