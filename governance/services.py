"""Drafting and agreeing governance documents. Agreed versions are frozen; nothing is deleted."""

import datetime

from django.db import transaction
from django.db.models import Max

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from commissioning.errors import RuleError
from oversight.models import OversightGroup

from . import events
from .models import DocumentVersion, GovernanceDocument
from .uploads import validate_upload


class DocumentError(RuleError):
    """A change to this app's records that breaks a rule (see RuleError)."""


def _attach(version: DocumentVersion, upload) -> None:
    from django.core.exceptions import ValidationError

    try:
        content_type, name = validate_upload(upload)
    except ValidationError as invalid:
        raise DocumentError(invalid.messages[0], field="file") from invalid
    version.original_filename = upload.name[:255]
    version.content_type = content_type
    version.size = upload.size
    version.file.save(name, upload, save=False)


@transaction.atomic
def version_draft_create(
    *,
    by,
    group: OversightGroup,
    kind: str,
    body: str = "",
    file=None,
    change_summary: str = "",
    quorum_chair_or_vice_required: bool = True,
    quorum_min_ccg_members: int = 3,
) -> DocumentVersion:
    """A new draft version (text written in the app, or an uploaded PDF/DOCX, or both)."""
    if not body.strip() and file is None:
        raise DocumentError(
            "Write the text, or upload the document as a PDF or DOCX.", field="body"
        )
    document, _ = GovernanceDocument.objects.get_or_create(group=group, kind=kind)
    GovernanceDocument.objects.select_for_update().get(pk=document.pk)  # numbers in turn
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        body=body,
        change_summary=change_summary,
        quorum_chair_or_vice_required=quorum_chair_or_vice_required,
        quorum_min_ccg_members=quorum_min_ccg_members,
        created_by=by,
    )
    if file is not None:
        _attach(version, file)
    attribute_to(version, by)
    version.save()
    audit.record(actor=by, verb=events.DOCUMENT_DRAFTED, target=version)
    return version


DRAFT_FIELDS = ["body", "change_summary", "quorum_chair_or_vice_required", "quorum_min_ccg_members"]


@transaction.atomic
def version_update(
    *, by, version_obj: DocumentVersion, version: int, file=None, **changes
) -> DocumentVersion:
    current = lock_version(DocumentVersion, version_obj.pk, version, DRAFT_FIELDS)
    if not current.is_draft:
        raise DocumentError("This version has been agreed and cannot change. Start a new draft.")
    changed = [f for f in DRAFT_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    if file is not None:
        _attach(current, file)
        changed += ["file", "original_filename", "content_type", "size"]
    if not current.body.strip() and not current.file:
        raise DocumentError(
            "Write the text, or upload the document as a PDF or DOCX.", field="body"
        )
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.DOCUMENT_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def version_agree(
    *,
    by,
    version_obj: DocumentVersion,
    version: int,
    agreed_on: datetime.date,
    agreed_at_meeting: str,
) -> DocumentVersion:
    """Mark a draft as the agreed version; the previously agreed one becomes superseded."""
    current = lock_version(DocumentVersion, version_obj.pk, version, ["status"])
    if not current.is_draft:
        raise DocumentError("Only a draft can be agreed.")
    if agreed_on < current.document.group.start_date - datetime.timedelta(days=366):
        raise DocumentError("Enter the date it was agreed.", field="agreed_on")
    for previous in DocumentVersion.objects.select_for_update().filter(
        document=current.document, status=DocumentVersion.Status.AGREED
    ):
        previous.status = DocumentVersion.Status.SUPERSEDED
        save_versioned(previous, by=by, fields=["status"])
    current.status = DocumentVersion.Status.AGREED
    current.agreed_on, current.agreed_at_meeting = agreed_on, agreed_at_meeting
    save_versioned(current, by=by, fields=["status", "agreed_on", "agreed_at_meeting"])
    audit.record(actor=by, verb=events.DOCUMENT_AGREED, target=current)
    return current
