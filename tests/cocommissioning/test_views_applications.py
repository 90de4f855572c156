"""The application pages (issue 15, "What to build" 2 and 4): who sees and does what, bad input
beside the field with nothing changed, a stale version shown as a conflict, and bounded queries
(seed 002, "Model 2", "Model 3", "Sign-off and approvals", "Implementation timetable")."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import (
    AgendaEntry,
    Application,
    ConflictsReview,
    Document,
    Message,
    Model,
)
from hubs.models import CCG, Region
from hubs.querysets import valid_on_q
from meetings import services as meetings
from tests.factories import make_user

from .conftest import (
    APRIL_2015,
    PDF,
    attach,
    commissioning_committee_meeting,
    delegated_draft,
    ready_delegated,
    sign_off_at_meeting,
)

pytestmark = pytest.mark.django_db
Status = Application.Status
BEFORE_DEADLINE = datetime.datetime(2014, 12, 15, 10, tzinfo=datetime.UTC)
PERSONAS = [
    "anonymous",
    "roleless_user",
    "other_lead",
    "sunderland_lead",
    "north_reviewer",
    "london_regional",
    "committee_member",
    "national_admin",
]


@pytest.fixture(autouse=True)
def _before_the_deadline():
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        yield


@pytest.fixture
def other_lead(register):
    """The lead of another CCG of the North (Newcastle Gateshead): not part of Sunderland's."""
    ccg = CCG.objects.filter(kind=CCG.Kind.CCG, hub__region__slug="north").exclude(ods_code="00P")
    return make_user("olive@example.nhs.uk", "Olive Grant", (Role.CCG_LEAD, ccg.first()))


@pytest.fixture
def london_regional(register):
    return make_user(
        "lena@example.nhs.uk", "Lena Ortiz", (Role.REGIONAL_TEAM, Region.objects.get(slug="london"))
    )


@pytest.fixture
def who(request):
    def get(name):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return get


def as_(client, user):
    if user is not None:
        client.force_login(user)
    return client


def fresh(obj):
    obj.refresh_from_db()
    return obj


def checklist(outcome="assured") -> dict:
    data = {name: "met" for name, _ in ConflictsReview.CHECKS}
    data.update({f"{name}_evidence": "In the constitution." for name, _ in ConflictsReview.CHECKS})
    return {**data, "outcome": outcome, "outcome_note": "Robust."}


def to_state(state, lead, ccg, reviewer, member):
    """A delegated application of Sunderland's in `state`."""
    application = ready_delegated(lead, ccg)
    if state == "draft":
        return application
    application = services.application_submit(by=lead, application=application, version=1)
    if state == "submitted":
        return application
    application = services.review_start(
        by=reviewer, application=application, version=application.version
    )
    if state == "under_review":
        return application
    review = ConflictsReview.objects.get(application=application)
    services.conflicts_review_save(by=reviewer, review=review, version=1, **checklist())
    application = fresh(application)
    application = services.application_recommend(
        by=reviewer, application=application, version=application.version
    )
    if state == "recommended":
        return application
    return sign_off_at_meeting(member, application)


@pytest.fixture
def make(windows, sunderland, sunderland_lead, north_reviewer, committee_member):
    return lambda state: to_state(
        state, sunderland_lead, sunderland, north_reviewer, committee_member
    )


# --- reading: the list and the page ----------------------------------------------------------

LIST_SEES_DRAFT = {"sunderland_lead", "north_reviewer", "national_admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_shows_a_draft_only_to_its_ccg_its_region_and_national(client, who, make, persona):
    make("draft")
    response = as_(client, who(persona)).get(reverse("cocommissioning:application-list"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.url
        return
    assert response.status_code == 200
    assert ("NHS Sunderland CCG" in response.content.decode()) == (persona in LIST_SEES_DRAFT)
    starts = b"Start an application" in response.content
    assert starts == (persona in {"sunderland_lead", "other_lead"})


DETAIL = {  # persona: (draft, recommended)
    "anonymous": (302, 302),
    "roleless_user": (404, 404),
    "other_lead": (404, 404),
    "sunderland_lead": (200, 200),
    "north_reviewer": (200, 200),
    "london_regional": (404, 404),
    "committee_member": (404, 200),
    "national_admin": (200, 200),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", ["draft", "recommended"])
def test_the_application_page_ladder(client, who, make, persona, state):
    application = make(state)
    response = as_(client, who(persona)).get(application.get_absolute_url())
    assert response.status_code == DETAIL[persona][state == "recommended"]


# Each action: the state it is offered in, who may take it (others who see it: 403).
ACTIONS = {
    "submit": ("draft", "sunderland_lead", {}),
    "withdraw": ("draft", "sunderland_lead", {"reason": "Not this year."}),
    "answer": ("under_review", "sunderland_lead", {"text": "Yes."}),
    "review_start": ("submitted", "north_reviewer", {}),
    "question": ("under_review", "north_reviewer", {"text": "Who chairs it?"}),
    "changes": ("under_review", "north_reviewer", {"text": "Add the register."}),
    "recommend": ("under_review", "north_reviewer", {}),
    "refuse": ("under_review", "north_reviewer", {"reason": "Not assured."}),
    "agenda": ("recommended", "committee_member", {}),  # the meeting is added below
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_is_taken_only_by_its_role(client, who, make, persona, action):
    state, allowed, data = ACTIONS[action]
    application = make(state)
    if action == "recommend":
        review = ConflictsReview.objects.get(application=application)
        services.conflicts_review_save(
            by=who("north_reviewer"), review=review, version=1, **checklist()
        )
    if action == "agenda":
        meeting = commissioning_committee_meeting(who("committee_member"), held=False)
        data = {"meeting": meeting.pk}

    def state_now():
        application.refresh_from_db()
        entries = AgendaEntry.objects.count()
        return application.status, application.version, Message.objects.count(), entries

    before = state_now()
    posted = {f"{action}-version": application.version}
    posted.update({f"{action}-{k}": v for k, v in data.items()})
    url = reverse("cocommissioning:application-act", args=[application.pk, action])
    response = as_(client, who(persona)).post(url, posted)
    after = state_now()
    if persona == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.url
    elif persona == allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert after != before
        return
    else:
        sees = DETAIL[persona][state == "recommended"] == 200
        assert response.status_code == (403 if sees else 404)
    assert after == before


def test_committee_refuses_a_recommended_application_at_a_meeting_with_reasons(
    client, make, committee_member, north_reviewer
):
    application = make("recommended")
    meeting = commissioning_committee_meeting(committee_member, held=False)
    services.agenda_place(
        by=committee_member, application=application, version=application.version, meeting=meeting
    )
    meetings.meeting_update(by=committee_member, meeting=meeting, version=1, status="held")
    client.force_login(committee_member)
    refuse = reverse("cocommissioning:application-act", args=[application.pk, "refuse"])
    assert client.post(refuse, {"refuse-version": 1, "refuse-reason": "No."}).status_code == 403
    url = reverse("cocommissioning:application-act", args=[application.pk, "decide"])
    version = fresh(application).version
    response = client.post(
        url, {"decide-version": version, "decide-outcome": "not_approved", "decide-reasons": "No."}
    )
    assert response.status_code == 302
    assert fresh(application).status == Status.NOT_APPROVED
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Not approved" in page
    assert "No." in page


def test_the_page_offers_only_what_the_user_may_do_now(
    client, make, sunderland_lead, north_reviewer, national_admin
):
    application = make("submitted")
    client.force_login(north_reviewer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Start the review" in page
    assert "Record the decision" not in page
    assert "Submit to" not in page
    client.force_login(sunderland_lead)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Withdraw the application" in page
    assert "Start the review" not in page
    assert "Edit the application" not in page  # submitted: no longer editable
    client.force_login(national_admin)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "What you can do" not in page


# --- bad input and stale versions -------------------------------------------------------------


def test_a_refusal_without_reasons_is_refused_beside_the_field(client, make, north_reviewer):
    application = make("under_review")
    client.force_login(north_reviewer)
    url = reverse("cocommissioning:application-act", args=[application.pk, "refuse"])
    response = client.post(url, {"refuse-version": application.version, "refuse-reason": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_refuse-reason_error"' in page
    assert "There is a problem" in page
    assert fresh(application).status == Status.UNDER_REVIEW


def test_a_stale_version_shows_the_conflict_and_changes_nothing(
    client, make, sunderland_lead, north_reviewer
):
    application = make("submitted")
    old = application.version
    services.changes_request(
        by=north_reviewer, application=application, version=old, text="Add the register."
    )
    client.force_login(north_reviewer)
    url = reverse("cocommissioning:application-act", args=[application.pk, "refuse"])
    # Changes requested: refusing is no longer offered at all.
    assert client.post(url, {"refuse-version": old, "refuse-reason": "x"}).status_code == 403
    client.force_login(sunderland_lead)
    url = reverse("cocommissioning:application-act", args=[application.pk, "withdraw"])
    response = client.post(url, {"withdraw-version": old, "withdraw-reason": "Not now."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "saved this while you were editing" in page
    assert f'value="{fresh(application).version}"' in page  # saving again is deliberate
    assert fresh(application).status == Status.CHANGES_REQUESTED


def test_a_stale_edit_shows_the_conflict(client, make, sunderland_lead):
    application = make("draft")
    services.application_update(
        by=sunderland_lead,
        application=application,
        version=application.version,
        go_live_on=APRIL_2015,
        functions=["gms_pms"],
        summary="Newer summary.",
    )
    client.force_login(sunderland_lead)
    url = reverse("cocommissioning:application-edit", args=[application.pk])
    response = client.post(
        url,
        {"version": 1, "go_live_on": "2015-04-01", "functions": ["gms_pms"], "summary": "Mine."},
    )
    assert response.status_code == 200
    assert "saved this while you were editing" in response.content.decode()
    assert fresh(application).summary == "Newer summary."


# --- a new application ---------------------------------------------------------------------


def test_only_a_ccg_lead_starts_an_application(client, windows, north_reviewer, roleless_user):
    url = reverse("cocommissioning:application-create")
    for user in (north_reviewer, roleless_user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_new_application_form_offers_windows_functions_and_partners(
    client, windows, sunderland_lead
):
    client.force_login(sunderland_lead)
    page = client.get(reverse("cocommissioning:application-create")).content.decode()
    assert "proposals due by 5 January 2015" in page  # the delegated 2015/16 window
    assert "Revalidation" in page
    assert "Not offered for delegation" in page
    assert "Greater involvement needs no application" in page
    assert "NHS Newcastle" in page or "Durham" in page  # partner CCGs of the North
    assert "NHS Sunderland CCG</label>" not in page  # the lead is not its own partner


def test_a_delegated_application_is_started(client, windows, sunderland, sunderland_lead):
    client.force_login(sunderland_lead)
    response = client.post(
        reverse("cocommissioning:application-create"),
        {
            "lead_ccg": sunderland.pk,
            "model": "delegated",
            "go_live_on": "2015-04-01",
            "functions": ["gms_pms", "enhanced"],
            "summary": "GMS and enhanced services.",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert (application.model, application.functions) == (Model.DELEGATED, ["gms_pms", "enhanced"])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"go_live_on": "2015-04-01", "functions": ["gms_pms"]}, "model"),
        ({"model": "delegated", "go_live_on": "2015-04-01", "functions": ["qof"]}, "functions"),
        ({"model": "delegated", "go_live_on": "2015-04-01"}, "functions"),
        ({"model": "joint", "go_live_on": "2016-04-01"}, "go_live_on"),  # no joint window
        (
            {"model": "delegated", "go_live_on": "2017-04-01", "functions": ["gms_pms"]},
            "go_live_on",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_made(
    client, windows, sunderland, sunderland_lead, data, field
):
    client.force_login(sunderland_lead)
    response = client.post(
        reverse("cocommissioning:application-create"), {"lead_ccg": sunderland.pk, **data}
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Application.objects.exists()


def test_a_lead_cannot_apply_for_a_ccg_they_do_not_lead(client, windows, other_lead, sunderland):
    client.force_login(other_lead)
    response = client.post(
        reverse("cocommissioning:application-create"),
        {"lead_ccg": sunderland.pk, "model": "delegated", "go_live_on": "2015-04-01",
         "functions": ["gms_pms"]},
    )  # fmt: skip
    # One CCG led: the lead CCG is a hidden field, so the refusal is in the error summary.
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Application.objects.exists()


# --- documents -------------------------------------------------------------------------------


def test_documents_are_checked_by_content_and_replaced_ones_kept(
    client, make, sunderland_lead, london_regional, north_reviewer
):
    application = make("draft")
    url = reverse("cocommissioning:application-attach", args=[application.pk])
    client.force_login(sunderland_lead)
    fake = SimpleUploadedFile("terms.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"kind": "constitution", "file": fake})
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()
    assert Document.objects.filter(application=application).count() == 2
    real = SimpleUploadedFile("amended.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"kind": "constitution", "file": real}).status_code == 302
    kept = Document.objects.filter(application=application, kind="constitution")
    assert sorted(kept.values_list("withdrawn", flat=True)) == [False, True]
    current = kept.get(withdrawn=False)
    download = reverse("cocommissioning:application-document", args=[application.pk, current.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(london_regional)
    assert client.get(download).status_code == 404
    client.force_login(north_reviewer)
    assert client.get(url).status_code == 403  # the region reads, does not attach


# --- the conflicts of interest checklist ------------------------------------------------------


def test_the_checklist_is_the_regions(
    client, make, sunderland_lead, north_reviewer, london_regional, committee_member
):
    application = make("under_review")
    url = reverse("cocommissioning:application-conflicts", args=[application.pk])
    client.force_login(sunderland_lead)
    assert client.get(url).status_code == 403
    assert (
        "Conflicts of interest review"
        not in client.get(application.get_absolute_url()).content.decode()
    )
    client.force_login(london_regional)
    assert client.get(url).status_code == 404
    client.force_login(north_reviewer)
    assert client.get(url).status_code == 200
    partial = {**checklist(), "register": "", "version": 1}
    response = client.post(url, partial)
    assert response.status_code == 200
    assert 'id="id_register_error"' in response.content.decode()
    review = ConflictsReview.objects.get(application=application)
    assert (review.outcome, review.version) == ("", 1)
    assert client.post(url, {**checklist(), "version": 1}).status_code == 302
    assert fresh(review).outcome == "assured"
    response = client.post(url, {**checklist(), "version": 1})
    assert "saved this while you were editing" in response.content.decode()
    client.force_login(sunderland_lead)  # complete: the lead CCG reads it now
    assert (
        "Conflicts of interest review"
        in client.get(application.get_absolute_url()).content.decode()
    )


# --- go-live --------------------------------------------------------------------------------


def test_the_page_says_live_after_go_live(client, make, sunderland_lead):
    application = make("signed_off")
    assert services.applications_go_live(day=APRIL_2015) == 1
    client.force_login(sunderland_lead)
    page = client.get(application.get_absolute_url()).content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--green" id="status">Live</strong>' in page
    assert "Signed off by the Commissioning Committee on" in page  # the decision, not "Live"


# --- bounded queries ------------------------------------------------------------------------


def test_the_list_reads_in_bounded_queries(
    client, windows, north_reviewer, django_assert_max_num_queries
):
    north = CCG.objects.filter(
        valid_on_q(datetime.date(2016, 4, 1)), kind=CCG.Kind.CCG, hub__region__slug="north"
    )
    for ccg in north[:30]:
        lead = make_user(f"lead-{ccg.pk}@example.nhs.uk", "Lead", (Role.CCG_LEAD, ccg))
        delegated_draft(lead, ccg)
        delegated_draft(lead, ccg, go_live_on=datetime.date(2016, 4, 1))
    client.force_login(north_reviewer)
    url = reverse("cocommissioning:application-list")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b'<tr class="nhsuk-table__row">') == 26
    with django_assert_max_num_queries(8):
        assert client.get(url + "?page=2&model=delegated").status_code == 200


def test_the_page_reads_in_bounded_queries(
    client, make, sunderland_lead, north_reviewer, django_assert_max_num_queries
):
    application = make("under_review")
    for i in range(20):
        services.message_add(
            by=north_reviewer, application=application, kind="question", text=f"Q{i}"
        )
        services.message_add(
            by=sunderland_lead, application=application, kind="answer", text=f"A{i}"
        )
    for kind in Document.Kind.values:
        Application.objects.filter(pk=application.pk).update(status=Status.DRAFT)
        for _ in range(5):
            attach(sunderland_lead, application, kind)
    Application.objects.filter(pk=application.pk).update(status=Status.UNDER_REVIEW)
    client.force_login(north_reviewer)
    with django_assert_max_num_queries(20):
        response = client.get(application.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b"Q19") == 1


# --- a joint committee ----------------------------------------------------------------------


def test_a_joint_application_is_confirmed_by_each_ccg_and_approved_by_the_region(
    client, windows, sunderland, sunderland_lead, north_reviewer, committee_member
):
    south_tyneside = CCG.objects.get(ods_code="00N")
    partner_lead = make_user("tyne@example.nhs.uk", "Tara Bell", (Role.CCG_LEAD, south_tyneside))
    client.force_login(sunderland_lead)
    response = client.post(
        reverse("cocommissioning:application-create"),
        {"lead_ccg": sunderland.pk, "model": "joint", "go_live_on": "2015-04-01",
         "partners": [south_tyneside.pk], "pooled_budget": "on"},
    )  # fmt: skip
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    for kind in ("constitution", "terms", "delegation"):
        attach(sunderland_lead, application, kind)
    act = lambda name: reverse("cocommissioning:application-act", args=[application.pk, name])  # noqa: E731
    response = client.post(act("submit"), {"submit-version": fresh(application).version})
    assert "waiting for NHS South Tyneside CCG" in response.content.decode()
    assert fresh(application).status == Status.DRAFT
    client.force_login(partner_lead)  # the partner's lead reads it and confirms
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Confirm our CCG takes part" in page
    assert "Submit to the region" not in page
    assert client.post(act("confirm"), {"confirm-ccg": south_tyneside.pk}).status_code == 302
    client.force_login(sunderland_lead)
    client.post(act("submit"), {"submit-version": fresh(application).version})
    client.force_login(north_reviewer)
    client.post(act("review_start"), {"review_start-version": fresh(application).version})
    assert (
        client.post(act("recommend"), {"recommend-version": fresh(application).version}).status_code
        == 403
    )
    response = client.post(act("approve"), {"approve-version": fresh(application).version})
    assert response.status_code == 302
    assert fresh(application).status == Status.IMPLEMENTING
    client.force_login(committee_member)  # joint: never the committee's
    assert client.get(application.get_absolute_url()).status_code == 404
