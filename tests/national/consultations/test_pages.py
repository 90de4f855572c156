"""Consultation pages (issue 17, "What to build" 3): a permission ladder (anonymous, roleless,
another hub, the hub, the region, national admins), the national team's forms, answering for a
group or as a member CCG, refusals beside their field with nothing changed, escaping, the
summary by region and hub with its CSV, My work, and query counts that do not grow."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from national import consultations
from national.models import Consultation, ConsultationResponse

from .conftest import CLOSES, group_answer, open_consultation, snapshot

pytestmark = pytest.mark.django_db


def as_user(client, request, name):
    user = request.getfixturevalue(name)
    client.force_login(user)
    return user


def respond_url(consultation, group):
    return reverse("national:consultation-respond-group", args=[consultation.pk, group.pk])


def test_anonymous_is_sent_to_sign_in(client, consultation):
    for url in [reverse("national:consultation-list"), consultation.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_person_with_no_role_sees_nothing(client, roleless_user, consultation):
    client.force_login(roleless_user)
    assert client.get(reverse("national:consultation-list")).status_code == 403
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_responses_are_read_by_hub_region_and_nation_only(
    client, request, consultation, nec_group, nec_hub_officer, london_group
):
    group_answer(consultation, nec_group, nec_hub_officer, body="North East view: agreed.")
    seen = {}
    for name in ["london_hub_officer", "nec_hub_officer", "north_reviewer", "national_admin"]:
        as_user(client, request, name)
        page = client.get(consultation.get_absolute_url())
        assert page.status_code == 200, name
        seen[name] = ("North East view" in page.text, 'id="responses-by-hub"' in page.text)
    assert seen == {
        "london_hub_officer": (False, False),  # another hub: not its response
        "nec_hub_officer": (True, False),  # its own group's, no national summary
        "north_reviewer": (True, True),  # the region's team: its region's hubs
        "national_admin": (True, True),
    }


def test_the_region_sees_its_own_region_only(client, north_reviewer, consultation, london_group):
    client.force_login(north_reviewer)
    table = client.get(consultation.get_absolute_url()).text
    assert "North East and Cumbria" in table
    assert "London" not in table.split('id="responses-by-hub"')[1]
    rows = list(csv.reader(io.StringIO(client.get(_csv(consultation)).content.decode())))
    assert {r[0] for r in rows[1:]} == {"North"}


def _csv(consultation):
    return reverse("national:consultation-csv", args=[consultation.pk])


def test_hubs_get_no_csv(client, nec_hub_officer, consultation):
    client.force_login(nec_hub_officer)
    assert client.get(_csv(consultation)).status_code == 403


@pytest.mark.parametrize(
    "name", ["sunderland_lead", "nec_hub_officer", "london_hub_officer", "north_reviewer"]
)
def test_only_national_admins_keep_consultations(client, request, name, consultation, crg):
    as_user(client, request, name)
    for url in [
        reverse("national:consultation-create", args=[crg.pk]),
        reverse("national:consultation-edit", args=[consultation.pk]),
        reverse("national:consultation-close", args=[consultation.pk]),
        reverse("national:consultation-extend", args=[consultation.pk]),
        reverse("national:consultation-archive", args=[consultation.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"version": 1}).status_code == 403, url
    page = client.get(consultation.get_absolute_url()).text
    assert "Close it early" not in page


def _open_form(draft, **changes):
    data = {
        "document_version": draft.pk,
        "title": "Draft for consultation",
        "summary": "What changed.",
        "questions": "Is it right?",
        "opens_on": "2016-03-10",
        "closes_on": "2016-04-10",
    }
    data.update(changes)
    return data


def test_a_national_admin_opens_one_from_the_crg(client, national_admin, crg, draft):
    client.force_login(national_admin)
    crg_page = client.get(crg.get_absolute_url()).text
    create = reverse("national:consultation-create", args=[crg.pk])
    assert create in crg_page
    assert f"{reverse('national:consultation-list')}?crg={crg.pk}" in crg_page
    before = snapshot()
    refused = client.post(create, _open_form(draft, closes_on="2016-03-01"))
    assert refused.status_code == 200
    assert "is in the past" in refused.text
    assert 'id="id_closes_on_error"' in refused.text
    assert snapshot() == before
    made = client.post(create, _open_form(draft))
    consultation = Consultation.objects.get()
    assert made["Location"] == consultation.get_absolute_url()
    listing = client.get(reverse("national:consultation-list") + f"?crg={crg.pk}").text
    assert consultation.title in listing


def test_edit_close_extend_and_archive(client, national_admin, consultation):
    client.force_login(national_admin)
    edit = reverse("national:consultation-edit", args=[consultation.pk])
    form = {"title": "New title", "summary": "S", "questions": "Q", "version": 1}
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, {**form, "title": "Other"})
    assert "saved this while you were editing" in stale.text
    close = reverse("national:consultation-close", args=[consultation.pk])
    assert client.post(close, {"version": 2}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.closed_early_on == datetime.date(2016, 3, 10)
    extend = reverse("national:consultation-extend", args=[consultation.pk])
    past = client.post(extend, {"version": 3, "closes_on": "2016-03-01"})
    assert "in the past" in past.text
    assert client.post(extend, {"version": 3, "closes_on": "2016-04-30"}).status_code == 302
    archive = reverse("national:consultation-archive", args=[consultation.pk])
    assert client.post(archive, {"version": 4}).status_code == 302
    consultation.refresh_from_db()
    assert (consultation.archived, consultation.closes_on) == (True, datetime.date(2016, 4, 30))


def test_archived_is_for_national_admins_only(
    client, national_admin, nec_hub_officer, consultation
):
    consultations.consultation_archive(by=national_admin, consultation=consultation, version=1)
    client.force_login(nec_hub_officer)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    assert consultation.title not in client.get(reverse("national:consultation-list")).text
    client.force_login(national_admin)
    assert consultation.title in client.get(reverse("national:consultation-list")).text


def test_a_hub_officer_answers_for_the_group_and_changes_it(
    client, nec_hub_officer, consultation, nec_group
):
    client.force_login(nec_hub_officer)
    page = client.get(consultation.get_absolute_url()).text
    url = respond_url(consultation, nec_group)
    assert url in page
    before = snapshot()
    empty = client.post(url, {"position": "support", "body": "   "})
    assert 'id="id_body_error"' in empty.text
    assert snapshot() == before
    sent = client.post(url, {"position": "support_with_changes", "body": "<b>Agreed</b>"})
    assert sent.status_code == 302
    response = ConsultationResponse.objects.get()
    assert (response.group, response.ccg, response.body) == (nec_group, None, "<b>Agreed</b>")
    page = client.get(consultation.get_absolute_url()).text
    assert "&lt;b&gt;Agreed&lt;/b&gt;" in page
    assert "<b>Agreed</b>" not in page
    form = client.get(url).text
    assert 'name="version" value="1"' in form
    client.post(url, {"position": "support", "body": "Changed", "version": 1})
    stale = client.post(url, {"position": "support", "body": "Again", "version": 1})
    assert "saved this while you were editing" in stale.text
    response.refresh_from_db()
    assert (response.body, response.version) == ("Changed", 2)


def test_who_may_not_answer_for_a_group_gets_403_or_404_never_the_form(
    client, london_hub_officer, north_reviewer, national_admin, consultation, nec_group
):
    url = respond_url(consultation, nec_group)
    client.force_login(london_hub_officer)  # does not see the North's group at all
    assert client.get(url).status_code == 404
    assert client.post(url, {"position": "support", "body": "x"}).status_code == 404
    for reader in (north_reviewer, national_admin):  # see the group, do not run it
        client.force_login(reader)
        assert client.get(url).status_code == 403
        assert client.post(url, {"position": "support", "body": "x"}).status_code == 403
    unknown = reverse("national:consultation-respond-group", args=[consultation.pk, 999999])
    assert client.get(unknown).status_code == 404
    assert not ConsultationResponse.objects.exists()


def test_a_member_ccg_lead_answers_and_a_non_member_cannot(
    client, consultation, nec_group, sunderland_member, sunderland_lead, northumberland_lead
):
    client.force_login(sunderland_lead)
    page = client.get(consultation.get_absolute_url()).text
    url = reverse("national:consultation-respond-ccg", args=[consultation.pk, "00P"])
    assert url in page
    assert respond_url(consultation, nec_group) not in page  # not for the group
    assert client.post(url, {"position": "comments", "body": "Travel times."}).status_code == 302
    assert ConsultationResponse.objects.get().ccg.ods_code == "00P"
    client.force_login(northumberland_lead)
    own = reverse("national:consultation-respond-ccg", args=[consultation.pk, "00L"])
    assert client.get(own).status_code == 403
    assert client.get(url).status_code == 403
    assert "Travel times" not in client.get(consultation.get_absolute_url()).text


def test_after_closing_responses_are_read_only(
    client, nec_hub_officer, consultation, nec_group, clock
):
    response = group_answer(consultation, nec_group, nec_hub_officer)
    clock.move_to(datetime.datetime(2016, 4, 2, 9, tzinfo=datetime.UTC), tick=False)
    client.force_login(nec_hub_officer)
    url = respond_url(consultation, nec_group)
    assert client.get(url)["Location"] == consultation.get_absolute_url()
    before = snapshot()
    refused = client.post(url, {"position": "support", "body": "Late", "version": 1})
    assert "closed on 31 March 2016" in refused.text
    assert snapshot() == before
    page = client.get(consultation.get_absolute_url()).text
    assert "the response is read-only" in page
    assert url not in page
    assert response.body in page


def test_the_summary_by_region_and_hub_and_its_csv(
    client, national_admin, consultation, nec_group, nec_hub_officer, london_group
):
    group_answer(consultation, nec_group, nec_hub_officer, body='=HYPERLINK("x")')
    client.force_login(national_admin)
    page = client.get(consultation.get_absolute_url()).text
    table = page.split('id="responses-by-hub"')[1].split("</table>")[0]
    for name in ["North East and Cumbria", "London", "Wessex", "Not responded", "NEC Oversight"]:
        assert name in table, name
    assert "1 of" in table
    download = client.get(_csv(consultation))
    assert download["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:3] == ["Region", "Hub", "Responded for"]
    assert len(rows) == 1 + 10  # every hub: nine not responded, one response
    nec = next(r for r in rows if r[1] == "North East and Cumbria")
    assert nec[2:6] == [
        "Oversight group",
        "NEC Oversight Group",
        "",
        "Supports the draft with changes",
    ]
    assert nec[-1] == '\'=HYPERLINK("x")'  # not run as a formula
    london = next(r for r in rows if r[1] == "London")
    assert london[2:4] == ["Not responded", "London Oversight Group"]


def test_the_list_shows_open_scheduled_and_closed(
    client, national_admin, nec_hub_officer, draft, consultation, nec_group
):
    later = open_consultation(national_admin, draft, title="Not yet", opens_on=CLOSES)
    client.force_login(nec_hub_officer)
    page = client.get(reverse("national:consultation-list")).text
    assert consultation.title in page.split('id="open-consultations"')[1]
    assert "not yet" in page.split('id="open-consultations"')[1]
    assert later.title not in page  # not yet open: the national team's only
    client.force_login(national_admin)
    page = client.get(reverse("national:consultation-list")).text
    assert later.title in page.split('id="scheduled-consultations"')[1]


def test_my_work_shows_the_open_consultation_to_answer(
    client, nec_hub_officer, consultation, nec_group
):
    client.force_login(nec_hub_officer)
    page = client.get(reverse("workspace:my-work")).text
    assert consultation.get_absolute_url() in page
    assert "respond by 31 March 2016" in page


def _more(admin, draft, nec_group, nec_hub_officer, london_group, london_hub_officer, n):
    for i in range(n):
        extra = open_consultation(admin, draft, title=f"Extra {i}")
        group_answer(extra, nec_group, nec_hub_officer)
        group_answer(extra, london_group, london_hub_officer)


@pytest.mark.parametrize(
    "name", ["national_admin", "north_reviewer", "nec_hub_officer", "sunderland_lead"]
)
def test_pages_queries_do_not_grow(
    client,
    request,
    name,
    national_admin,
    draft,
    consultation,
    nec_group,
    nec_hub_officer,
    london_group,
    london_hub_officer,
    sunderland_member,
    sunderland_lead,
    django_assert_max_num_queries,
):
    args = (national_admin, draft, nec_group, nec_hub_officer, london_group, london_hub_officer)
    _more(*args, 2)
    group_answer(consultation, nec_group, nec_hub_officer)
    as_user(client, request, name)
    urls = [
        reverse("national:consultation-list"),
        consultation.get_absolute_url(),
        reverse("workspace:my-work"),
    ]
    if name in ("national_admin", "north_reviewer"):
        urls.append(_csv(consultation))
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)
    _more(*args, 4)
    consultations.response_submit(
        by=sunderland_lead,
        consultation=consultation,
        group=nec_group,
        ccg=sunderland_member.ccg,
        position="support",
        body="Yes",
    )
    group_answer(consultation, london_group, london_hub_officer)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url + ("&" if "?" in url else "?") + "on=x").status_code == 200
