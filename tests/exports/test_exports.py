"""PDF exports: queued after commit, rendered once, private to the requester, recoverable."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import AuditEvent
from exports import services
from exports.models import Export
from tests.pdf_checks import assert_accessible_pdf, keep_pdf

pytestmark = pytest.mark.django_db

NEC = "north-east-and-cumbria"


def _request(user, **params) -> Export:
    return services.export_request(
        by=user,
        kind=Export.Kind.HUB_FOOTPRINT,
        params={"hub": NEC, "on": "", **params},
        title="NEC footprint",
    )


def test_hub_page_to_pdf(client, nec_hub_officer, django_capture_on_commit_callbacks):
    client.force_login(nec_hub_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:hub-footprint"), {"hub": NEC, "on": "2015-03-31"})
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert export.status == Export.Status.READY
    assert export.title == "North East and Cumbria footprint on 31 March 2015"
    assert export.filename == "north-east-and-cumbria-footprint-2015-03-31.pdf"
    page = client.get(export.get_absolute_url())
    assert b"Your PDF is ready" in page.content
    download = client.get(reverse("exports:export-download", args=[export.pk]))
    assert download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(verb="export.requested", actor=nec_hub_officer).exists()


def test_the_pdf_says_what_the_page_says(nec_hub_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = _request(nec_hub_officer, on="2015-03-31")
    export.refresh_from_db()
    data = export.file.open("rb").read()
    keep_pdf(data, "hub-footprint")
    pages = assert_accessible_pdf(data, title="North East and Cumbria").pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "13 Clinical Commissioning Groups" in text
    assert "NHS Sunderland CCG" in text
    assert "Succeeded by NHS Newcastle Gateshead" in text
    assert "Page 1 of" in text
    # Dates in the NHS style (issue 13 §8): "1 April 2013", never "1 Apr 2013" or "01/04/2013".
    assert "CCGs open on 31 March 2015" in text
    assert "from 1 April 2013" in text
    assert "NHS Newcastle Gateshead CCG on 1 April 2015" in text
    assert " Apr 2013" not in text
    when = r"\d{1,2} [A-Z][a-z]+ \d{4} at (\d{1,2}(:\d\d)?[ap]m|midday|midnight)"
    assert re.search(f"Generated {when}", text)


def test_render_runs_once_however_often_it_is_queued(nec_hub_officer):
    export = _request(nec_hub_officer)  # no on_commit in this test: still queued
    assert export.status == Export.Status.QUEUED
    assert services.export_render(export_id=export.pk) is not None
    assert services.export_render(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.attempts == 1
    assert export.status == Export.Status.READY
    assert services.export_render(export_id=0) is None


def test_a_failed_render_is_recorded_not_hidden(nec_hub_officer):
    export = _request(nec_hub_officer, hub="no-such-hub")
    services.export_render(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert "No hub 'no-such-hub'" in export.error
    assert not export.file


def test_stale_renders_are_requeued_then_given_up(
    nec_hub_officer, django_capture_on_commit_callbacks
):
    export = _request(nec_hub_officer)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING, started_at=long_ago, attempts=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_requeue_stale() == 1
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING, started_at=long_ago, attempts=3
    )
    assert services.exports_requeue_stale() == 0
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert "Gave up after 3 attempts" in export.error


def test_recent_renders_are_left_alone(nec_hub_officer):
    export = _request(nec_hub_officer)
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING, started_at=timezone.now(), attempts=1
    )
    assert services.exports_requeue_stale() == 0


class WorkerKilled(BaseException):
    """Stands for SIGKILL mid-render: nothing in the run gets to handle it."""


def _killing_render(calls: list):
    def render(template, context):
        calls.append(template)
        raise WorkerKilled

    return render


def _run_killed(export: Export, task_id: str) -> None:
    with pytest.raises(WorkerKilled):
        services.export_render(export_id=export.pk, task_id=task_id)


def test_a_message_delivered_again_after_its_worker_was_lost_takes_the_render_back(
    nec_hub_officer, monkeypatch
):
    export = _request(nec_hub_officer)
    monkeypatch.setattr(services, "render_pdf", _killing_render([]))
    _run_killed(export, "task-1")
    export.refresh_from_db()
    assert (export.status, export.claim, export.attempts) == (Export.Status.RUNNING, "task-1", 1)
    monkeypatch.undo()
    # Another message (a requeue, a duplicate) or a run without an id finds it taken.
    assert services.export_render(export_id=export.pk, task_id="task-2") is None
    assert services.export_render(export_id=export.pk) is None
    export.refresh_from_db()
    assert (export.status, export.claim, export.attempts) == (Export.Status.RUNNING, "task-1", 1)
    # The same message, delivered again by the broker, takes it back: attempt 2.
    assert services.export_render(export_id=export.pk, task_id="task-1") is not None
    export.refresh_from_db()
    assert (export.status, export.claim, export.attempts) == (Export.Status.READY, "", 2)
    assert export.file
    assert services.export_render(export_id=export.pk, task_id="task-1") is None
    export.refresh_from_db()
    assert export.attempts == 2


def test_a_render_that_keeps_killing_its_worker_fails_after_max_attempts(
    nec_hub_officer, monkeypatch
):
    export = _request(nec_hub_officer)
    calls = []
    monkeypatch.setattr(services, "render_pdf", _killing_render(calls))
    for _ in range(services.MAX_ATTEMPTS):
        _run_killed(export, "task-1")
    failed = services.export_render(export_id=export.pk, task_id="task-1")
    assert len(calls) == services.MAX_ATTEMPTS  # not rendered a fourth time
    assert failed is not None
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert export.attempts == services.MAX_ATTEMPTS
    assert export.claim == ""
    assert f"Gave up after {services.MAX_ATTEMPTS} attempts" in export.error
    assert export.finished_at is not None
    assert services.export_render(export_id=export.pk, task_id="task-1") is None


def test_a_requeued_render_is_not_taken_back_by_the_lost_message(nec_hub_officer, monkeypatch):
    export = _request(nec_hub_officer)
    monkeypatch.setattr(services, "render_pdf", _killing_render([]))
    _run_killed(export, "task-1")
    monkeypatch.undo()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Export.objects.filter(pk=export.pk).update(started_at=long_ago)
    assert services.exports_requeue_stale() == 1  # its message is not sent: no commit here
    export.refresh_from_db()
    assert (export.status, export.claim) == (Export.Status.QUEUED, "")
    assert services.export_render(export_id=export.pk, task_id="task-2") is not None
    # Redis gives the lost message back after its visibility timeout: nothing to do.
    assert services.export_render(export_id=export.pk, task_id="task-1") is None
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Export.Status.READY, 2)


def test_only_a_running_export_holds_a_claim(nec_hub_officer):
    export = _request(nec_hub_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Export.objects.filter(pk=export.pk).update(claim="task-1")


def test_exports_are_private_to_their_requester(
    client, api_client, nec_hub_officer, london_hub_officer, national_admin
):
    """Only the requester reads an export, national admins included (issue 14 §8): on the
    page, the download and the API."""
    export = _request(nec_hub_officer)
    services.export_render(export_id=export.pk)
    detail = reverse("exports:export-detail", args=[export.pk])
    download = reverse("exports:export-download", args=[export.pk])
    api = f"/api/v1/exports/{export.pk}/"
    assert client.get(detail).status_code == 302
    client.force_login(nec_hub_officer)
    assert client.get(detail).status_code == 200
    assert client.get(download).status_code == 200
    assert b"NEC footprint" in client.get(reverse("exports:export-list")).content
    api_client.force_authenticate(nec_hub_officer)
    assert api_client.get(api).status_code == 200
    assert api_client.get("/api/v1/exports/").json()["count"] == 1
    for other in (london_hub_officer, national_admin):
        client.force_login(other)
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404
        assert b"NEC footprint" not in client.get(reverse("exports:export-list")).content
        api_client.force_authenticate(other)
        assert api_client.get(api).status_code == 404
        assert api_client.get("/api/v1/exports/").json()["count"] == 0


def test_national_admins_see_an_exports_record_but_not_its_pdf_in_the_admin(
    client, nec_hub_officer, national_admin
):
    export = _request(nec_hub_officer)
    services.export_render(export_id=export.pk)
    export.refresh_from_db()
    assert export.file
    client.force_login(national_admin)
    page = client.get(reverse("admin:exports_export_change", args=[export.pk]))
    assert page.status_code == 200
    assert b"NEC footprint" in page.content
    assert export.file.name.encode() not in page.content
    assert export.filename.encode() not in page.content


def test_an_unknown_hub_shows_the_form_again_with_the_error_beside_the_field(
    client, nec_hub_officer
):
    """Issue 14 §4: `hub=a b` answered 500 (NoReverseMatch on the raw value)."""
    client.force_login(nec_hub_officer)
    response = client.post(reverse("exports:hub-footprint"), {"hub": "a b", "on": ""})
    assert response.status_code == 400
    assert not Export.objects.exists()
    page = response.content.decode()
    assert 'id="id_hub_error"' in page
    assert "Choose a hub" in page
    assert "There is a problem" in page
    # Choosing a hub from the form shown makes the export.
    made = client.post(reverse("exports:hub-footprint"), {"hub": NEC, "on": ""})
    assert made.status_code == 302
    assert Export.objects.get().requested_by == nec_hub_officer


def test_bad_export_request_changes_nothing(client, nec_hub_officer):
    client.force_login(nec_hub_officer)
    response = client.post(reverse("exports:hub-footprint"), {"hub": NEC, "on": "31/31/2015"})
    assert response.status_code == 302
    assert not Export.objects.exists()
    page = client.get(response["Location"])
    assert b"Enter a real date" in page.content
    assert client.get(reverse("exports:hub-footprint")).status_code == 405


def test_export_list_queries_are_bounded(client, nec_hub_officer, django_assert_max_num_queries):
    for _ in range(30):
        _request(nec_hub_officer)
    client.force_login(nec_hub_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("exports:export-list"))
    assert len(response.context["page"].object_list) == 25


def test_exports_api(
    api_client, nec_hub_officer, london_hub_officer, django_capture_on_commit_callbacks
):
    assert api_client.get("/api/v1/exports/").status_code == 401
    api_client.force_authenticate(nec_hub_officer)
    bad = api_client.post("/api/v1/exports/", {"hub": "atlantis"}, format="json")
    assert bad.status_code == 400
    assert "hub" in bad.json()
    with django_capture_on_commit_callbacks(execute=True):
        made = api_client.post("/api/v1/exports/", {"hub": NEC}, format="json")
    assert made.status_code == 201
    export_id = made.json()["id"]
    body = api_client.get(f"/api/v1/exports/{export_id}/").json()
    assert body["status"] == "ready"
    assert body["download_url"] == reverse("exports:export-download", args=[export_id])
    api_client.force_authenticate(london_hub_officer)
    assert api_client.get(f"/api/v1/exports/{export_id}/").status_code == 404
    assert api_client.get("/api/v1/exports/").json()["count"] == 0


def test_a_passing_fault_is_retried_then_reported(
    nec_hub_officer, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def broken(template, context):
        calls.append(template)
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        export = _request(nec_hub_officer)
    export.refresh_from_db()
    assert len(calls) == services.MAX_ATTEMPTS
    assert export.status == Export.Status.FAILED
    assert export.attempts == services.MAX_ATTEMPTS
    assert "disk full" in export.error


def test_broker_down_records_the_export_and_it_is_made_once_back(
    client, nec_hub_officer, django_capture_on_commit_callbacks, monkeypatch
):
    """Redis stopped: the page still answers, the export waits as queued (honestly shown), and
    once the broker is back the beat's requeue makes it, once."""
    from kombu.exceptions import OperationalError

    from exports.tasks import export_render

    real = export_render.apply_async

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(export_render, "apply_async", broker_down)
    client.force_login(nec_hub_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:hub-footprint"), {"hub": NEC, "on": ""})
    export = Export.objects.get()
    assert response.status_code == 302
    assert export.status == Export.Status.QUEUED
    assert b"Queued" in client.get(export.get_absolute_url()).content
    # The broker is back; the beat task runs a few minutes later.
    monkeypatch.setattr(export_render, "apply_async", real)
    later = timezone.now() + datetime.timedelta(minutes=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_requeue_stale(now=later) == 1
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    assert export.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.exports_requeue_stale(now=later)
    export.refresh_from_db()
    assert export.attempts == 1
