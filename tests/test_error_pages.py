"""Error responses: the service's own pages for people, JSON for API clients."""

import json

import pytest
from django.test import RequestFactory

from commissioning.views import page_not_found, server_error

pytestmark = pytest.mark.django_db


def test_server_error_page_is_plain_and_reassuring():
    response = server_error(RequestFactory().get("/register/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "nhsuk-frontend.min.css" in html


def test_api_errors_are_json():
    response = server_error(RequestFactory().get("/api/v1/ccgs/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "Server error. Nothing was changed."}
    missing = page_not_found(RequestFactory().get("/api/v1/nothing/"), Exception())
    assert missing.status_code == 404
    assert json.loads(missing.content) == {"detail": "Not found."}


def test_unknown_api_path_is_a_json_404(client, sunderland_lead):
    client.force_login(sunderland_lead)
    response = client.get("/api/v1/ccgs/not-a-code/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_forbidden_page_explains_itself(client, sunderland_lead):
    client.force_login(sunderland_lead)
    response = client.get("/people/")
    assert response.status_code == 403
    assert b"ask a national admin" in response.content
    assert b'href="#maincontent"' in response.content


@pytest.mark.parametrize(
    ("method", "path", "data", "content_type"),
    [
        ("get", "/api/v1/ccgs/?q=%00", None, None),
        (
            "post",
            "/api/v1/role-assignments/",
            '{"email": "a@b.nhs.uk", "hub": "lon\\u0000don"}',
            "application/json",
        ),
        (
            "post",
            "/accounts/login/",
            "username=a%00b&password=x",
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_nul_characters_are_refused_before_the_database(
    client, national_admin, method, path, data, content_type
):
    from accounts.models import RoleAssignment

    client.force_login(national_admin)
    before = RoleAssignment.objects.count()
    kwargs = {"content_type": content_type} if content_type else {}
    response = getattr(client, method)(path, data, **kwargs) if data else client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.content
    assert RoleAssignment.objects.count() == before


def test_nul_in_a_multipart_text_field_is_refused_but_files_may_hold_them(client, nec_hub_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(nec_hub_officer)
    response = client.post("/api/v1/exports/", {"kind": "hub_footprint", "hub": "\x00nec"})
    assert response.status_code == 400
    assert b"NUL" in response.content
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\x00\x00binary", content_type="application/pdf")
    response = client.post("/api/v1/exports/", {"kind": "hub_footprint", "file": upload})
    assert b"NUL" not in response.content


def test_a_request_django_refuses_is_a_json_400_under_the_api(client, national_admin, settings):
    """A body Django itself refuses (here: more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, a
    SuspiciousOperation) answers JSON under /api/, as schemathesis expects, not Django's page."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    client.force_login(national_admin)
    body = "&".join(f"f{n}=x" for n in range(5))
    api = client.generic(
        "POST", "/api/v1/exports/", body, content_type="application/x-www-form-urlencoded"
    )
    assert api.status_code == 400
    assert api["Content-Type"] == "application/json"
    assert api.json() == {"detail": "The request could not be read."}
    page = client.generic(
        "POST", "/exports/hub-footprint/", body, content_type="application/x-www-form-urlencoded"
    )
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
