"""Drafting and agreeing governance documents, and keeping the national templates they start
from (seed 000 §3.4.2). Agreed and published versions are frozen; nothing is deleted."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, create_recorded, lock_version, save_versioned
from commissioning.errors import NotAllowed, RuleError, StateConflict
from oversight.models import OversightGroup

from . import events, selectors
from .models import (
    TEMPLATE_KINDS,
    DocumentVersion,
    GovernanceDocument,
    NationalTemplate,
    NationalTemplateVersion,
    template_kind_for,
)
from .permissions import can_manage_national_templates
from .uploads import validate_upload


class DocumentError(RuleError):
    """A change to this app's records that breaks a rule (see RuleError)."""


class TemplateStateError(StateConflict):
    """A national template version is no longer a draft, or a draft is already open (409)."""


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
    body: str | None = "",
    file=None,
    change_summary: str = "",
    quorum_chair_or_vice_required: bool = True,
    quorum_min_ccg_members: int = 3,
    from_template: NationalTemplateVersion | None = None,
) -> DocumentVersion:
    """A new draft version (text written in the app, or an uploaded PDF/DOCX, or both).

    `from_template` records the national template version the text started from (seed 000
    §3.4.2). With `body=None` and no file the draft starts where a new draft's page would: the
    group's latest version of the document, or else the current national template."""
    if body is None and file is None:
        start = selectors.draft_starting_point(group, kind)
        body, from_template = start.body, start.from_template
    body = body or ""
    if from_template is not None and (
        from_template.template.kind != template_kind_for(group, kind) or from_template.is_draft
    ):
        raise DocumentError(
            "Start from a published national template of the same kind.", field="from_template"
        )
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
        from_template=from_template,
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


# National templates (seed 000 §3.4.2): national admins keep the drafts groups adapt locally.


def _require_national_admin(by) -> None:
    if not can_manage_national_templates(by):
        raise NotAllowed("Only national admins change the national templates.")


@transaction.atomic
def template_draft_create(
    *, by, kind: str, body: str | None = None, change_summary: str = ""
) -> NationalTemplateVersion:
    """Open the next version of the national template of `kind` as a draft. Its text starts
    from the current published version unless `body` is given. One draft at a time."""
    _require_national_admin(by)
    if kind not in dict(TEMPLATE_KINDS):
        raise DocumentError(
            "Choose the terms of reference or the collaboration agreement.", field="kind"
        )
    template, _ = NationalTemplate.objects.get_or_create(kind=kind)
    NationalTemplate.objects.select_for_update().get(pk=template.pk)  # numbers in turn
    versions = list(template.versions.all())
    draft = next((v for v in versions if v.is_draft), None)
    if draft is not None:
        raise TemplateStateError(
            f"Version {draft.number} is already a draft. Change it, publish it or set it aside "
            "before starting another."
        )
    current = next((v for v in versions if v.is_published), None)
    if body is None:
        body = current.body if current is not None else ""
    if not body.strip():
        raise DocumentError("Enter the text of the template.", field="body")
    version = create_recorded(
        NationalTemplateVersion,
        by=by,
        template=template,
        number=max((v.number for v in versions), default=0) + 1,
        body=body,
        change_summary=change_summary,
        created_by=by,
    )
    audit.record(actor=by, verb=events.TEMPLATE_DRAFTED, target=version)
    return version


TEMPLATE_DRAFT_FIELDS = ["body", "change_summary"]


@transaction.atomic
def template_draft_update(
    *, by, template_version: NationalTemplateVersion, version: int, **changes
) -> NationalTemplateVersion:
    """Change a draft's text or summary, from the `version` the editor opened (else a
    ConflictError saying what changed meanwhile). Published and archived versions are frozen."""
    _require_national_admin(by)
    current = lock_version(
        NationalTemplateVersion, template_version.pk, version, TEMPLATE_DRAFT_FIELDS
    )
    if not current.is_draft:
        raise TemplateStateError(
            f"Version {current.number} is {current.get_status_display().lower()} and cannot "
            "change. Start a new version."
        )
    if "body" in changes and not (changes["body"] or "").strip():
        raise DocumentError("Enter the text of the template.", field="body")
    changed = [
        f for f in TEMPLATE_DRAFT_FIELDS if f in changes and getattr(current, f) != changes[f]
    ]
    for name in changed:
        setattr(current, name, changes[name])
    save_versioned(current, by=by, fields=changed)
    audit.record(actor=by, verb=events.TEMPLATE_UPDATED, target=current, fields=changed)
    return current


@transaction.atomic
def template_publish(
    *, by, template_version: NationalTemplateVersion, version: int
) -> NationalTemplateVersion:
    """Publish a draft: it becomes the current template of its kind, frozen from now on, and
    the version it replaces is archived (kept, with its history)."""
    _require_national_admin(by)
    current = lock_version(NationalTemplateVersion, template_version.pk, version, ["status"])
    if not current.is_draft:
        raise TemplateStateError(
            f"Version {current.number} is not a draft: only a draft is published."
        )
    for previous in NationalTemplateVersion.objects.select_for_update().filter(
        template_id=current.template_id, status=NationalTemplateVersion.Status.PUBLISHED
    ):
        previous.status = NationalTemplateVersion.Status.ARCHIVED
        save_versioned(previous, by=by, fields=["status"])
    current.status = NationalTemplateVersion.Status.PUBLISHED
    current.published_at, current.published_by = timezone.now(), by
    save_versioned(current, by=by, fields=["status", "published_at", "published_by"])
    audit.record(actor=by, verb=events.TEMPLATE_PUBLISHED, target=current)
    return current


@transaction.atomic
def template_draft_archive(
    *, by, template_version: NationalTemplateVersion, version: int
) -> NationalTemplateVersion:
    """Set a draft aside unpublished: archived, never deleted."""
    _require_national_admin(by)
    current = lock_version(NationalTemplateVersion, template_version.pk, version, ["status"])
    if not current.is_draft:
        raise TemplateStateError(
            f"Version {current.number} is not a draft: only a draft is set aside."
        )
    current.status = NationalTemplateVersion.Status.ARCHIVED
    save_versioned(current, by=by, fields=["status"])
    audit.record(actor=by, verb=events.TEMPLATE_ARCHIVED, target=current)
    return current
