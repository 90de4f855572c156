"""The Commissioning Committee's decisions through the API (issue 15, "What to build" 5 and
7): agenda and decide with 403 for others, 400 keyed by field, 409 on a stale version, the
detail's agenda entries; the meetings API's committee meetings; and the joint committee an
approved joint application gets (seed 002, "Model 2: Joint commissioning")."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import AgendaEntry
from commissioning.models import AuditEvent
from hubs.models import CCG
from meetings.models import Meeting
from oversight import committees
from oversight.models import Committee
from oversight.permissions import committees_visible_to
from tests.factories import make_group, make_user

from .api_states import (  # noqa: F401 (fixtures)
    APPS,
    _december_2014,
    as_,
    people_fixture,
)
from .committee_states import entry_of, exclude, hold, placed, recommended
from .conftest import commissioning_committee_meeting, ready_delegated, sign_off_at_meeting
from .rules import Status, assure, fresh, joint_draft, partner_ccg, under_review

pytestmark = pytest.mark.django_db
MEETINGS = "/api/v1/meetings/"


# --- the API ----------------------------------------------------------------------------------


def test_api_agenda_and_decision(api_client, people):
    application = recommended(people)
    meeting = commissioning_committee_meeting(people["committee"], members=4, held=False)
    url = f"{APPS}{application.pk}/"
    body = {"version": application.version, "meeting": meeting.pk}
    for persona in ("north", "lead"):
        answer = as_(api_client, people[persona]).post(f"{url}agenda/", body, format="json")
        assert answer.status_code == 403
    assert as_(api_client, people["other_lead"]).post(f"{url}agenda/", body).status_code == 404
    committee = as_(api_client, people["committee"])
    no_meeting = committee.post(f"{url}agenda/", {**body, "meeting": 0}, format="json")
    assert (no_meeting.status_code, list(no_meeting.json())) == (400, ["meeting"])
    no_version = committee.post(f"{url}agenda/", {"meeting": meeting.pk}, format="json")
    assert (no_version.status_code, list(no_version.json())) == (400, ["version"])
    assert not AgendaEntry.objects.exists()
    placed_answer = committee.post(f"{url}agenda/", body, format="json")
    assert placed_answer.status_code == 200
    entries = placed_answer.json()["agenda_entries"]
    assert [(e["meeting"], e["outcome"], e["took_part"]) for e in entries] == [
        (meeting.pk, "pending", [])
    ]
    exclude(people, application)
    decision = {"version": fresh(application).version, "outcome": "signed_off", "reasons": ""}
    not_held = committee.post(f"{url}decide/", decision, format="json")
    assert (not_held.status_code, list(not_held.json())) == (400, ["outcome"])
    hold(people, meeting)
    for persona in ("north", "lead"):
        answer = as_(api_client, people[persona]).post(f"{url}decide/", decision, format="json")
        assert answer.status_code == 403
    committee = as_(api_client, people["committee"])
    bad = committee.post(f"{url}decide/", {**decision, "outcome": "pending"}, format="json")
    assert (bad.status_code, list(bad.json())) == (400, ["outcome"])
    reasonless = committee.post(
        f"{url}decide/", {**decision, "outcome": "not_approved"}, format="json"
    )
    assert (reasonless.status_code, list(reasonless.json())) == (400, ["reasons"])
    stale = committee.post(
        f"{url}decide/", {**decision, "version": decision["version"] - 1}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == decision["version"]
    assert fresh(application).status == Status.RECOMMENDED
    assert entry_of(application).is_pending
    done = committee.post(f"{url}decide/", decision, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "implementing"
    detail = as_(api_client, people["lead"]).get(url).json()
    [entry] = detail["agenda_entries"]
    assert entry["outcome"] == "signed_off"
    assert [p["name"] for p in entry["took_part"]] == [
        "Committee Member 1",
        "Committee Member 3",
        "Committee Member 4",
    ]
    assert [e["name"] for e in entry["excluded"]] == ["Committee Member 2"]
    assert entry["quorum"].startswith("Quorate")
    again = as_(api_client, people["committee"]).post(
        f"{url}decide/", {**decision, "version": detail["version"]}, format="json"
    )
    assert again.status_code == 409  # decided: no longer recommended


def test_api_not_quorate_is_refused_with_the_shortfall(api_client, people):
    application = recommended(people)
    meeting = placed(people, application, members=3)
    exclude(people, application)
    hold(people, meeting)
    answer = as_(api_client, people["committee"]).post(
        f"{APPS}{application.pk}/decide/",
        {"version": fresh(application).version, "outcome": "signed_off"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["outcome"] == [
        "The committee was not quorate for this item: 2 voting member(s) present; 3 needed."
    ]
    assert fresh(application).status == Status.RECOMMENDED


def test_meetings_api_schedules_a_committees_meeting(api_client, people, nec_hub_officer):
    national = committees.commissioning_committee_ensure(
        by=people["committee"], start_date=datetime.date(2014, 10, 1)
    )
    group = make_group(by=nec_hub_officer, start_date=datetime.date(2014, 4, 1))
    body = {
        "committee": national.pk,
        "title": "January",
        "starts_at": "2015-01-20T14:00:00Z",
        "location": "Skipton House",
    }
    north = as_(api_client, people["north"])
    assert north.post(MEETINGS, body, format="json").status_code == 403
    both = north.post(MEETINGS, {**body, "group": group.pk}, format="json")
    assert (both.status_code, list(both.json())) == (400, ["group"])
    neither = {k: v for k, v in body.items() if k != "committee"}
    assert north.post(MEETINGS, neither, format="json").status_code == 400
    hub = as_(api_client, nec_hub_officer).post(MEETINGS, body, format="json")
    assert (hub.status_code, hub.json()) == (400, {"committee": ["No such committee."]})
    assert not Meeting.objects.exists()
    made = as_(api_client, people["committee"]).post(MEETINGS, body, format="json")
    assert made.status_code == 201
    assert (made.json()["committee"], made.json()["group"]) == (national.pk, None)
    meeting = Meeting.objects.get()
    assert meeting.committee == national
    as_(api_client, nec_hub_officer).post(
        MEETINGS, {**neither, "group": group.pk, "title": "Group"}, format="json"
    )
    listed = as_(api_client, people["national"]).get(f"{MEETINGS}?committee={national.pk}").json()
    assert [row["id"] for row in listed["results"]] == [meeting.pk]
    everything = as_(api_client, people["national"]).get(MEETINGS).json()
    assert everything["count"] == 2
    detail = as_(api_client, people["north"]).get(f"{MEETINGS}{meeting.pk}/").json()
    assert detail["committee"] == national.pk
    assert as_(api_client, nec_hub_officer).get(f"{MEETINGS}{meeting.pk}/").status_code == 404


# --- a joint committee for an approved joint application --------------------------------------


def test_an_approved_joint_application_gets_its_joint_committee(
    client, windows, sunderland, sunderland_lead, north_reviewer
):
    partner = partner_ccg(sunderland)
    partner_lead = make_user("pat@example.nhs.uk", "Pat Partner", (Role.CCG_LEAD, partner))
    application = joint_draft(sunderland_lead, sunderland, partner)
    services.party_confirm(by=partner_lead, application=application, ccg=partner)
    application = under_review(sunderland_lead, north_reviewer, application)
    assert not Committee.objects.exists()
    services.application_approve(
        by=north_reviewer, application=application, version=application.version
    )
    committee = Committee.objects.get()
    assert committee.kind == Committee.Kind.JOINT_COMMITTEE
    assert committee.region == sunderland.hub.region
    assert set(committee.ccgs.all()) == {sunderland, partner}
    assert committee.start_date == datetime.date(2014, 12, 15)
    event = AuditEvent.objects.get(verb="cocommissioning.application.approved")
    assert event.data == {"committee": committee.pk}
    assert AuditEvent.objects.filter(verb="committee.created").count() == 1
    for lead in (sunderland_lead, partner_lead):
        assert committee in committees_visible_to(lead)
        client.force_login(lead)
        listing = client.get(reverse("meetings:committee-list")).content.decode()
        assert committee.get_absolute_url() in listing
        page = client.get(committee.get_absolute_url()).content.decode()
        assert reverse("meetings:committee-member-add", args=[committee.pk]) in page
    other = (
        CCG.objects.filter(hub=sunderland.hub, kind=CCG.Kind.CCG)
        .exclude(pk__in=[sunderland.pk, partner.pk])
        .first()
    )
    outsider = make_user("olu@example.nhs.uk", "Olu Other", (Role.CCG_LEAD, other))
    assert committee not in committees_visible_to(outsider)
    client.force_login(outsider)
    assert client.get(committee.get_absolute_url()).status_code == 404


def test_a_delegated_application_goes_the_whole_way(
    windows, sunderland, sunderland_lead, north_reviewer
):
    cara = make_user("cara2@example.nhs.uk", "Cara Two", (Role.COMMISSIONING_COMMITTEE, None))
    application = under_review(
        sunderland_lead, north_reviewer, ready_delegated(sunderland_lead, sunderland)
    )
    application = assure(north_reviewer, application)
    application = services.application_recommend(
        by=north_reviewer, application=application, version=application.version
    )
    application = sign_off_at_meeting(cara, application)
    assert application.status == Status.IMPLEMENTING
    assert services.applications_go_live(day=datetime.date(2015, 4, 1)) == 1
