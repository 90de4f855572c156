"""A published version's PDF whose render is lost with its worker (killed mid-render, say by
the out-of-memory killer): taken back at once by the same message delivered again, bounded by
one count of attempts, given up honestly, and asked for again by hub staff on purpose."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from priorities import services
from priorities.models import PlanVersion
from priorities.tasks import plan_version_render_pdf
from tests.priorities.helpers import OVERRIDE

pytestmark = pytest.mark.django_db

MAX = services.PDF_MAX_ATTEMPTS


class WorkerKilled(BaseException):
    """Stands for SIGKILL mid-render: nothing in the run gets to handle it."""


@pytest.fixture
def version(plan, nec_hub_officer, north_reviewer):
    """The plan published, its PDF owed: the render queued on commit is never run here."""
    plan = services.plan_submit(by=nec_hub_officer, plan=plan, version=plan.version)
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    return PlanVersion.objects.get(status="published")


class Renders(list):
    """Every render started, by template; the next ones end as last told."""

    def __init__(self, real):
        super().__init__()
        self.real = real
        self.ending: BaseException | None = None

    def __call__(self, template, context):
        self.append(template)
        if self.ending is not None:
            raise self.ending
        return self.real(template, context)

    def kill(self):
        self.ending = WorkerKilled()

    def fail(self):
        self.ending = OSError("disk full")

    def succeed(self):
        self.ending = None


@pytest.fixture
def renders(monkeypatch):
    renders = Renders(services.pdf.render_pdf)
    monkeypatch.setattr("priorities.services.pdf.render_pdf", renders)
    return renders


@pytest.fixture
def queued(monkeypatch):
    """The renders queued (args, countdown), sent nowhere: each test runs them itself. They
    are queued on commit: what may queue runs under django_capture_on_commit_callbacks."""
    sent = []

    def record(args=None, countdown=None, **options):
        sent.append((args, countdown))

    monkeypatch.setattr(plan_version_render_pdf, "apply_async", record)
    return sent


def _killed(version: PlanVersion, task_id: str) -> None:
    with pytest.raises(WorkerKilled):
        services.version_pdf_render(version_id=version.pk, task_id=task_id)


def _state(version: PlanVersion) -> tuple:
    version.refresh_from_db()
    return (bool(version.pdf), version.pdf_claim, version.pdf_attempts)


def test_the_same_message_delivered_again_takes_the_render_back_at_once(version, renders):
    renders.kill()
    _killed(version, "task-1")
    assert _state(version) == (False, "task-1", 1)
    assert version.pdf_started_at is not None
    renders.succeed()
    # The claim is fresh: another message (a requeue, a duplicate) or a run without an id
    # finds the render taken, and leaves the count alone.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-2") is None
    assert services.version_pdf_render(version_id=version.pk) is None
    assert _state(version) == (False, "task-1", 1)
    # The same message, delivered again after its worker was lost, takes it back: attempt 2.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is not None
    assert _state(version) == (True, "", 2)
    assert version.pdf_error == ""
    assert len(renders) == 2
    # Made, never replaced: the message once more does nothing.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is None
    assert _state(version) == (True, "", 2)
    assert len(renders) == 2


def test_a_stale_claim_is_taken_by_another_run(version, renders):
    renders.kill()
    _killed(version, "task-1")
    renders.succeed()
    long_ago = timezone.now() - services.PDF_STALE_AFTER - datetime.timedelta(minutes=1)
    PlanVersion.objects.filter(pk=version.pk).update(pdf_started_at=long_ago)
    assert services.version_pdf_render(version_id=version.pk) is not None  # no id, as before
    assert _state(version) == (True, "", 2)


def test_a_render_that_kills_its_worker_every_time_is_given_up(
    client,
    version,
    renders,
    nec_hub_officer,
    sunderland_lead,
    queued,
    django_capture_on_commit_callbacks,
):
    renders.kill()
    for _ in range(MAX):
        _killed(version, "task-1")
    assert _state(version) == (False, "task-1", MAX)
    # Delivered again once more: not rendered a fourth time; the failure is recorded.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is None
    assert len(renders) == MAX
    assert _state(version) == (False, "", MAX)
    assert version.pdf_started_at is None
    assert version.pdf_error == (
        f"Gave up after {MAX} attempts: the worker making it stopped mid-way."
    )
    assert version.pdf_given_up
    # Nothing renders it again by itself: not the message, another one, nor the beat's sweep.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is None
    assert services.version_pdf_render(version_id=version.pk, task_id="task-2") is None
    later = timezone.now() + services.PDF_STALE_AFTER + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue(now=later) == 0
    assert queued == []
    assert len(renders) == MAX
    # The page says so, honestly; hub staff are offered a retry, others told who can ask.
    retry = reverse("priorities:plan-version-pdf-retry", args=[version.pk])
    client.force_login(nec_hub_officer)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "The PDF could not be made" in page
    assert f"It was tried {MAX} times and is no longer tried automatically" in page
    assert "the worker making it stopped mid-way" in page
    assert "Try making the PDF again" in page
    assert retry in page
    assert "is being made" not in page
    client.force_login(sunderland_lead)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "The PDF could not be made" in page
    assert "The hub's staff can ask for it to be made again" in page
    assert retry not in page
    assert "is being made" not in page


def test_a_whole_worker_lost_on_the_last_attempt_is_given_up_by_the_sweep(version, renders):
    renders.kill()
    for _ in range(MAX):
        _killed(version, "task-1")
    # Its message is held by Redis for the dead worker; the beat's sweep comes first.
    later = timezone.now() + services.PDF_STALE_AFTER + datetime.timedelta(minutes=1)
    assert services.version_pdfs_requeue(now=later) == 0
    assert _state(version) == (False, "", MAX)
    assert version.pdf_given_up
    assert version.pdf_error.startswith(f"Gave up after {MAX} attempts")
    # An hour on, Redis gives the lost message back: nothing to do.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is None
    assert len(renders) == MAX


def test_a_lost_render_with_attempts_left_is_queued_again_by_the_sweep(
    version, renders, queued, django_capture_on_commit_callbacks
):
    renders.kill()
    _killed(version, "task-1")
    renders.succeed()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue() == 0  # the claim is fresh
    # Ten minutes on, nobody has taken the render back: the whole worker was lost.
    long_ago = timezone.now() - services.PDF_STALE_AFTER - datetime.timedelta(minutes=1)
    PlanVersion.objects.filter(pk=version.pk).update(pdf_started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue() == 1
    assert queued == [([version.pk], None)]
    assert services.version_pdf_render(version_id=version.pk, task_id="task-2") is not None
    assert _state(version) == (True, "", 2)
    # The lost message, given back by Redis later, finds it made.
    assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is None


def test_errors_and_lost_workers_share_one_count(
    version, renders, queued, django_capture_on_commit_callbacks
):
    """A render that raises is queued again with back-off; one killed is taken back by its
    message; both count on the version, and after MAX renders started it is given up."""
    renders.kill()
    _killed(version, "task-1")
    renders.fail()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdf_render(version_id=version.pk, task_id="task-1") is None
    assert _state(version) == (False, "", 2)
    assert version.pdf_error == "OSError: disk full"
    assert not version.pdf_given_up
    assert queued == [([version.pk], 2 * services.PDF_RETRY_AFTER_SECONDS)]
    # The failed render waits for its back-off retry, not for the sweep.
    later = timezone.now() + services.PDF_STALE_AFTER + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue(now=later) == 0
        assert services.version_pdf_render(version_id=version.pk, task_id="task-2") is None
    assert _state(version) == (False, "", MAX)
    assert version.pdf_error == f"Gave up after {MAX} attempts: OSError: disk full"
    assert version.pdf_given_up
    assert len(queued) == 1  # no retry after the last attempt
    assert services.version_pdf_render(version_id=version.pk, task_id="task-3") is None
    assert len(renders) == MAX


def test_hub_staff_retry_starts_the_count_again_and_renders(
    client, version, renders, nec_hub_officer, django_capture_on_commit_callbacks
):
    renders.kill()
    for _ in range(MAX):
        _killed(version, "task-1")
    services.version_pdfs_requeue(
        now=timezone.now() + services.PDF_STALE_AFTER + datetime.timedelta(minutes=1)
    )
    assert PlanVersion.objects.get(pk=version.pk).pdf_given_up
    renders.succeed()
    client.force_login(nec_hub_officer)
    retry = reverse("priorities:plan-version-pdf-retry", args=[version.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    assert _state(version) == (True, "", 1)
    assert version.pdf_error == ""
    assert version.pdf_started_at is not None
    assert len(renders) == MAX + 1
    page = client.get(version.get_absolute_url()).content.decode()
    assert "Download the published plan" in page
    assert "could not be made" not in page


def test_retry_is_refused_while_a_render_holds_a_live_claim(
    client, version, renders, nec_hub_officer, queued, django_capture_on_commit_callbacks
):
    renders.kill()
    _killed(version, "task-1")
    client.force_login(nec_hub_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("priorities:plan-version-pdf-retry", args=[version.pk]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The PDF is being made now. Refresh this page in a minute."
    ]
    assert _state(version) == (False, "task-1", 1)  # the count is not reset under a render
    assert queued == []


def test_only_a_started_render_holds_a_claim(version):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(pdf_claim="task-1")


def test_a_retry_lost_with_its_worker_after_an_error_is_queued_again_by_the_sweep(
    version, renders, queued, django_capture_on_commit_callbacks
):
    renders.fail()
    with django_capture_on_commit_callbacks(execute=True):
        services.version_pdf_render(version_id=version.pk, task_id="task-1")
    assert queued == [([version.pk], services.PDF_RETRY_AFTER_SECONDS)]
    renders.kill()
    _killed(version, "task-2")  # the back-off retry; then the whole worker is lost
    assert _state(version) == (False, "task-2", 2)
    assert version.pdf_error == "OSError: disk full"  # from attempt 1
    renders.succeed()
    long_ago = timezone.now() - services.PDF_STALE_AFTER - datetime.timedelta(minutes=1)
    PlanVersion.objects.filter(pk=version.pk).update(pdf_started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.version_pdfs_requeue() == 1
    assert queued[-1] == ([version.pk], None)
    assert services.version_pdf_render(version_id=version.pk, task_id="task-3") is not None
    assert _state(version) == (True, "", 3)
    assert version.pdf_error == ""
