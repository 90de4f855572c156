"""The consultations API (issue 17, "What to build" 3 and 7): the pages' rules over
/api/v1/consultations/ and /api/v1/consultation-responses/: national admins write
consultations (others 403, nothing changed); the hub's staff answer for their group and a
member CCG's lead as it; responses read by the hub, the region and national admins (others
404); bad input 400 by field; a stale version or a closed consultation 409; audited; in the
schema; lists in a bounded number of queries."""

import pytest

from commissioning.limits import LONG_TEXT
from commissioning.models import AuditEvent
from national import consultations, events
from national.models import Consultation, ConsultationResponse

from .conftest import group_answer, open_consultation, snapshot

pytestmark = pytest.mark.django_db

API = "/api/v1/"
CONSULTATIONS = f"{API}consultations/"
RESPONSES = f"{API}consultation-responses/"


def _body(draft, **changes):
    data = {
        "document_version": draft.pk,
        "title": "Draft for consultation",
        "summary": "What changed.",
        "questions": "Is it right?",
        "closes_on": "2016-04-10",
    }
    data.update(changes)
    return data


def test_anonymous_gets_401(api_client, consultation):
    assert api_client.get(CONSULTATIONS).status_code == 401
    assert api_client.get(RESPONSES).status_code == 401


def test_who_sees_which_consultations(
    api_client, roleless_user, nec_hub_officer, national_admin, draft, consultation
):
    later = open_consultation(national_admin, draft, title="Later", opens_on=consultation.closes_on)
    api_client.force_authenticate(roleless_user)
    assert api_client.get(CONSULTATIONS).json()["count"] == 0
    assert api_client.get(f"{CONSULTATIONS}{consultation.pk}/").status_code == 404
    api_client.force_authenticate(nec_hub_officer)
    listed = api_client.get(CONSULTATIONS).json()["results"]
    assert [c["id"] for c in listed] == [consultation.pk]
    assert listed[0]["state"] == "open"
    assert api_client.get(f"{CONSULTATIONS}{later.pk}/").status_code == 404
    api_client.force_authenticate(national_admin)
    assert api_client.get(CONSULTATIONS).json()["count"] == 2


def test_a_national_admin_opens_changes_closes_extends_and_archives(
    api_client, national_admin, draft
):
    api_client.force_authenticate(national_admin)
    before = snapshot()
    past = api_client.post(CONSULTATIONS, _body(draft, closes_on="2016-03-01"), format="json")
    assert past.status_code == 400
    assert "in the past" in past.json()["closes_on"][0]
    long = api_client.post(
        CONSULTATIONS, _body(draft, summary="x" * (LONG_TEXT + 1)), format="json"
    )
    assert long.status_code == 400
    assert "summary" in long.json()
    assert (
        api_client.post(
            CONSULTATIONS, _body(draft, document_version=999999), format="json"
        ).status_code
        == 400
    )
    assert snapshot() == before
    made = api_client.post(CONSULTATIONS, _body(draft), format="json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["opens_on"] == "2016-03-10"
    url = f"{CONSULTATIONS}{pk}/"
    changed = api_client.put(url, {"title": "Renamed", "version": 1}, format="json")
    assert changed.json()["version"] == 2
    stale = api_client.put(url, {"title": "Again", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    closed = api_client.post(f"{url}close/", {"version": 2}, format="json")
    assert closed.json()["state"] == "closed"
    assert api_client.post(f"{url}close/", {"version": 3}, format="json").status_code == 409
    extended = api_client.post(
        f"{url}extend/", {"version": 3, "closes_on": "2016-05-01"}, format="json"
    )
    assert (extended.json()["state"], extended.json()["closes_on"]) == ("open", "2016-05-01")
    archived = api_client.post(f"{url}archive/", {"version": 4}, format="json")
    assert archived.json()["archived"] is True
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        events.CONSULTATION_OPENED,
        events.CONSULTATION_CHANGED,
        events.CONSULTATION_CLOSED,
        events.CONSULTATION_EXTENDED,
        events.CONSULTATION_ARCHIVED,
    } <= verbs


def test_others_may_not_write_consultations(
    api_client, nec_hub_officer, north_reviewer, draft, consultation
):
    before = snapshot()
    for user in (nec_hub_officer, north_reviewer):
        api_client.force_authenticate(user)
        assert api_client.post(CONSULTATIONS, _body(draft), format="json").status_code == 403
        url = f"{CONSULTATIONS}{consultation.pk}/"
        assert api_client.put(url, {"title": "X", "version": 1}, format="json").status_code == 403
        assert api_client.post(f"{url}close/", {"version": 1}, format="json").status_code == 403
    assert snapshot() == before


def test_hub_staff_answer_for_their_group_once(
    api_client, nec_hub_officer, london_hub_officer, consultation, nec_group, london_group
):
    body = {"consultation": consultation.pk, "group": nec_group.pk, "position": "support"}
    api_client.force_authenticate(london_hub_officer)
    before = snapshot()
    assert api_client.post(RESPONSES, {**body, "body": "x"}, format="json").status_code == 404
    neither = api_client.post(
        RESPONSES, {"consultation": consultation.pk, "position": "support", "body": "x"}
    )
    assert neither.status_code == 400
    assert snapshot() == before
    api_client.force_authenticate(nec_hub_officer)
    made = api_client.post(RESPONSES, {**body, "body": "<script>x</script>"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["hub"] == "north-east-and-cumbria"
    assert made.json()["region"] == "north"
    again = api_client.post(RESPONSES, {**body, "body": "Again"}, format="json")
    assert again.status_code == 409
    url = f"{RESPONSES}{made.json()['id']}/"
    changed = api_client.put(url, {"body": "Changed", "version": 1}, format="json")
    assert changed.json()["version"] == 2
    assert api_client.put(url, {"body": "x", "version": 1}, format="json").status_code == 409
    blank = api_client.put(url, {"body": "  ", "version": 2}, format="json")
    assert blank.status_code == 400
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get(url).status_code == 404
    assert api_client.put(url, {"body": "x", "version": 2}, format="json").status_code == 404
    assert api_client.get(RESPONSES).json()["count"] == 0


def test_the_region_and_nation_read_responses_and_hubs_their_own(
    api_client,
    consultation,
    nec_group,
    nec_hub_officer,
    london_group,
    london_hub_officer,
    north_reviewer,
    national_admin,
):
    group_answer(consultation, nec_group, nec_hub_officer)
    group_answer(consultation, london_group, london_hub_officer)
    counts = {}
    for user in (nec_hub_officer, london_hub_officer, north_reviewer, national_admin):
        api_client.force_authenticate(user)
        counts[user.email] = api_client.get(RESPONSES, {"consultation": consultation.pk}).json()[
            "count"
        ]
    assert list(counts.values()) == [1, 1, 1, 2]
    nec = ConsultationResponse.objects.get(group=nec_group)
    api_client.force_authenticate(north_reviewer)
    assert api_client.get(f"{RESPONSES}{nec.pk}/").status_code == 200
    assert (
        api_client.put(
            f"{RESPONSES}{nec.pk}/", {"body": "x", "version": 1}, format="json"
        ).status_code
        == 403
    )
    assert api_client.get(RESPONSES, {"consultation": "x"}).status_code == 400


def test_ccg_leads_answer_as_member_ccgs_only(
    api_client, consultation, nec_group, sunderland_member, sunderland_lead, northumberland_lead
):
    body = {"consultation": consultation.pk, "position": "comments", "body": "Our view"}
    api_client.force_authenticate(northumberland_lead)
    assert api_client.post(RESPONSES, {**body, "ccg": "00L"}, format="json").status_code == 403
    assert api_client.post(RESPONSES, {**body, "ccg": "00P"}, format="json").status_code == 403
    assert api_client.post(RESPONSES, {**body, "ccg": "ZZZZZ"}, format="json").status_code == 404
    api_client.force_authenticate(sunderland_lead)
    made = api_client.post(RESPONSES, {**body, "ccg": "00P"}, format="json")
    assert made.status_code == 201
    assert (made.json()["ccg"], made.json()["group"]) == ("00P", nec_group.pk)


def test_after_closing_responses_are_409(
    api_client, national_admin, nec_hub_officer, consultation, nec_group
):
    response = group_answer(consultation, nec_group, nec_hub_officer)
    consultations.consultation_close(by=national_admin, consultation=consultation, version=1)
    api_client.force_authenticate(nec_hub_officer)
    before = snapshot()
    late = api_client.put(
        f"{RESPONSES}{response.pk}/", {"body": "Late", "version": 1}, format="json"
    )
    assert late.status_code == 409
    assert "read-only" in late.json()["detail"]
    assert snapshot() == before


def test_the_schema_has_the_endpoints(api_client, national_admin):
    api_client.force_authenticate(national_admin)
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/consultations/",
        "/api/v1/consultations/{id}/",
        "/api/v1/consultations/{id}/close/",
        "/api/v1/consultations/{id}/extend/",
        "/api/v1/consultations/{id}/archive/",
        "/api/v1/consultation-responses/",
        "/api/v1/consultation-responses/{id}/",
    ):
        assert path in paths, path
    enums = schema.json()["components"]["schemas"]
    assert {"ConsultationPositionEnum", "ConsultationStateEnum"} <= set(enums)


def test_lists_are_bounded(
    api_client,
    national_admin,
    draft,
    nec_group,
    nec_hub_officer,
    london_group,
    london_hub_officer,
    django_assert_max_num_queries,
):
    for i in range(5):
        made = open_consultation(national_admin, draft, title=f"C{i}")
        group_answer(made, nec_group, nec_hub_officer)
        group_answer(made, london_group, london_hub_officer)
    assert Consultation.objects.count() == 5
    for user in (national_admin, nec_hub_officer):
        api_client.force_authenticate(user)
        for url in (CONSULTATIONS, RESPONSES):
            with django_assert_max_num_queries(8):
                assert api_client.get(url).status_code == 200, url
