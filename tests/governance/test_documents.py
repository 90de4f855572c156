"""Governance documents: versions, agreement, frozen records, uploads by content, access."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commissioning.concurrency import ConflictError
from governance import services
from governance.models import DocumentVersion
from governance.selectors import agreed_terms_of_reference, agreed_versions
from governance.services import DocumentError
from hubs.models import CCG
from oversight import services as group_services
from tests.factories import make_group

pytestmark = pytest.mark.django_db

START = datetime.date(2015, 4, 1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def group(nec_hub_officer):
    return make_group(by=nec_hub_officer)


def draft(group, by, **fields):
    return services.version_draft_create(
        by=by,
        group=group,
        kind=fields.pop("kind", "terms_of_reference"),
        body=fields.pop("body", "Terms."),
        **fields,
    )


def agree(version, by, day=START):
    return services.version_agree(
        by=by,
        version_obj=version,
        version=version.version,
        agreed_on=day,
        agreed_at_meeting="April meeting",
    )


def test_agreeing_supersedes_the_previous_version(group, nec_hub_officer):
    first = agree(draft(group, nec_hub_officer, quorum_min_ccg_members=2), nec_hub_officer)
    assert agreed_terms_of_reference(group) == first
    second = draft(group, nec_hub_officer, body="Revised terms.", quorum_min_ccg_members=4)
    assert second.number == 2
    assert agreed_terms_of_reference(group) == first  # a draft changes nothing yet
    agree(second, nec_hub_officer, datetime.date(2015, 10, 1))
    first.refresh_from_db()
    assert first.status == DocumentVersion.Status.SUPERSEDED
    assert agreed_terms_of_reference(group).quorum_min_ccg_members == 4
    assert DocumentVersion.objects.count() == 2


def test_agreed_versions_are_frozen(group, nec_hub_officer):
    version = agree(draft(group, nec_hub_officer), nec_hub_officer)
    with pytest.raises(DocumentError, match="cannot change"):
        services.version_update(
            by=nec_hub_officer, version_obj=version, version=version.version, body="Sneaky edit"
        )
    with pytest.raises(DocumentError, match="Only a draft"):
        agree(version, nec_hub_officer)
    version.refresh_from_db()
    assert version.body == "Terms."


def test_two_editors_of_one_draft(group, nec_hub_officer):
    version = draft(group, nec_hub_officer)
    opened = version.version
    services.version_update(
        by=nec_hub_officer, version_obj=version, version=opened, body="Helen's text"
    )
    with pytest.raises(ConflictError) as raised:
        services.version_update(
            by=nec_hub_officer, version_obj=version, version=opened, body="Sam's text"
        )
    assert "Text is now “Helen's text”" in raised.value.message
    version.refresh_from_db()
    assert version.body == "Helen's text"


def test_a_draft_needs_text_or_a_file(group, nec_hub_officer):
    with pytest.raises(DocumentError, match="Write the text, or upload") as raised:
        draft(group, nec_hub_officer, body=" ")
    assert raised.value.field == "body"


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("terms.pdf", PDF_BYTES, "application/pdf"),
        (
            "agreement.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_pdf_and_docx_are_accepted_by_content(group, nec_hub_officer, name, content, expected_type):
    upload = SimpleUploadedFile(f"../../etc/{name}", content)
    version = draft(group, nec_hub_officer, body="", file=upload)
    assert version.content_type == expected_type
    stored = version.file.name.rsplit("/", 1)[-1]
    assert ".." not in version.file.name
    assert stored.startswith(name.split(".")[0] + "-")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "must be a PDF or a Word document"),
        ("fake.docx", b"PK\x03\x04not really a zip", "must be a PDF or a Word document"),
        ("notes.txt", b"Just text", "must be a PDF or a Word document"),
    ],
)
def test_other_files_are_refused(group, nec_hub_officer, name, content, message):
    with pytest.raises(DocumentError, match=message) as raised:
        draft(group, nec_hub_officer, body="", file=SimpleUploadedFile(name, content))
    assert raised.value.field == "file"
    assert not DocumentVersion.objects.exists()


def test_oversized_files_are_refused(group, nec_hub_officer, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    with pytest.raises(DocumentError, match="smaller than 1 MB"):
        draft(group, nec_hub_officer, body="", file=big)


def test_exe_renamed_pdf_is_refused_by_the_form(client, group, nec_hub_officer):
    client.force_login(nec_hub_officer)
    response = client.post(
        reverse("governance:draft-create", args=[group.pk, "terms_of_reference"]),
        {
            "body": "",
            "quorum_chair_or_vice_required": "yes",
            "quorum_min_ccg_members": "3",
            "file": SimpleUploadedFile("terms.pdf", b"MZ\x90\x00" + b"\x00" * 64),
        },
    )
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert "must be a PDF or a Word document" in html
    assert not DocumentVersion.objects.exists()


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("roleless_user", 404, 404),
        ("london_hub_officer", 404, 404),
        ("sunderland_lead", 200, 403),
        ("north_reviewer", 200, 403),
        ("nec_hub_officer", 200, 200),
    ],
)
def test_documents_access_ladder(client, request, group, nec_hub_officer, persona, read, write):
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    version = draft(group, nec_hub_officer, body="", file=SimpleUploadedFile("t.pdf", PDF_BYTES))
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("governance:documents", args=[group.pk])).status_code == read
    assert client.get(version.get_absolute_url()).status_code == read
    download = client.get(reverse("governance:version-download", args=[version.pk]))
    assert download.status_code == read
    if read == 200:
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF_BYTES
    assert client.get(reverse("governance:draft-edit", args=[version.pk])).status_code == write
    agreed = client.post(
        reverse("governance:version-agree", args=[version.pk]),
        {"version": version.version, "agreed_on": "2015-04-21", "agreed_at_meeting": "April"},
    )
    assert agreed.status_code == (302 if write == 200 else write)
    version.refresh_from_db()
    assert version.is_draft == (write != 200)


def test_anonymous_cannot_download(client, group, nec_hub_officer):
    version = draft(group, nec_hub_officer, body="", file=SimpleUploadedFile("t.pdf", PDF_BYTES))
    response = client.get(reverse("governance:version-download", args=[version.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pages_run_bounded_queries(client, group, nec_hub_officer, django_assert_max_num_queries):
    for kind in ("terms_of_reference", "collaboration_agreement"):
        for n in range(12):
            version = draft(group, nec_hub_officer, kind=kind, body=f"v{n}")
            if n % 3 == 0:
                agree(version, nec_hub_officer, START + datetime.timedelta(days=n))
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("governance:documents", args=[group.pk]))
    assert len(page.context["sections"][0]["versions"]) == 12
    with django_assert_max_num_queries(10):
        client.get(DocumentVersion.objects.first().get_absolute_url())
    statuses = agreed_versions([group])[group.pk]
    assert set(statuses) == {"terms_of_reference", "collaboration_agreement"}


def test_documents_api(api_client, group, nec_hub_officer, north_reviewer, london_hub_officer):
    body = {
        "group": group.pk,
        "kind": "terms_of_reference",
        "body": "Terms",
        "quorum_min_ccg_members": 2,
    }
    assert api_client.post("/api/v1/documents/", body, format="json").status_code == 401
    api_client.force_authenticate(london_hub_officer)
    assert api_client.post("/api/v1/documents/", body, format="json").status_code == 400
    api_client.force_authenticate(north_reviewer)
    assert api_client.post("/api/v1/documents/", body, format="json").status_code == 403
    api_client.force_authenticate(nec_hub_officer)
    made = api_client.post("/api/v1/documents/", body, format="json")
    assert made.status_code == 201
    version = made.json()
    assert (version["number"], version["status"]) == (1, "draft")
    agree_url = f"/api/v1/documents/{version['id']}/agree/"
    answer = {
        "version": version["version"],
        "agreed_on": "2015-04-21",
        "agreed_at_meeting": "April",
    }
    api_client.force_authenticate(north_reviewer)
    assert api_client.post(agree_url, answer, format="json").status_code == 403
    assert api_client.get("/api/v1/documents/").json()["count"] == 1
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.post(agree_url, answer, format="json").json()["status"] == "agreed"
    assert api_client.post(agree_url, answer, format="json").status_code == 409
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get("/api/v1/documents/").json()["count"] == 0
    assert api_client.get(f"/api/v1/documents/{version['id']}/").status_code == 404
