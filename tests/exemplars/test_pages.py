"""The exemplar pages (issue 16 item 4): who sees and changes what on every page, bad input
beside its field with nothing changed, a stale edit shown as a conflict, and queries that do
not grow with the data."""

import datetime

import pytest
from django.urls import reverse

from exemplars import services
from exemplars.models import Exemplar

from .conftest import LSC_DAY, START, ccg, fresh, pdf, programme, snapshot

pytestmark = pytest.mark.django_db

READERS = ["nenc_ics_lead", "nenc_icb_lead", "sunderland_lead", "national_admin"]
WRITERS = ["nec_hub_officer", "north_reviewer"]
OUTSIDERS = ["london_hub_officer", "west_midlands_officer", "roleless_user"]


def reads(exemplar: Exemplar) -> list[str]:
    version = exemplar.report_versions.get()
    return [
        reverse("exemplars:list", args=[exemplar.system_id]),
        exemplar.get_absolute_url(),
        reverse("exemplars:report-download", args=[version.pk]),
    ]


def writes(exemplar: Exemplar) -> list[tuple[str, str, dict]]:
    """Each form page (name, URL, a POST a writer would make)."""
    service = exemplar.services.get(specialised=False)
    participant = exemplar.participants.get()
    milestone = exemplar.milestones.get()
    recommendation = exemplar.recommendations.get()
    pk = exemplar.pk
    return [
        (
            "create",
            reverse("exemplars:create", args=[exemplar.system_id]),
            {"title": "Stroke pathway", "pathway": "Stroke", "start_date": "2019-04-01"},
        ),
        (
            "edit",
            reverse("exemplars:edit", args=[pk]),
            {
                "title": "Cardiology",
                "pathway": "Cardiology",
                "start_date": "2018-07-01",
                "version": exemplar.version,
            },
        ),
        (
            "close",
            reverse("exemplars:close", args=[pk]),
            {"closed_on": "2019-06-30", "reason": "Done", "version": exemplar.version},
        ),
        (
            "service-create",
            reverse("exemplars:service-create", args=[pk]),
            {"name": "Cardiac rehabilitation", "specialised": "no"},
        ),
        (
            "service-edit",
            reverse("exemplars:service-edit", args=[service.pk]),
            {"name": service.name, "specialised": "no", "removed": "on", "version": 1},
        ),
        (
            "participant-create",
            reverse("exemplars:participant-create", args=[pk]),
            {
                "name": "Bob",
                "role": "Clinical lead",
                "organisation": "NUTH",
                "joined_on": "2018-09-26",
            },
        ),
        (
            "participant-edit",
            reverse("exemplars:participant-edit", args=[participant.pk]),
            {
                "name": participant.name,
                "role": "Chair of scoping",
                "commissioner": "00P",
                "joined_on": "2018-09-26",
                "version": 1,
            },
        ),
        (
            "milestone-create",
            reverse("exemplars:milestone-create", args=[pk]),
            {"title": "Scoping report to the Joint CCG Committee", "due_on": "2019-01-15"},
        ),
        (
            "milestone-edit",
            reverse("exemplars:milestone-edit", args=[milestone.pk]),
            {
                "title": milestone.title,
                "due_on": "2018-09-26",
                "done_on": "2018-09-27",
                "version": 1,
            },
        ),
        (
            "report-create",
            reverse("exemplars:report-create", args=[pk]),
            {"text": "Options appraisal added.", "change_summary": "Version 2"},
        ),
        (
            "decision-create",
            reverse("exemplars:decision-create", args=[recommendation.pk]),
            {"decision": "agreed", "decided_on": "2019-01-20", "version": 1},
        ),
    ]


NAMES = [
    "create",
    "edit",
    "close",
    "service-create",
    "service-edit",
    "participant-create",
    "participant-edit",
    "milestone-create",
    "milestone-edit",
    "report-create",
    "decision-create",
]
EXTRA_WRITES = ["scoped", "recommendation-create"]


def every_write_url(exemplar: Exemplar) -> list[str]:
    urls = [url for _, url, _ in writes(exemplar)]
    urls += [reverse(f"exemplars:{name}", args=[exemplar.pk]) for name in EXTRA_WRITES]
    return urls


# --- who may do what ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_every_page(client, full):
    before = snapshot()
    for url in reads(full) + every_write_url(full):
        for response in [client.get(url), client.post(url, {"title": "Nope"})]:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
    assert snapshot() == before


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_see_nothing_404(client, request, full, who):
    client.force_login(request.getfixturevalue(who))
    before = snapshot()
    for url in reads(full) + every_write_url(full):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "Nope"}).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("who", READERS)
def test_readers_read_every_page_and_change_nothing_403(client, request, full, who):
    client.force_login(request.getfixturevalue(who))
    for url in reads(full):
        assert client.get(url).status_code == 200, url
    page = client.get(full.get_absolute_url()).content.decode()
    assert reverse("exemplars:edit", args=[full.pk]) not in page
    assert "Add a service" not in page
    listing = client.get(reads(full)[0]).content.decode()
    assert "Start an exemplar project" not in listing
    before = snapshot()
    for name, url, data in writes(full):
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name
    for name in EXTRA_WRITES:
        url = reverse(f"exemplars:{name}", args=[full.pk])
        assert client.post(url, {"version": full.version}).status_code == 403, name
    assert snapshot() == before


@pytest.mark.parametrize("who", WRITERS)
@pytest.mark.parametrize("form", range(len(NAMES)), ids=NAMES)
def test_writers_use_every_form(client, request, full, who, form):
    client.force_login(request.getfixturevalue(who))
    name, url, data = writes(full)[form]
    assert client.get(url).status_code == 200, name
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 302, (name, response.content.decode()[:3000])
    assert snapshot() != before
    page = client.get(full.get_absolute_url())
    assert page.status_code == 200


def test_writers_see_the_links_readers_do_not(client, full, nec_hub_officer):
    client.force_login(nec_hub_officer)
    page = client.get(full.get_absolute_url()).content.decode()
    for name in ["edit", "close", "service-create", "participant-create", "milestone-create"]:
        assert reverse(f"exemplars:{name}", args=[full.pk]) in page, name
    assert reverse("exemplars:decision-create", args=[full.recommendations.get().pk]) in page
    # The history: every change to the project and its parts, with who made it.
    assert "Service added to the pathway (Adult congenital heart disease) by Helen Carter" in page
    assert "Scoping report version added (Scoping report version 1)" in page
    assert "Project started by Helen Carter" in page


def test_the_system_page_links_its_exemplars_for_those_who_follow_it(
    client, full, nenc_ics_lead, london_hub_officer
):
    url = reverse("exemplars:list", args=[full.system_id])
    client.force_login(nenc_ics_lead)
    assert url in client.get(full.system.get_absolute_url()).content.decode()
    client.force_login(london_hub_officer)
    assert url not in client.get(full.system.get_absolute_url()).content.decode()


def test_scoping_then_a_recommendation_through_the_pages(client, cardiology, north_reviewer):
    client.force_login(north_reviewer)
    services.report_version_add(
        by=north_reviewer, exemplar=cardiology, text="Draft", change_summary="First version"
    )
    scoped = client.post(reverse("exemplars:scoped", args=[cardiology.pk]), {"version": 1})
    assert scoped.status_code == 302
    assert fresh(cardiology).status == "scoped"
    made = client.post(
        reverse("exemplars:recommendation-create", args=[cardiology.pk]),
        {"to": "joint_ccg_committee", "text": "Pool the budget", "made_on": "2019-01-15"},
    )
    assert made.status_code == 302
    assert fresh(cardiology).status == "recommended"
    page = client.get(cardiology.get_absolute_url()).content.decode()
    assert "To the Joint CCG Committee, 15 January 2019" in page
    assert "Awaiting decision" in page


def test_the_report_is_served_only_as_a_download_to_readers(client, full, nenc_ics_lead):
    client.force_login(nenc_ics_lead)
    version = full.report_versions.get()
    response = client.get(reverse("exemplars:report-download", args=[version.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- bad input ---------------------------------------------------------------------------------


def posted_error(client, url: str, data: dict, field: str, text: str, files=None) -> None:
    """POST `data`: the page comes back with `text` beside `field`, and nothing changed."""
    before = snapshot()
    response = client.post(url, {**data, **(files or {})})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    marker = f'id="id_{field}_error">'
    assert marker in html, html[:4000]
    beside = html.split(marker, 1)[1].split("</span>", 2)[1]
    assert text in beside
    assert snapshot() == before


def test_bad_input_goes_beside_its_field(client, full, nec_hub_officer):
    client.force_login(nec_hub_officer)
    pk = full.pk
    participant = reverse("exemplars:participant-create", args=[pk])
    posted_error(
        client,
        participant,
        {"name": "Ann", "role": "Rep", "commissioner": "84H", "joined_on": "2018-09-26"},
        "commissioner",
        "NHS County Durham CCG was not in North East and North Cumbria ICS on 26 September 2018",
    )
    posted_error(
        client,
        reverse("exemplars:milestone-create", args=[pk]),
        {"title": "Scoping", "due_on": "2018-09-26", "done_on": "2018-06-01"},
        "done_on",
        "cannot be before the project started",
    )
    posted_error(
        client,
        reverse("exemplars:service-create", args=[pk]),
        {"name": "Adult congenital heart disease surgery", "specialised": "yes"},
        "programme",
        "Choose the Programme of Care",
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = reverse("exemplars:report-create", args=[pk])
    posted_error(
        client,
        report,
        {"change_summary": "Version 2"},
        "file",
        "The file is empty",
        files={"file": SimpleUploadedFile("empty.pdf", b"")},
    )
    posted_error(
        client,
        report,
        {"change_summary": "Version 2"},
        "file",
        "must be a PDF or a Word",
        files={"file": SimpleUploadedFile("report.exe", b"MZ\x90\x00" * 20)},
    )
    posted_error(client, report, {"change_summary": "Version 2"}, "file", "Upload the report")
    posted_error(
        client,
        reverse("exemplars:create", args=[full.system_id]),
        {"title": "", "pathway": "Stroke", "start_date": "2019-04-01"},
        "title",
        "Enter the project",
    )


def test_a_stale_edit_shows_the_conflict_and_changes_nothing(client, full, nec_hub_officer):
    client.force_login(nec_hub_officer)
    services.exemplar_update(
        by=nec_hub_officer, exemplar=full, version=full.version, title="Cardiology exemplar"
    )
    before = snapshot()
    response = client.post(
        reverse("exemplars:edit", args=[full.pk]),
        {
            "title": "Mine",
            "pathway": "Cardiology",
            "start_date": "2018-07-01",
            "version": full.version,
        },
    )
    assert response.status_code == 200
    assert "saved this while you were editing" in response.content.decode()
    assert snapshot() == before


def test_an_upload_through_the_page_adds_version_one(client, cardiology, nec_hub_officer):
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("exemplars:report-create", args=[cardiology.pk]),
        {"file": pdf(), "change_summary": "First version"},
    )
    assert response.status_code == 302
    version = cardiology.report_versions.get()
    assert version.number == 1
    assert version.original_filename == "scoping-report.pdf"


# --- bounded queries ---------------------------------------------------------------------------


def _grow(exemplar, by, n: int) -> None:
    for i in range(n):
        services.service_add(
            by=by,
            exemplar=exemplar,
            name=f"Specialised service {i}",
            specialised=True,
            programme=programme("Internal Medicine"),
        )
        services.service_add(by=by, exemplar=exemplar, name=f"Local service {i}", specialised=False)
        services.participant_add(
            by=by,
            exemplar=exemplar,
            name=f"Person {i}",
            role="Rep",
            commissioner=ccg("00P"),
            joined_on=LSC_DAY,
        )
        services.milestone_add(by=by, exemplar=exemplar, title=f"Step {i}", due_on=LSC_DAY)
        services.report_version_add(
            by=by, exemplar=exemplar, text=f"Draft {i}", change_summary=f"Version {i}"
        )


def test_detail_queries_are_bounded(client, full, nec_hub_officer, django_assert_max_num_queries):
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(30) as small:
        client.get(full.get_absolute_url())
    limit = len(small.captured_queries)
    _grow(full, nec_hub_officer, 5)
    with django_assert_max_num_queries(limit):
        response = client.get(full.get_absolute_url())
    assert len(response.context["participants"]) == 6
    assert len(response.context["report_versions"]) == 6


def test_list_queries_are_bounded(
    client, full, nenc, nec_hub_officer, django_assert_max_num_queries
):
    client.force_login(nec_hub_officer)
    url = reverse("exemplars:list", args=[nenc.pk])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    limit = len(small.captured_queries)
    for i in range(4):
        other = services.exemplar_create(
            by=nec_hub_officer,
            system=nenc,
            title=f"Pathway {i}",
            pathway="Renal",
            start_date=START + datetime.timedelta(days=i),
        )
        _grow(other, nec_hub_officer, 2)
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert len(response.context["exemplars"]) == 5
