"""Emails on co-commissioning applications (issue 15, seed 002 "Sign-off and approvals": open,
transparent, "no surprises"): who hears of each change, owed through the outbox in the
change's transaction and delivered after its commit (Celery runs eagerly here), with a link to
the application; nothing for a rolled-back change, a stale item, or a person no longer there."""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from cocommissioning import emails, services, tasks
from cocommissioning.models import Application, Message
from commissioning import outbox
from commissioning.emails import render_email
from commissioning.models import OutboxItem
from hubs.models import CCG, Region
from tests.email_text import NAME, assert_verbatim
from tests.factories import make_user

from .conftest import APRIL_2015, ready_delegated, sign_off_at_meeting
from .rules import DEC_2014, LATE, assure, fresh, joint_draft, partner_ccg

pytestmark = pytest.mark.django_db
Status = Application.Status
TASK = "cocommissioning.tasks.application_email_send"

ROBERT = "robert@example.nhs.uk"  # north_reviewer
NORA = "nora@example.nhs.uk"  # a second member of the North regional team
DAVID = "david@example.nhs.uk"  # sunderland_lead
CARA = "cara@example.nhs.uk"  # committee_member


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block's after-commit work as a real commit would: the outbox
    publishes what the change owes and a worker (eager) delivers it."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def people(north_reviewer, sunderland_lead, committee_member, sunderland):
    """The North's team (Robert and Nora), Sunderland's lead (David), the committee (Cara), and
    people who must hear nothing: the London team, and North team members, Sunderland leads and
    a committee member who have left (assignment ended) or whose account is switched off."""
    north, london = Region.objects.get(slug="north"), Region.objects.get(slug="london")
    make_user(NORA, "Nora Byrne", (Role.REGIONAL_TEAM, north))
    make_user("lara@example.nhs.uk", "Lara Quinn", (Role.REGIONAL_TEAM, london))
    gone = [
        make_user("left.north@example.nhs.uk", "Len Hart", (Role.REGIONAL_TEAM, north)),
        make_user("left.ccg@example.nhs.uk", "Lily Hart", (Role.CCG_LEAD, sunderland)),
        make_user(
            "left.committee@example.nhs.uk", "Luke Hart", (Role.COMMISSIONING_COMMITTEE, None)
        ),
    ]
    RoleAssignment.objects.filter(user__in=gone).update(ended_at=timezone.now())
    make_user("off.north@example.nhs.uk", "Owen Hart", (Role.REGIONAL_TEAM, north))
    make_user("off.ccg@example.nhs.uk", "Olga Hart", (Role.CCG_LEAD, sunderland))
    make_user("off.committee@example.nhs.uk", "Oona Hart", (Role.COMMISSIONING_COMMITTEE, None))
    User.objects.filter(email__startswith="off.").update(is_active=False)
    return north_reviewer, sunderland_lead, committee_member


def inbox() -> list[tuple[str, str]]:
    """(to, subject) of each email sent since the last look, by address; then forgets them."""
    assert all(len(m.to) == 1 for m in mail.outbox)  # one email per person
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    mail.outbox.clear()
    return sent


def only(message_subject: str, *addresses: str) -> list[tuple[str, str]]:
    return sorted((a, message_subject) for a in addresses)


def submit(lead, application):
    return services.application_submit(
        by=lead, application=application, version=fresh(application).version
    )


def review(reviewer, application):
    return services.review_start(
        by=reviewer, application=application, version=fresh(application).version
    )


# --- who hears of what ------------------------------------------------------------------------


@time_machine.travel(DEC_2014, tick=False)
def test_a_delegated_application_tells_each_side_at_each_step(
    windows, sunderland, people, commit, settings
):
    robert, david, cara = people
    draft = ready_delegated(david, sunderland)
    link = f"{settings.SITE_URL}/co-commissioning/applications/{draft.pk}/"
    assert draft.get_absolute_url() == f"/co-commissioning/applications/{draft.pk}/"
    subject = "The delegated commissioning application of NHS Sunderland CCG"

    with commit():
        application = submit(david, draft)
    waiting = mail.outbox[0]
    assert inbox() == only(f"{subject} waits for your review", NORA, ROBERT)
    assert link in waiting.body
    assert f'href="{link}"' in waiting.alternatives[0][0]
    assert "GMS and PMS contracts" in waiting.body
    assert "conflicts of interest" in waiting.body

    with commit():
        application = review(robert, application)
    assert inbox() == []  # taking it into review tells no one

    with commit():
        services.message_add(by=robert, application=application, kind="question", text="Which LES?")
    question = mail.outbox[0]
    assert inbox() == only(
        "A question from the regional team on the delegated commissioning application of "
        "NHS Sunderland CCG",
        DAVID,
    )
    assert "Robert Ellis, of the regional team, asks" in question.body
    assert "Which LES?" in question.body
    assert "Which LES?" in question.alternatives[0][0]

    with commit():
        services.message_add(by=david, application=application, kind="answer", text="All of them.")
    answer = mail.outbox[0]
    assert inbox() == only(
        "An answer on the delegated commissioning application of NHS Sunderland CCG", NORA, ROBERT
    )
    assert "David Lowe answered" in answer.body
    assert "All of them." in answer.body

    with commit():
        services.message_add(by=robert, application=application, kind="note", text="Called.")
    assert inbox() == []  # a note is the region's own

    with commit():
        application = services.changes_request(
            by=robert, application=application, version=application.version, text="Add the LES."
        )
    changes = mail.outbox[0]
    assert inbox() == only(
        "Changes requested to the delegated commissioning application of NHS Sunderland CCG",
        DAVID,
    )
    assert "Add the LES." in changes.body
    assert link in changes.body

    with commit():
        application = submit(david, application)
    resubmitted = mail.outbox[0]
    assert inbox() == only(f"Resubmitted: the {subject[4:]} waits for your review", NORA, ROBERT)
    assert "resubmitted, after the changes your team asked for" in resubmitted.body

    application = assure(robert, review(robert, application))
    with commit():
        application = services.application_recommend(
            by=robert, application=application, version=application.version, note="Robust."
        )
    sent = {m.to[0]: m for m in mail.outbox}
    assert inbox() == sorted(
        [
            (
                CARA,
                "A recommended delegated commissioning application of NHS Sunderland CCG "
                "waits for sign-off",
            ),
            (DAVID, f"{subject} is recommended for sign-off"),
        ]
    )
    assert "due by 16 February 2015" in sent[CARA].body  # seed 002, "Implementation timetable"
    assert "Put it on the agenda of a Commissioning Committee meeting" in sent[CARA].body
    assert link in sent[CARA].body
    assert "Robust." in sent[DAVID].body
    assert "signs off proposals on 16 February" in sent[DAVID].body

    with commit():
        application = sign_off_at_meeting(cara, application)
    assert inbox() == only(f"{subject} is signed off", DAVID)

    with commit():
        assert services.applications_go_live(day=APRIL_2015) == 1
        assert services.applications_go_live(day=APRIL_2015) == 0
    assert inbox() == only(
        "Delegated commissioning by NHS Sunderland CCG is live from 1 April 2015", DAVID
    )
    assert fresh(application).status == Status.LIVE


@time_machine.travel(DEC_2014, tick=False)
def test_a_joint_application_tells_the_leads_of_every_ccg_taking_part(
    windows, sunderland, people, commit
):
    robert, david, _ = people
    partner = partner_ccg(sunderland)
    pat = make_user("pat@example.nhs.uk", "Pat Lead", (Role.CCG_LEAD, partner))
    application = joint_draft(david, sunderland, partner)
    services.party_confirm(by=pat, application=application, ccg=partner)
    with commit():
        application = submit(david, application)
    names = f"NHS Sunderland CCG and {partner.name}"
    assert inbox() == only(
        f"The joint commissioning application of {names} waits for your review", NORA, ROBERT
    )
    application = review(robert, application)
    with commit():
        services.application_approve(
            by=robert, application=application, version=application.version
        )
    approved = mail.outbox[0]
    assert inbox() == only(
        f"The joint commissioning application of {names} is approved", DAVID, "pat@example.nhs.uk"
    )
    assert "joint committee's arrangements" in approved.body
    assert "Note:" not in approved.body  # no note given


@time_machine.travel(DEC_2014, tick=False)
def test_not_approved_gives_the_reasons_and_withdrawn_tells_the_region(
    windows, sunderland, people, commit
):
    robert, david, _ = people
    application = review(robert, submit(david, ready_delegated(david, sunderland)))
    mail.outbox.clear()
    with commit():
        services.application_refuse(
            by=robert,
            application=application,
            version=application.version,
            reason="No register of interests.",
        )
    refused = mail.outbox[0]
    assert inbox() == only(
        "The delegated commissioning application of NHS Sunderland CCG is not approved", DAVID
    )
    assert "for these reasons:\n\nNo register of interests." in refused.body
    assert "No register of interests." in refused.alternatives[0][0]

    other = submit(david, ready_delegated(david, sunderland, go_live_on=datetime.date(2016, 4, 1)))
    mail.outbox.clear()
    with commit():
        services.application_withdraw(
            by=david, application=other, version=other.version, reason="Not ready."
        )
    withdrawn = mail.outbox[0]
    assert inbox() == only(
        "The delegated commissioning application of NHS Sunderland CCG is withdrawn", NORA, ROBERT
    )
    assert "Not ready." in withdrawn.body


@time_machine.travel(DEC_2014, tick=False)
def test_withdrawing_a_draft_the_region_never_had_owes_nothing(windows, sunderland, people):
    _, david, _ = people
    draft = ready_delegated(david, sunderland)
    services.application_withdraw(by=david, application=draft, version=draft.version, reason="No.")
    assert not OutboxItem.objects.exists()


def test_the_regions_agreement_to_a_late_application_tells_the_ccg(
    windows, sunderland, people, commit
):
    robert, david, _ = people
    with time_machine.travel(LATE, tick=False):
        draft = ready_delegated(david, sunderland)
        with commit():
            services.late_agree(
                by=robert, application=draft, version=draft.version, reason="Merger delays."
            )
        agreed = mail.outbox[0]
        assert inbox() == only(
            "The region agrees to a late delegated commissioning application of NHS Sunderland CCG",
            DAVID,
        )
        assert "Merger delays." in agreed.body
        assert "Submit it" in agreed.body


@time_machine.travel(DEC_2014, tick=False)
def test_people_who_left_or_are_switched_off_hear_nothing(windows, sunderland, people):
    """Only active people with an active role assignment, each once, whatever their roles."""
    robert, david, _ = people
    RoleAssignment.objects.create(user=robert, role=Role.CCG_LEAD, ccg=sunderland)  # two roles
    application = ready_delegated(david, sunderland)
    to = {a: [u.email for u in emails.recipients(application, a)] for a in ("region", "ccgs")}
    assert to == {"region": [NORA, ROBERT], "ccgs": [DAVID, ROBERT]}
    assert [u.email for u in emails.recipients(application, "committee")] == [CARA]


# --- owed once, with the change, and only while it holds --------------------------------------


@time_machine.travel(DEC_2014, tick=False)
def test_a_rolled_back_change_owes_nothing(windows, sunderland, people, commit):
    robert, david, _ = people
    draft = ready_delegated(david, sunderland)

    class Boom(Exception):
        pass

    def submit_then_fail():
        with transaction.atomic():
            submit(david, draft)
            assert OutboxItem.objects.filter(task=TASK).count() == 1  # owed inside the change
            raise Boom

    with commit(), pytest.raises(Boom):
        submit_then_fail()
    with commit(), pytest.raises(services.RuleError):  # a refusal: joint ones are approved
        services.application_approve(by=robert, application=draft, version=draft.version)
    assert not OutboxItem.objects.exists()
    assert mail.outbox == []
    assert fresh(draft).status == Status.DRAFT


@time_machine.travel(DEC_2014, tick=False)
def test_one_item_per_change_and_a_stale_one_sends_nothing(
    windows, sunderland, people, django_capture_on_commit_callbacks
):
    """A change owed twice (a retry) is one item; a later, different change is another; an item
    delivered after the application moved on sends nothing, however often it runs."""
    robert, david, _ = people
    with django_capture_on_commit_callbacks():  # committed, but the broker never got it
        application = submit(david, ready_delegated(david, sunderland))
        first = OutboxItem.objects.get(task=TASK)
        emails.owe(application, "submitted")  # the same change, owed again (a retry)
        assert OutboxItem.objects.filter(task=TASK).count() == 1
        assert first.key == f"cocommissioning:{application.pk}:submitted:v{application.version}"
        assert first.args == [application.pk, "submitted", application.version]
        application = review(robert, application)

    assert outbox.deliver(first.pk) == OutboxItem.State.DONE  # no longer waits for review
    assert tasks.application_email_send(*first.args) == 0  # and again: still nothing
    assert mail.outbox == []

    # Changes requested, resubmitted, changes requested again: the first request's item finds
    # the application returned for changes, but it has been resubmitted since.
    with django_capture_on_commit_callbacks():
        application = services.changes_request(
            by=robert, application=application, version=application.version, text="One."
        )
        stale = OutboxItem.objects.get(key__endswith=f"changes_requested:v{application.version}")
        application = review(robert, submit(david, application))
        application = services.changes_request(
            by=robert, application=application, version=application.version, text="Two."
        )
        latest = OutboxItem.objects.get(key__endswith=f"changes_requested:v{application.version}")
    assert stale.pk != latest.pk
    assert tasks.application_email_send(*stale.args) == 0
    assert tasks.application_email_send(*latest.args) == 1
    assert "Two." in mail.outbox[0].body
    assert tasks.application_email_send(999_999, "submitted", 1) == 0  # gone
    assert tasks.message_email_send(999_999) == 0


@time_machine.travel(DEC_2014, tick=False)
def test_a_question_is_not_sent_once_the_application_is_closed(
    windows, sunderland, people, django_capture_on_commit_callbacks
):
    robert, david, _ = people
    application = review(robert, submit(david, ready_delegated(david, sunderland)))
    with django_capture_on_commit_callbacks():
        question = services.message_add(
            by=robert, application=application, kind="question", text="Still there?"
        )
        services.application_withdraw(
            by=david, application=application, version=fresh(application).version, reason="No."
        )
    mail.outbox.clear()
    assert tasks.message_email_send(question.pk) == 0
    assert mail.outbox == []


TEMPLATES = sorted(
    {t for event in emails.EVENTS.values() for _, t in event.sends}
    | {t for _, t, _ in emails.MESSAGES.values()}
)


@time_machine.travel(DEC_2014, tick=False)
def test_names_arrive_as_typed_in_text_and_escaped_in_html(windows, sunderland, people, commit):
    """Issue 14's rule for every email: the plain text and subject hold names as typed."""
    robert, david, _ = people
    CCG.objects.filter(pk=sunderland.pk).update(name=NAME)
    with commit():
        application = submit(david, ready_delegated(david, CCG.objects.get(pk=sunderland.pk)))
    assert len(mail.outbox) == 2
    assert_verbatim(mail.outbox[0])
    application.decision_note = application.late_reason = NAME
    context = {
        **emails._context(application),
        "user": david,
        "message": Message(application=application, text=NAME, by=robert),
    }
    assert len(TEMPLATES) == 12
    for template in TEMPLATES:
        parts = render_email(f"cocommissioning/{template}", context)
        assert_verbatim(
            SimpleNamespace(subject=parts.subject, body=parts.text, alternatives=[(parts.html,)])
        )


@time_machine.travel(DEC_2014, tick=False)
def test_the_delivery_log_names_each_email(
    client, windows, sunderland, people, national_admin, django_capture_on_commit_callbacks
):
    robert, david, _ = people
    with django_capture_on_commit_callbacks():
        application = submit(david, ready_delegated(david, sunderland))
        services.message_add(by=robert, application=application, kind="question", text="Why?")
    client.force_login(national_admin)
    page = client.get("/timeline/delivery/").content.decode()
    application_name = "Delegated commissioning from 1 April 2015: NHS Sunderland CCG"
    assert f"Application submitted, to the regional team: {application_name}" in page
    assert f"Question from the region, to the CCG leads: {application_name}" in page
