"""Shared fixtures for primary care co-commissioning (issue 15, seed 002)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from cocommissioning import services
from cocommissioning.models import Document, Model
from cocommissioning.timetable import windows_seed
from hubs.models import CCG
from tests.factories import make_user

APRIL_2015 = datetime.date(2015, 4, 1)
APRIL_2016 = datetime.date(2016, 4, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def windows(register):
    """Seed 002's application windows (the migration seeds them; tests run without it)."""
    windows_seed()


@pytest.fixture
def committee_member(register):
    """Cara, a member of NHS England's Commissioning Committee."""
    return make_user("cara@example.nhs.uk", "Cara Okafor", (Role.COMMISSIONING_COMMITTEE, None))


@pytest.fixture
def sunderland() -> CCG:
    return CCG.objects.get(ods_code="00P")


def attach(by, application, kind: str, name: str = "document.pdf"):
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return services.document_attach(
        by=by,
        application=application,
        kind=kind,
        upload=upload,
        content_type="application/pdf",
        stored_name=name,
    )


def delegated_draft(by, ccg, go_live_on=APRIL_2015, functions=None):
    return services.application_create(
        by=by,
        lead_ccg=ccg,
        model=Model.DELEGATED,
        go_live_on=go_live_on,
        functions=functions or ["gms_pms", "enhanced", "property", "qof"],
        summary="Full delegation of general practice services.",
    )


def ready_delegated(by, ccg, **kwargs):
    """A delegated draft with its constitution amendment and conflicts arrangements."""
    application = delegated_draft(by, ccg, **kwargs)
    attach(by, application, Document.Kind.CONSTITUTION)
    attach(by, application, Document.Kind.CONFLICTS)
    application.refresh_from_db()
    return application
