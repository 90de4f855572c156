"""A published version's PDF: made once after commit from the frozen content, stored on the
version, offered to the plan's readers, never replaced."""

from unittest import mock

import pytest
from django.urls import reverse
from pypdf import PdfReader

from priorities import services
from priorities.models import PlanVersion
from tests.priorities.helpers import OVERRIDE, included

pytestmark = pytest.mark.django_db


def _publish(plan, nec_hub_officer, north_reviewer, capture):
    plan = services.plan_update(
        by=nec_hub_officer, plan=plan, version=plan.version, context="As published"
    )
    plan = services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    with capture(execute=True):
        plan = services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    return plan, PlanVersion.objects.get(status="published")


def _text(file) -> str:
    pages = PdfReader(file).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_publishing_stores_the_pdf_of_the_frozen_version_once(
    plan,
    nec_hub_officer,
    north_reviewer,
    sunderland_lead,
    django_capture_on_commit_callbacks,
):
    included(plan, sunderland_lead, nec_hub_officer, "Two arterial centres")
    plan, version = _publish(
        plan, nec_hub_officer, north_reviewer, django_capture_on_commit_callbacks
    )
    assert version.pdf_rendered_at is not None
    assert version.pdf.name.endswith("north-east-and-cumbria-priorities-plan-2015-v2.pdf")
    text = _text(version.pdf.open("rb"))
    for expected in (
        "Priorities plan 2015/16",
        "As published",
        "Two arterial centres",
        "Published",
    ):
        assert expected in text
    # later changes to the plan do not touch the stored PDF, and a second run does nothing
    plan = services.plan_reopen(by=nec_hub_officer, plan=plan, version=plan.version, reason="Fix")
    services.plan_update(by=nec_hub_officer, plan=plan, version=plan.version, context="Changed")
    stored, made_at = version.pdf.name, version.pdf_rendered_at
    with mock.patch("priorities.services.pdf.render_pdf") as render:
        assert services.version_pdf_render(version_id=version.pk) is None
    render.assert_not_called()
    version.refresh_from_db()
    assert (version.pdf.name, version.pdf_rendered_at) == (stored, made_at)
    assert "Changed" not in _text(version.pdf.open("rb"))
    with pytest.raises(services.PlanError, match="never replaced"):
        services.version_pdf_retry(by=nec_hub_officer, version=version)


def test_a_claimed_render_is_not_made_twice(plan, nec_hub_officer, north_reviewer):
    plan = services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    plan = services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)  # not run
    version = PlanVersion.objects.get(status="published")
    assert not version.pdf
    from django.utils import timezone

    PlanVersion.objects.filter(pk=version.pk).update(pdf_started_at=timezone.now())
    with mock.patch("priorities.services.pdf.render_pdf") as render:
        assert services.version_pdf_render(version_id=version.pk) is None
    render.assert_not_called()
    submitted = PlanVersion.objects.get(status="submitted")
    assert services.version_pdf_render(version_id=submitted.pk) is None  # published only
    assert services.version_pdf_render(version_id=99999) is None  # gone: quietly nothing


def test_a_failed_render_is_reported_and_can_be_asked_for_again(
    client,
    plan,
    nec_hub_officer,
    north_reviewer,
    django_capture_on_commit_callbacks,
):
    with mock.patch("priorities.services.pdf.render_pdf", side_effect=OSError("disk full")) as r:
        plan, version = _publish(
            plan, nec_hub_officer, north_reviewer, django_capture_on_commit_callbacks
        )
    assert r.call_count == 3  # tried again twice (at once here: tasks run eagerly)
    version.refresh_from_db()
    assert (bool(version.pdf), version.pdf_started_at) == (False, None)
    assert "disk full" in version.pdf_error
    client.force_login(nec_hub_officer)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "could not be made" in page
    assert "Try making the PDF again" in page
    retry = reverse("priorities:plan-version-pdf-retry", args=[version.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    version.refresh_from_db()
    assert version.pdf
    assert not version.pdf_error


@pytest.mark.parametrize(
    ("persona", "page", "download", "retry"),
    [
        (None, 302, 302, 302),
        ("london_hub_officer", 404, 404, 404),
        ("sunderland_lead", 200, 200, 403),
        ("north_reviewer", 200, 200, 403),
        ("nec_hub_officer", 200, 200, 302),
    ],
)
def test_version_pdf_ladder(
    client,
    request,
    plan,
    nec_hub_officer,
    north_reviewer,
    django_capture_on_commit_callbacks,
    persona,
    page,
    download,
    retry,
):
    plan = services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    plan = services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    version = PlanVersion.objects.get(status="published")
    if persona:
        client.force_login(request.getfixturevalue(persona))
    url = reverse("priorities:plan-version-pdf", args=[version.pk])
    shown = client.get(version.get_absolute_url())
    assert shown.status_code == page
    if page == 200:
        assert "is being made" in shown.content.decode()
        assert client.get(url).status_code == 404  # not made yet
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(reverse("priorities:plan-version-pdf-retry", args=[version.pk])).status_code
            == retry
        )
    if retry != 302 or persona is None:
        services.version_pdf_render(version_id=version.pk)
    got = client.get(url)
    assert got.status_code == download
    if download == 200:
        assert got["Content-Type"] == "application/pdf"
        assert b"".join(got.streaming_content).startswith(b"%PDF-")
        assert (
            "Download the published plan" in client.get(version.get_absolute_url()).content.decode()
        )


def test_a_pdf_owed_while_the_broker_was_down_is_made_once_it_is_back(
    plan, nec_hub_officer, north_reviewer, django_capture_on_commit_callbacks, monkeypatch
):
    import datetime

    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from priorities.tasks import plan_version_render_pdf

    real = plan_version_render_pdf.apply_async

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(plan_version_render_pdf, "apply_async", broker_down)
    plan, version = _publish(
        plan, nec_hub_officer, north_reviewer, django_capture_on_commit_callbacks
    )
    assert not version.pdf
    monkeypatch.setattr(plan_version_render_pdf, "apply_async", real)
    later = timezone.now() + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue(now=later) == 1
    version.refresh_from_db()
    assert version.pdf
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue(now=later) == 0
