"""The plan's PDF as a reader meets it (issue 18, findings 10 and 11): tagged PDF/UA-1, a light
title block on the first page (no full-page cover, no forced near-empty pages), money and dates
formatted, figures written on the delivery chart, and the app's own version numbers."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exports.models import Export
from priorities import services
from priorities.models import PlanVersion
from tests.pdf_checks import assert_accessible_pdf, keep_pdf, pdf_text, structure_elements
from tests.priorities.helpers import OVERRIDE, included

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(plan, nec_hub_officer, sunderland_lead):
    """A plan with one included priority, its QIPP target, a milestone and a report."""
    priority = included(plan, sunderland_lead, nec_hub_officer, "Two arterial centres")
    services.delivery_set(
        by=nec_hub_officer,
        proposal=priority,
        lead="Dr Mehta",
        subgroup=None,
        kpis="",
        qipp_target=Decimal(1250000),
    )
    services.milestone_add(
        by=nec_hub_officer,
        proposal=priority,
        title="Network agreed",
        due_date=datetime.date(2015, 9, 30),
    )
    services.update_add(
        by=nec_hub_officer,
        proposal=priority,
        rag="amber",
        commentary="On track",
        qipp_realised=Decimal(400000),
        reported_on=datetime.date(2015, 10, 1),
    )
    plan.refresh_from_db()
    return plan


def _export(client, plan, user, capture) -> bytes:
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("priorities:plan-pdf", args=[plan.pk]))
    export = Export.objects.get()
    assert export.status == Export.Status.READY, export.error
    return export.file.open("rb").read()


def test_the_plan_pdf_is_tagged_and_readable(
    client, delivered, nec_hub_officer, django_capture_on_commit_callbacks
):
    data = _export(client, delivered, nec_hub_officer, django_capture_on_commit_callbacks)
    keep_pdf(data, "plan-working-copy")
    reader = assert_accessible_pdf(data, title="priorities plan 2015/16")
    kinds = {str(e["/S"]) for e in structure_elements(reader)}
    assert {"/H1", "/H2", "/Table", "/TH", "/Figure"} <= kinds
    (chart,) = [e for e in structure_elements(reader) if e["/S"] == "/Figure"]
    alt = str(chart["/Alt"])
    assert "Two arterial centres, target £1,250,000, realised £400,000" in alt


def test_the_plan_pdf_has_a_title_block_not_a_cover_and_formats_its_figures(
    client, delivered, nec_hub_officer, django_capture_on_commit_callbacks
):
    data = _export(client, delivered, nec_hub_officer, django_capture_on_commit_callbacks)
    reader = PdfReader(BytesIO(data))
    first = " ".join(reader.pages[0].extract_text().split())
    # The title block shares its page with the plan itself: no page given to a cover.
    assert "Priorities plan 2015/16" in first
    assert "1. Context" in first
    # Short plans fit on as few pages as their content needs (no forced page breaks).
    assert len(reader.pages) <= 2
    text = pdf_text(reader)
    assert "£250,000" in text  # the proposal's estimated saving
    assert "£1,250,000" in text  # the QIPP target, in the table and on the chart
    assert "£400,000" in text
    assert "1250000" not in text
    assert "250000" not in text.replace("£1,250,000", "")
    assert "30 September 2015" in text
    assert "2015-09-30" not in text
    # The live plan is a working copy: "version 3" named no version the app shows.
    assert "working copy" in text
    assert f"version {delivered.version}" not in text.lower()


def test_a_frozen_versions_pdf_says_the_version_the_app_shows(
    delivered, nec_hub_officer, north_reviewer, django_capture_on_commit_callbacks
):
    plan = services.plan_submit(by=nec_hub_officer, plan=delivered, version=delivered.version)
    plan = services.plan_assure(
        by=north_reviewer, plan=plan, version=plan.version, override=True, reason=OVERRIDE
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_publish(by=nec_hub_officer, plan=plan, version=plan.version)
    version = PlanVersion.objects.get(status="published")
    data = version.pdf.open("rb").read()
    keep_pdf(data, "plan-published-version")
    text = pdf_text(assert_accessible_pdf(data, title="priorities plan 2015/16"))
    assert f"Version {version.number} (Published)" in text
    assert "working copy" not in text
