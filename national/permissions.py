"""Who reads and keeps the national structures (issue 17, "Roles and access"; product
decision): everyone signed in reads the Programme of Care boards and the CRGs, as the rest of
the register; national admins keep them and decide nominations; the staff of a hub nominate
through its oversight group (they run its meetings). A nomination is read by national admins,
the nominating group's readers and the seat's region's team. Not visible: 404; visible but not
changeable: 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import ProgrammeOfCare
from hubs.permissions import can_view_register
from oversight.permissions import groups_visible_to

from .models import (
    BoardHolding,
    ClinicalReferenceGroup,
    CRGDocument,
    CRGDocumentVersion,
    CRGSeat,
    Nomination,
    ServiceReview,
)


def can_keep_national(user) -> bool:
    return scopes(user).national


def require_reader(user) -> None:
    if not can_view_register(user):
        raise PermissionDenied("Sign in to read the national structures.")


def require_keeper(user) -> None:
    require_reader(user)
    if not can_keep_national(user):
        raise PermissionDenied("Only national admins keep the national structures.")


def can_nominate(user) -> bool:
    """Hub staff nominate through their hub's oversight group."""
    return bool(scopes(user).hub_ids)


def _get(user, queryset, pk, what: str, write: bool):
    require_reader(user)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {what}.")
    if write:
        require_keeper(user)
    return obj


def get_crg_for_user(user, pk, *, write: bool = False) -> ClinicalReferenceGroup:
    rows = ClinicalReferenceGroup.objects.select_related("programme")
    return _get(user, rows, pk, "Clinical Reference Group", write)


def get_holding_for_user(user, pk, *, write: bool = False) -> BoardHolding:
    return _get(user, BoardHolding.objects.select_related("programme"), pk, "board seat", write)


def get_document_for_user(user, pk, *, write: bool = False) -> CRGDocument:
    return _get(user, CRGDocument.objects.select_related("crg"), pk, "document", write)


def get_document_version_for_user(user, pk) -> CRGDocumentVersion:
    rows = CRGDocumentVersion.objects.select_related("document")
    return _get(user, rows, pk, "document version", False)


def get_seat_for_user(user, pk, *, write: bool = False) -> CRGSeat:
    rows = CRGSeat.objects.select_related("crg__programme", "region")
    return _get(user, rows, pk, "seat", write)


def nominations_visible_to(user) -> QuerySet[Nomination]:
    rows = Nomination.objects.select_related(
        "seat__crg", "seat__region", "meeting__group__hub", "ccg"
    )
    s = scopes(user)
    if s.national:
        return rows
    if not can_view_register(user):
        return rows.none()
    groups = groups_visible_to(user).values("pk")
    return rows.filter(Q(meeting__group__in=groups) | Q(seat__region_id__in=s.region_ids))


def get_nomination_for_user(user, pk, *, write: bool = False) -> Nomination:
    """Read as `nominations_visible_to`; deciding (accept, decline) is the national admins'."""
    require_reader(user)
    nomination = nominations_visible_to(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404("No such nomination.")
    if write:
        require_keeper(user)
    return nomination


def require_nominator(user) -> None:
    require_reader(user)
    if not can_nominate(user):
        raise PermissionDenied("Only a hub's staff nominate, through its oversight group.")


def get_programme_for_user(user, slug: str, *, write: bool = False) -> ProgrammeOfCare:
    """A Programme of Care's board, by the programme's slug."""
    require_reader(user)
    programme = ProgrammeOfCare.objects.filter(slug=slug).first()
    if programme is None:
        raise Http404("No such Programme of Care.")
    if write:
        require_keeper(user)
    return programme


def get_service_review_for_user(user, pk, *, write: bool = False) -> ServiceReview:
    """A national service review: read by everyone signed in (as the CRGs are), kept by
    national admins."""
    rows = ServiceReview.objects.select_related("programme", "crg")
    return _get(user, rows, pk, "national service review", write)
