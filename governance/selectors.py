"""Reads of governance documents, for pages, meetings (quorum) and dashboards."""

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
