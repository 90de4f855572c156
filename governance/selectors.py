"""Reads of governance documents, for pages, meetings (quorum) and dashboards."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from oversight.permissions import groups_visible_to

from .models import (
    TEMPLATE_KINDS,
    DocumentVersion,
    GovernanceDocument,
    NationalTemplate,
    NationalTemplateVersion,
    template_kind_for,
)
from .permissions import can_manage_national_templates


def agreed_versions(groups) -> dict[int, dict[str, DocumentVersion]]:
    """{group id: {kind: agreed version}} for many groups, in one query."""
    result: dict[int, dict[str, DocumentVersion]] = {}
    agreed = DocumentVersion.objects.filter(
        document__group__in=groups, status=DocumentVersion.Status.AGREED
    ).select_related("document")
    for version in agreed:
        result.setdefault(version.document.group_id, {})[version.document.kind] = version
    return result


def agreed_terms_of_reference(group) -> DocumentVersion | None:
    """The group's agreed terms of reference (which carry the quorum rule), if any."""
    return (
        DocumentVersion.objects.filter(
            document__group=group,
            document__kind=GovernanceDocument.Kind.TERMS_OF_REFERENCE,
            status=DocumentVersion.Status.AGREED,
        )
        .select_related("document")
        .first()
    )


def documents_of(group) -> dict[str, GovernanceDocument]:
    """{kind: document} of the group, each with its versions (and their authors) preloaded."""
    return {
        d.kind: d
        for d in GovernanceDocument.objects.filter(group=group).prefetch_related(
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("created_by"))
        )
    }


def latest_version(group, kind: str) -> DocumentVersion | None:
    """The newest version of the group's document of `kind`, if any."""
    return (
        DocumentVersion.objects.filter(document__group=group, document__kind=kind)
        .select_related("from_template__template")
        .order_by("-number")
        .first()
    )


def versions_for_api(user) -> QuerySet[DocumentVersion]:
    """Every version of the documents of the groups the user can see."""
    return (
        DocumentVersion.objects.filter(document__group__in=groups_visible_to(user))
        .select_related("document")
        .order_by("document__group", "document__kind", "-number")
    )


# National templates (seed 000 §3.4.2).


def template_version(pk: int | None) -> NationalTemplateVersion | None:
    """A national template version by id (with its template), or None."""
    if pk is None:
        return None
    return NationalTemplateVersion.objects.select_related("template").filter(pk=pk).first()


def current_template(kind: str) -> NationalTemplateVersion | None:
    """The published national template version of `kind`: where a group's document starts."""
    return (
        NationalTemplateVersion.objects.filter(
            template__kind=kind, status=NationalTemplateVersion.Status.PUBLISHED
        )
        .select_related("template")
        .first()
    )


def open_template_draft(kind: str) -> NationalTemplateVersion | None:
    """The draft next version of the template of `kind`, if one is open (at most one is)."""
    return NationalTemplateVersion.objects.filter(
        template__kind=kind, status=NationalTemplateVersion.Status.DRAFT
    ).first()


@dataclass(frozen=True)
class StartingPoint:
    """What a group's next draft of a document starts from."""

    body: str
    quorum_chair_or_vice_required: bool
    quorum_min_ccg_members: int
    from_template: NationalTemplateVersion | None
    from_version: DocumentVersion | None


def draft_starting_point(group, kind: str) -> StartingPoint:
    """A new draft starts from the group's latest version of the document (keeping the
    template it came from); the group's first draft starts from the current national template
    of its kind, if there is one."""
    latest = latest_version(group, kind)
    if latest is not None:
        return StartingPoint(
            latest.body,
            latest.quorum_chair_or_vice_required,
            latest.quorum_min_ccg_members,
            latest.from_template,
            latest,
        )
    template = current_template(template_kind_for(group, kind))
    field = DocumentVersion._meta
    return StartingPoint(
        template.body if template is not None else "",
        field.get_field("quorum_chair_or_vice_required").get_default(),
        field.get_field("quorum_min_ccg_members").get_default(),
        template,
        None,
    )


def templates_for_page(*, with_drafts: bool) -> list[dict]:
    """Every kind of national template, each with its versions (newest first), the current
    published one and any open draft: two queries however many versions there are."""
    versions = NationalTemplateVersion.objects.select_related("created_by", "published_by")
    if not with_drafts:
        versions = versions.exclude(status=NationalTemplateVersion.Status.DRAFT)
    templates = {
        t.kind: t
        for t in NationalTemplate.objects.prefetch_related(Prefetch("versions", queryset=versions))
    }
    sections = []
    for kind, label in TEMPLATE_KINDS:
        listed = list(templates[kind].versions.all()) if kind in templates else []
        sections.append(
            {
                "kind": kind,
                "label": label,
                "versions": listed,
                "current": next((v for v in listed if v.is_published), None),
                "draft": next((v for v in listed if v.is_draft), None),
            }
        )
    return sections


def template_versions_for_api(user) -> QuerySet[NationalTemplateVersion]:
    """Every national template version; drafts only for those who keep the templates."""
    versions = NationalTemplateVersion.objects.select_related("template").order_by(
        "template__kind", "-number"
    )
    if not can_manage_national_templates(user):
        versions = versions.exclude(status=NationalTemplateVersion.Status.DRAFT)
    return versions
