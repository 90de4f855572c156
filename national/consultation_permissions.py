"""Who sees and answers consultations (issue 17, "What to build" 3; product decisions where the
issue is silent):

- national admins (the CRGs' national team) open, change, close, extend and archive them, and
  read every one and every response;
- everyone with a region, hub or CCG (ICB) role reads the consultations that have opened and
  are not archived (they are national drafts put out for comment);
- the hub's staff answer for its open oversight group (`oversight.permissions.can_manage_hub`:
  they run it); a CCG lead answers as their CCG when it is a member of an open group and open
  itself on the day of the answer;
- responses are read by national admins, the region's team (its hubs' groups), the hub's staff
  (their group's and its member CCGs'), and a CCG's leads (their CCG's, and the response of a
  group their CCG is a member of). Another hub's responses are never shown.

Not visible: 404; visible but not theirs to change: 403.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import CCG
from oversight.models import CCGMembership, OversightGroup
from oversight.permissions import can_manage_hub, groups_visible_to

from .models import Consultation, ConsultationResponse
from .permissions import can_keep_national, require_keeper


def may_read_consultations(user) -> bool:
    s = scopes(user)
    return s.national or bool(s.region_ids or s.hub_ids or s.ccg_ids)


def consultations_visible_to(user, day: datetime.date) -> QuerySet[Consultation]:
    rows = Consultation.objects.select_related("crg__programme", "document_version__document")
    if can_keep_national(user):
        return rows
    if not may_read_consultations(user):
        return rows.none()
    return rows.filter(archived=False, opens_on__lte=day)


def get_consultation_for_user(user, pk, day: datetime.date, *, write: bool = False) -> Consultation:
    consultation = consultations_visible_to(user, day).filter(pk=pk).first()
    if consultation is None:
        raise Http404("No such consultation.")
    if write:
        require_keeper(user)
    return consultation


def open_groups(day: datetime.date) -> QuerySet[OversightGroup]:
    """Groups (and strategy boards) open on `day`: started, and not closed by then."""
    return OversightGroup.objects.filter(start_date__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=day)
    )


def member_groups_of(ccg_ids) -> QuerySet[CCGMembership]:
    return CCGMembership.objects.filter(ccg_id__in=ccg_ids, status=CCGMembership.Status.MEMBER)


def responses_visible_to(user) -> QuerySet[ConsultationResponse]:
    rows = ConsultationResponse.objects.select_related(
        "group__hub__region", "ccg", "submitted_by", "updated_by"
    )
    s = scopes(user)
    if s.national:
        return rows
    visible = Q(group__hub__region_id__in=s.region_ids) | Q(group__hub_id__in=s.hub_ids)
    if s.ccg_ids:
        visible |= Q(ccg_id__in=s.ccg_ids) | Q(
            ccg__isnull=True, group_id__in=member_groups_of(s.ccg_ids).values("group_id")
        )
    return rows.filter(visible, consultation__archived=False)


@dataclass
class Slot:
    """One answer a person may give to a consultation: for a group, or as a member CCG."""

    group: OversightGroup
    ccg: CCG | None = None
    response: ConsultationResponse | None = None

    @property
    def label(self) -> str:
        if self.ccg is None:
            return f"{self.group.name} (on behalf of the group)"
        return f"{self.ccg.name} (member of {self.group.name})"


def slots_for(user, day: datetime.date, members=None) -> list[Slot]:
    """The answers the person may give on `day`, without their responses: the open groups of
    the hubs they staff, and the CCGs they lead that are members of an open group and open
    themselves that day. `members`: those CCGs' places in groups open that day, by CCG name,
    when the caller has read them already (My work: oversight.selectors.ccg_places)."""
    s = scopes(user)
    slots: list[Slot] = []
    if s.hub_ids:
        groups = open_groups(day).filter(hub_id__in=s.hub_ids).select_related("hub__region")
        slots += [Slot(g) for g in groups.order_by("hub__name")]
    if s.ccg_ids:
        places = members
        if places is None:
            places = (
                member_groups_of(s.ccg_ids)
                .filter(group_id__in=open_groups(day).values("pk"))
                .select_related("ccg", "group__hub__region")
                .order_by("ccg__name")
            )
        slots += [Slot(m.group, m.ccg) for m in places if m.ccg.is_valid_on(day)]
    return slots


def get_slot_for_user(
    user, consultation: Consultation, day: datetime.date, *, group_pk=None, ods: str = ""
) -> Slot:
    """The group or CCG a respond page answers for, with its response if it has one. 404 if
    the group or CCG is not the person's to see; 403 if they may not answer for it."""
    if ods:
        ccg = CCG.objects.filter(ods_code=ods).first()
        if ccg is None:
            raise Http404("No such CCG or ICB.")
        if ccg.pk not in scopes(user).ccg_ids:
            raise PermissionDenied("Only the CCG's (or ICB's) own leads answer as it.")
        slot = next((s for s in slots_for(user, day) if s.ccg and s.ccg.pk == ccg.pk), None)
        if slot is None:
            raise PermissionDenied(
                f"{ccg.name} is not a member of an open oversight group on this day: a CCG"
                " answers through the group it is a member of."
            )
    else:
        group = groups_visible_to(user).filter(pk=group_pk).first()
        if group is None:
            raise Http404("No such oversight group.")
        if not can_manage_hub(user, group.hub):
            raise PermissionDenied("Only the hub's staff answer for its oversight group.")
        slot = Slot(group)
    slot.response = (
        ConsultationResponse.objects.filter(
            consultation=consultation, group=slot.group, ccg=slot.ccg
        )
        .select_related("group__hub", "ccg")
        .first()
    )
    return slot


def may_answer(user, response: ConsultationResponse) -> bool:
    """The hub's staff change their group's response; a CCG's leads their CCG's."""
    if response.ccg_id is None:
        return can_manage_hub(user, response.group.hub)
    return response.ccg_id in scopes(user).ccg_ids


def get_response_for_user(user, pk, *, write: bool = False) -> ConsultationResponse:
    response = responses_visible_to(user).select_related("consultation").filter(pk=pk).first()
    if response is None:
        raise Http404("No such response.")
    if write and not may_answer(user, response):
        raise PermissionDenied("Only the group's hub staff, or the CCG's leads, change it.")
    return response
