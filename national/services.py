"""Changes to the national structures (issue 17, "What to build" 1 and 2): each named, atomic,
audited, versioned where it is edited; nothing is deleted (a board holder's time ends on a
date, a CRG is archived, a nomination is declined with its reason).

Rules (seed 000 §3.5 unless marked):
- one holder per Programme of Care board seat at a time ("a tripartite leadership structure");
- four local commissioner seats per CRG, one per region ("each CRG aiming to recruit four CCG
  representatives, one from each region");
- a seat is filled through a nomination by an oversight group of the seat's region, made at one
  of its held meetings (seed 000 §3.4: the groups enable "greater CCG clinical input into
  specialised service national policy development"); the nominee's CCG (or ICB) is in the
  group's hub and open on the term's first day; one holder per seat at a time;
- product decision: the national team (national admins) accepts or declines (with a reason);
  60 days before a term ends the region's oversight groups are reminded to nominate again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning import outbox
from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import NotAllowed, RuleError, StateConflict
from commissioning.models import OutboxItem
from governance.uploads import validate_upload
from hubs.models import CCG, ProgrammeOfCare, Region
from meetings.models import Meeting
from oversight.permissions import can_manage_group

from . import events
from .models import (
    SEATS_PER_CRG,
    BoardHolding,
    ClinicalReferenceGroup,
    CRGDocument,
    CRGDocumentVersion,
    CRGSeat,
    LeadershipSeat,
    Nomination,
    SeatTerm,
)

HOLDING_FIELDS = ["name", "organisation", "email", "start_date", "end_date"]
CRG_FIELDS = ["name", "programme", "chair", "archived"]
DOCUMENT_FIELDS = ["title", "kind", "url"]
REMINDER_DAYS = 60
FAR = datetime.date.max


def _check_dates(start: datetime.date, end: datetime.date | None, field: str = "end_date") -> None:
    if end is not None and end < start:
        raise RuleError("The end date must be on or after the start date.", field=field)


def _overlaps(start, end, other_start, other_end) -> bool:
    return start <= (other_end or FAR) and (end or FAR) >= other_start


# --- Programme of Care boards ---------------------------------------------------------------


def _check_one_holder(programme, seat, start, end, exclude=None) -> None:
    rows = BoardHolding.objects.select_for_update().filter(programme=programme, seat=seat)
    for other in rows.exclude(pk=exclude):
        if _overlaps(start, end, other.start_date, other.end_date):
            until = f" to {nhs_date(other.end_date)}" if other.end_date else ""
            raise RuleError(
                f"{other.name} holds this seat from {nhs_date(other.start_date)}{until}: one"
                " holder at a time. End their time in the seat first.",
                field="start_date",
            )


@transaction.atomic
def holding_add(
    *,
    by,
    programme: ProgrammeOfCare,
    seat: str,
    name: str,
    organisation: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    email: str = "",
) -> BoardHolding:
    """A person takes a leadership seat of a Programme of Care board from a date."""
    if seat not in LeadershipSeat.values:
        raise RuleError("Choose one of the board's three seats.", field="seat")
    _check_dates(start_date, end_date)
    _check_one_holder(programme, seat, start_date, end_date)
    holding = create_recorded(
        BoardHolding,
        by=by,
        programme=programme,
        seat=seat,
        name=name.strip(),
        organisation=organisation.strip(),
        email=email.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    events.record(by, events.HOLDING_ADDED, holding, seat=seat)
    return holding


@transaction.atomic
def holding_update(*, by, holding: BoardHolding, version: int, **changes) -> BoardHolding:
    """Correct a holder's details or dates (an end date ends their time in the seat)."""
    current = lock_version(BoardHolding, holding.pk, version, HOLDING_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in HOLDING_FIELDS}
    _check_dates(merged["start_date"], merged["end_date"])
    _check_one_holder(
        current.programme, current.seat, merged["start_date"], merged["end_date"], current.pk
    )
    changed = [f for f in HOLDING_FIELDS if getattr(current, f) != merged[f]]
    for field in changed:
        setattr(current, field, merged[field])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.HOLDING_CHANGED, current, fields=changed)
    return current


# --- Clinical Reference Groups --------------------------------------------------------------


def _check_name(name: str, exclude=None) -> str:
    name = name.strip()
    if not name:
        raise RuleError("Enter the CRG's name.", field="name")
    clash = ClinicalReferenceGroup.objects.filter(name__iexact=name).exclude(pk=exclude)
    if clash.exists():
        raise RuleError(f"There is a CRG called {name} already.", field="name")
    return name


@transaction.atomic
def crg_create(
    *, by, name: str, programme: ProgrammeOfCare, chair: str = "", with_seats: bool = False
) -> ClinicalReferenceGroup:
    """A national admin adds a CRG; `with_seats` adds its four regional seats at once."""
    crg = create_recorded(
        ClinicalReferenceGroup,
        by=by,
        name=_check_name(name),
        programme=programme,
        chair=chair.strip(),
    )
    events.record(by, events.CRG_CREATED, crg)
    if with_seats:
        for region in Region.objects.valid_on(timezone.localdate()).order_by("name"):
            seat_add(by=by, crg=crg, region=region)
    return crg


@transaction.atomic
def crg_update(
    *, by, crg: ClinicalReferenceGroup, version: int, **changes
) -> ClinicalReferenceGroup:
    current = lock_version(ClinicalReferenceGroup, crg.pk, version, CRG_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in CRG_FIELDS}
    merged["name"] = _check_name(merged["name"], current.pk)
    merged["chair"] = merged["chair"].strip()
    changed = [f for f in CRG_FIELDS if getattr(current, f) != merged[f]]
    for field in changed:
        setattr(current, field, merged[field])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.CRG_CHANGED, current, fields=changed)
    return current


@transaction.atomic
def seat_add(*, by, crg: ClinicalReferenceGroup, region: Region) -> CRGSeat:
    """A local commissioner seat for one region: four per CRG, one per region."""
    seats = list(CRGSeat.objects.select_for_update().filter(crg=crg).select_related("region"))
    if any(s.region_id == region.pk for s in seats):
        raise RuleError(
            f"{crg.name} has a seat for the {region.name} region already.", field="region"
        )
    if len(seats) >= SEATS_PER_CRG:
        raise RuleError(
            f"A CRG has {SEATS_PER_CRG} local commissioner seats, one per region: {crg.name}"
            " has them all.",
            field="region",
        )
    seat = create_recorded(CRGSeat, by=by, crg=crg, region=region)
    events.record(by, events.SEAT_ADDED, seat, region=region.slug)
    return seat


def _upload(file) -> tuple[str, str]:
    try:
        return validate_upload(file)
    except ValidationError as bad:
        raise RuleError(bad.messages[0], field="file") from bad


@transaction.atomic
def document_add(
    *, by, crg: ClinicalReferenceGroup, title: str, kind: str, url: str = "", file=None
) -> CRGDocument:
    """A specification or policy the CRG owns: a link, an uploaded first version, or both."""
    if kind not in CRGDocument.Kind.values:
        raise RuleError("Choose specification or policy.", field="kind")
    if not url and file is None:
        raise RuleError("Give a link or upload the document.", field="url")
    document = create_recorded(CRGDocument, by=by, crg=crg, title=title.strip(), kind=kind, url=url)
    events.record(by, events.DOCUMENT_ADDED, document)
    if file is not None:
        document_version_add(by=by, document=document, file=file)
    return document


@transaction.atomic
def document_update(*, by, document: CRGDocument, version: int, **changes) -> CRGDocument:
    current = lock_version(CRGDocument, document.pk, version, DOCUMENT_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in DOCUMENT_FIELDS}
    changed = [f for f in DOCUMENT_FIELDS if getattr(current, f) != merged[f]]
    for field in changed:
        setattr(current, field, merged[field])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.DOCUMENT_CHANGED, current, fields=changed)
    return current


@transaction.atomic
def document_version_add(*, by, document: CRGDocument, file) -> CRGDocumentVersion:
    """Upload a new version (PDF or DOCX, judged by content; numbered from 1)."""
    content_type, stored_name = _upload(file)
    locked = CRGDocument.objects.select_for_update().get(pk=document.pk)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    original = file.name.rsplit("/", 1)[-1][:255]
    file.name = stored_name
    version = CRGDocumentVersion.objects.create(
        document=locked,
        number=number,
        file=file,
        original_filename=original,
        content_type=content_type,
        size=file.size,
        created_by=by,
    )
    events.record(by, events.DOCUMENT_VERSION_UPLOADED, locked, number=number)
    return version


# --- seats: nominations and terms -----------------------------------------------------------


def _check_free(seat: CRGSeat, start, end, exclude_nomination=None) -> None:
    terms = SeatTerm.objects.select_for_update().filter(seat=seat)
    for term in terms:
        if _overlaps(start, end, term.start_date, term.end_date):
            raise RuleError(
                f"{term.holder_name} holds this seat from {term.term_label}: one holder at a"
                " time. Start the term after theirs ends.",
                field="term_start",
            )


@transaction.atomic
def nomination_create(
    *,
    by,
    seat: CRGSeat,
    meeting: Meeting,
    nominee_name: str,
    ccg: CCG,
    email: str,
    job_title: str,
    term_start: datetime.date,
    term_end: datetime.date,
) -> Nomination:
    """An oversight group nominates a clinician to a seat of its region, at a held meeting."""
    group = meeting.group
    if seat.crg.archived:
        raise StateConflict(f"{seat.crg.name} is archived: it takes no nominations.")
    if group is None or not can_manage_group(by, group):
        raise NotAllowed("Choose a meeting of an oversight group you run.", field="meeting")
    if not meeting.is_held:
        raise RuleError(
            "The group nominates at a meeting it has held: record the meeting as held first.",
            field="meeting",
        )
    if group.hub.region_id != seat.region_id:
        raise RuleError(
            f"{group.name} is in the {group.hub.region.name} region: this seat is the"
            f" {seat.region.name} region's. Only its region's oversight groups nominate to it.",
            field="meeting",
        )
    if term_end < term_start:
        raise RuleError("The term must end on or after its start.", field="term_end")
    if ccg.hub_id != group.hub_id:
        raise RuleError(
            f"{ccg.name} is not in the {group.hub.name} hub: nominate a clinician of one of"
            " the group's CCGs or ICBs.",
            field="ccg",
        )
    if not ccg.is_valid_on(term_start):
        raise RuleError(
            f"{ccg.name} was not open on {nhs_date(term_start)}, the term's first day.",
            field="ccg",
        )
    _check_free(seat, term_start, term_end)
    nomination = create_recorded(
        Nomination,
        by=by,
        seat=seat,
        meeting=meeting,
        nominee_name=nominee_name.strip(),
        ccg=ccg,
        email=email.strip(),
        job_title=job_title.strip(),
        term_start=term_start,
        term_end=term_end,
        created_by=by,
    )
    events.record(by, events.NOMINATED, nomination, seat=seat.pk, meeting=meeting.pk)
    return nomination


def _lock_awaiting(nomination: Nomination, version: int) -> Nomination:
    current = lock_version(Nomination, nomination.pk, version, ["status"])
    if not current.is_awaiting:
        raise StateConflict(f"The nomination was {current.get_status_display().lower()} already.")
    return current


@transaction.atomic
def nomination_accept(*, by, nomination: Nomination, version: int) -> SeatTerm:
    """The national team accepts: the nominee holds the seat for the term."""
    current = _lock_awaiting(nomination, version)
    _check_free(current.seat, current.term_start, current.term_end)
    current.status = Nomination.Status.ACCEPTED
    current.decided_by = by
    current.decided_on = timezone.localdate()
    save_versioned(current, by=by, fields=["status", "decided_by", "decided_on"])
    term = create_recorded(
        SeatTerm,
        by=by,
        seat=current.seat,
        nomination=current,
        holder_name=current.nominee_name,
        ccg=current.ccg,
        email=current.email,
        job_title=current.job_title,
        start_date=current.term_start,
        end_date=current.term_end,
    )
    events.record(by, events.NOMINATION_ACCEPTED, current, term=term.pk)
    return term


@transaction.atomic
def nomination_decline(*, by, nomination: Nomination, version: int, reason: str) -> Nomination:
    """The national team declines, saying why (the group sees the reason)."""
    reason = reason.strip()
    if not reason:
        raise RuleError("Say why the nomination is declined.", field="reason")
    current = _lock_awaiting(nomination, version)
    current.status = Nomination.Status.DECLINED
    current.decline_reason = reason
    current.decided_by = by
    current.decided_on = timezone.localdate()
    save_versioned(current, by=by, fields=["status", "decline_reason", "decided_by", "decided_on"])
    events.record(by, events.NOMINATION_DECLINED, current)
    return current


def seat_terms_remind(*, day: datetime.date) -> int:
    """Owe one reminder per seat and term end, for each seat (of a CRG not archived) whose
    latest term ends within REMINDER_DAYS of `day` or has ended (the seat is vacant): the
    region's oversight groups are asked to nominate again. Returns how many were owed now."""
    from . import tasks

    horizon = day + datetime.timedelta(days=REMINDER_DAYS)
    seats = (
        CRGSeat.objects.filter(crg__archived=False)
        .annotate(last_end=Max("terms__end_date"))
        .filter(last_end__lte=horizon)
        .select_related("crg", "region")
        .order_by("pk")
    )
    due = list(seats)
    keys = {s.pk: f"crg-seat-term:{s.pk}:{s.last_end}" for s in due}
    already = set(OutboxItem.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    owed = 0
    with transaction.atomic():
        for seat in due:
            if keys[seat.pk] in already:
                continue
            outbox.add(
                tasks.seat_term_reminder_send,
                seat.pk,
                seat.last_end.isoformat(),
                key=keys[seat.pk],
                label=f"CRG seat needs a nomination: {seat}",
            )
            events.record(None, events.TERM_REMINDER_OWED, seat, end=seat.last_end.isoformat())
            owed += 1
    return owed
