"""Reads of governance documents, for pages, meetings (quorum) and dashboards."""

from django.db.models import Prefetch, QuerySet

from oversight.permissions import groups_visible_to

from .models import DocumentVersion, GovernanceDocument


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
