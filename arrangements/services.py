"""Changes to the formal arrangements register (issue 16, "What to build" 3; seed 003, "Place
Based Commissioning Options"): each named, atomic, audited and versioned; nothing is deleted.

The rules, and where they come from:
- A pooled budget is "underpinned by section 13V of the NHS Act 2006" and covers "specific,
  jointly prioritised service areas" (seed 003): its legal basis is s13V, and it names the
  services it pools.
- NHS England is a party to every arrangement (seed 003: it "retains formal responsibility"),
  so it is never chosen; the commissioners that are parties must each be open, and in the
  system, on the arrangement's start date (every rule on the date it concerns, never today).
- Money is checked as elsewhere (priorities): never negative, never over £1bn.
- The status moves proposed → agreed → live ⇄ under review → ended; any status but ended may
  also end (a proposal dropped: product decision). Going to "agreed" needs each party's
  contribution for the first financial year, and going "live" the signed agreement uploaded
  (product decision: an arrangement is not live on a handshake); "ended" needs an end date.
- Reviews due remind those who run the arrangement: one email per arrangement and review
  date, owed through the outbox (product decision: from 28 days before the review date).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from commissioning import outbox
from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError, StateConflict
from commissioning.models import OutboxItem
from governance.uploads import validate_upload
from hubs.models import CCG, IntegratedCareSystem, ProgrammeOfCare, SystemMember
from hubs.querysets import valid_on_q
from oversight.models import OversightGroup
from priorities.services.proposals import MONEY_LIMIT

from . import events
from .models import NHS_ENGLAND, Agreement, Arrangement, Contribution, year_label

Status = Arrangement.Status
Kind = Arrangement.Kind

FIELDS = [
    "title",
    "kind",
    "legal_basis",
    "legal_basis_other",
    "services",
    "host",
    "start_date",
    "end_date",
    "review_date",
    "board",
    "exemplar",
    "officer_name",
    "officer_title",
]
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.AGREED, Status.ENDED),
    Status.AGREED: (Status.LIVE, Status.ENDED),
    Status.LIVE: (Status.UNDER_REVIEW, Status.ENDED),
    Status.UNDER_REVIEW: (Status.LIVE, Status.ENDED),
    Status.ENDED: (),
}
REVIEW_NOTICE_DAYS = 28


class ArrangementError(RuleError):
    """A change to a formal arrangement that breaks a rule (see RuleError)."""


def _members_on(system: IntegratedCareSystem, day: datetime.date) -> set[int]:
    rows = SystemMember.objects.filter(valid_on_q(day), system=system)
    return set(rows.values_list("commissioner_id", flat=True))


def _check(system: IntegratedCareSystem, data: dict, parties: list[CCG], programmes) -> None:
    """Every rule on the arrangement's own fields, parties and services; raises on the first."""
    if not data["title"].strip():
        raise ArrangementError("Enter the arrangement's title.", field="title")
    start, end, review = data["start_date"], data["end_date"], data["review_date"]
    if end is not None and end < start:
        raise ArrangementError("The end date must be on or after the start date.", field="end_date")
    if review is not None and review < start:
        raise ArrangementError(
            "The review date must be on or after the start date.", field="review_date"
        )
    if not system.is_valid_on(start):
        raise ArrangementError(
            f"{system.name} did not exist on {nhs_date(start)}.", field="start_date"
        )
    pooled = data["kind"] == Kind.POOLED_BUDGET
    if pooled and data["legal_basis"] != Arrangement.LegalBasis.S13V:
        raise ArrangementError(
            "A pooled budget rests on section 13V of the NHS Act 2006: choose that legal basis.",
            field="legal_basis",
        )
    if (
        data["legal_basis"] == Arrangement.LegalBasis.OTHER
        and not data["legal_basis_other"].strip()
    ):
        raise ArrangementError("Say what the other legal basis is.", field="legal_basis_other")
    if pooled and not data["services"].strip():
        raise ArrangementError("A pooled budget needs the services it pools.", field="services")
    if not programmes:
        message = (
            "A pooled budget needs the services it pools: choose their Programmes of Care."
            if pooled
            else "Choose at least one Programme of Care."
        )
        raise ArrangementError(message, field="programmes")
    _check_parties(system, start, parties)
    host = data["host"]
    if host is not None and host.pk not in {p.pk for p in parties}:
        raise ArrangementError(
            f"The host is {NHS_ENGLAND} or one of the parties: {host.name} is not a party.",
            field="host",
        )
    board = data["board"]
    if board is not None and not (
        board.kind == OversightGroup.Kind.STRATEGY_BOARD and board.system_id == system.pk
    ):
        raise ArrangementError(f"Choose a strategy board of {system.name}, or none.", field="board")
    exemplar = data.get("exemplar")
    if exemplar is not None and exemplar.system_id != system.pk:
        raise ArrangementError(
            f"Choose an exemplar project of {system.name}, or none.", field="exemplar"
        )


def _check_parties(system: IntegratedCareSystem, start: datetime.date, parties: list[CCG]) -> None:
    if not parties:
        raise ArrangementError(
            "Choose the commissioners that are party to it with NHS England.", field="parties"
        )
    members = _members_on(system, start)
    for party in parties:
        if not party.is_valid_on(start):
            raise ArrangementError(
                f"{party.name} was not open on {nhs_date(start)}, the start date.",
                field="parties",
            )
        if party.pk not in members:
            raise ArrangementError(
                f"{party.name} was not a commissioner in {system.name} on {nhs_date(start)},"
                " the start date.",
                field="parties",
            )


def _clean(changes: dict) -> dict:
    data = dict(changes)
    for name in ("title", "legal_basis_other", "services", "officer_name", "officer_title"):
        data[name] = (data.get(name) or "").strip()
    return data


@transaction.atomic
def arrangement_create(
    *,
    by,
    system: IntegratedCareSystem,
    parties: list[CCG],
    programmes: list[ProgrammeOfCare],
    **fields,
) -> Arrangement:
    """Record a proposed arrangement in `system` (fields as in FIELDS; optional ones may be
    left out)."""
    data = _clean({name: fields.get(name) for name in FIELDS})
    data["kind"], data["legal_basis"] = fields["kind"], fields["legal_basis"]
    parties, programmes = list(parties), list(programmes)
    _check(system, data, parties, programmes)
    arrangement = create_recorded(Arrangement, by=by, system=system, created_by=by, **data)
    arrangement.parties.set(parties)
    arrangement.programmes.set(programmes)
    events.record(
        by,
        events.CREATED,
        arrangement,
        kind=arrangement.kind,
        parties=sorted(p.ods_code for p in parties),
    )
    return arrangement


def _open(arrangement_pk: int, version: int, fields: list[str]) -> Arrangement:
    current = lock_version(Arrangement, arrangement_pk, version, fields)
    if current.is_ended:
        raise StateConflict("The arrangement has ended: it is kept as it was.")
    return current


@transaction.atomic
def arrangement_update(
    *,
    by,
    arrangement: Arrangement,
    version: int,
    parties: list[CCG] | None = None,
    programmes: list[ProgrammeOfCare] | None = None,
    **changes,
) -> Arrangement:
    """Change an arrangement (naming the version it was read at); its status moves only by
    `arrangement_move`."""
    current = _open(arrangement.pk, version, FIELDS)
    merged = _clean({f: changes.get(f, getattr(current, f)) for f in FIELDS})
    new_parties = list(parties) if parties is not None else list(current.parties.all())
    new_programmes = list(programmes) if programmes is not None else list(current.programmes.all())
    _check(current.system, merged, new_parties, new_programmes)
    kept = {p.pk for p in new_parties}
    contributors = current.contributions.filter(party__isnull=False).exclude(party__in=kept)
    gone = contributors.select_related("party").first()
    if gone is not None:
        raise ArrangementError(
            f"{gone.party_name} has contributions recorded: it stays a party.", field="parties"
        )
    early = current.contributions.filter(year__lt=_financial_year(merged["start_date"])).first()
    if early is not None:
        raise ArrangementError(
            f"There is a contribution for {early.year_label}, before that start date.",
            field="start_date",
        )
    changed = [f for f in FIELDS if getattr(current, f) != merged[f]]
    for name in changed:
        setattr(current, name, merged[name])
    old_parties = set(current.parties.values_list("pk", flat=True))
    old_programmes = set(current.programmes.values_list("pk", flat=True))
    if old_parties != kept:
        changed.append("parties")
    if old_programmes != {p.pk for p in new_programmes}:
        changed.append("programmes")
    save_versioned(current, by=by, fields=[f for f in changed if f in FIELDS])
    current.parties.set(new_parties)
    current.programmes.set(new_programmes)
    events.record(by, events.UPDATED, current, fields=changed)
    return current


def _financial_year(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def missing_first_year(arrangement: Arrangement) -> list[str]:
    """The parties (NHS England first) with no contribution for the first financial year."""
    year = arrangement.first_year
    given = set(arrangement.contributions.filter(year=year).values_list("party_id", flat=True))
    missing = [] if None in given else [NHS_ENGLAND]
    missing += [p.name for p in arrangement.parties.order_by("name") if p.pk not in given]
    return missing


@transaction.atomic
def arrangement_move(
    *,
    by,
    arrangement: Arrangement,
    version: int,
    status: str,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Arrangement:
    """Move the arrangement to `status` (see the module's rules); its history keeps each move."""
    current = lock_version(Arrangement, arrangement.pk, version, ["status", "end_date"])
    was = current.status
    if status not in TRANSITIONS[was]:
        if was == Status.ENDED:
            raise StateConflict("The arrangement has ended: it is kept as it was.")
        raise ArrangementError(
            f"A {current.get_status_display().lower()} arrangement cannot become"
            f" {Status(status).label.lower() if status in Status.values else status}.",
            field="status",
        )
    fields = ["status"]
    if status == Status.AGREED:
        missing = missing_first_year(current)
        if missing:
            names = ", ".join(missing)
            raise ArrangementError(
                f"Record each party's contribution for {year_label(current.first_year)} before"
                f" it is agreed: none yet from {names}.",
                field="status",
            )
    if status == Status.LIVE and was == Status.AGREED and not current.agreements.exists():
        raise ArrangementError(
            "Upload the signed agreement before the arrangement goes live.", field="status"
        )
    if status == Status.ENDED:
        end = end_date or current.end_date
        if end is None:
            raise ArrangementError(
                "Give the end date: the day the arrangement ended.", field="end_date"
            )
        if end < current.start_date:
            raise ArrangementError(
                "The end date must be on or after the start date.", field="end_date"
            )
        if end != current.end_date:
            current.end_date = end
            fields.append("end_date")
    current.status = status
    save_versioned(current, by=by, fields=fields)
    events.record(by, events.STATUS_CHANGED, current, was=was, now=status, note=note.strip())
    return current


def _check_amount(amount: Decimal) -> None:
    if amount < 0:
        raise ArrangementError("A contribution cannot be negative.", field="amount")
    if amount > MONEY_LIMIT:
        raise ArrangementError(
            "A contribution of more than £1bn looks like a typing slip.", field="amount"
        )


@transaction.atomic
def contribution_add(
    *, by, arrangement: Arrangement, party: CCG | None, year: int, amount: Decimal
) -> Contribution:
    """A party's contribution for one financial year (`party` None: NHS England's); one per
    party per year."""
    current = Arrangement.objects.select_for_update().get(pk=arrangement.pk)
    if current.is_ended:
        raise StateConflict("The arrangement has ended: it is kept as it was.")
    _check_amount(amount)
    if party is not None and not current.parties.filter(pk=party.pk).exists():
        raise ArrangementError(f"{party.name} is not a party to this arrangement.", field="party")
    if year < current.first_year:
        raise ArrangementError(
            f"The arrangement starts in {year_label(current.first_year)}: choose that year or"
            " a later one.",
            field="year",
        )
    if current.end_date is not None and year > _financial_year(current.end_date):
        raise ArrangementError(
            f"The arrangement ends in {year_label(_financial_year(current.end_date))}.",
            field="year",
        )
    if current.contributions.filter(party=party, year=year).exists():
        who = party.name if party is not None else NHS_ENGLAND
        raise ArrangementError(
            f"{who} has a contribution for {year_label(year)} already: change that one.",
            field="year",
        )
    contribution = create_recorded(
        Contribution, by=by, arrangement=current, party=party, year=year, amount=amount
    )
    events.record(
        by,
        events.CONTRIBUTION_ADDED,
        current,
        party=party.ods_code if party else "NHS England",
        year=year,
        amount=str(amount),
    )
    return contribution


@transaction.atomic
def contribution_update(
    *, by, contribution: Contribution, version: int, amount: Decimal
) -> Contribution:
    """Correct a contribution's amount (its party and year stay: add another row for another)."""
    current = lock_version(Contribution, contribution.pk, version, ["amount"])
    if current.arrangement.is_ended:
        raise StateConflict("The arrangement has ended: it is kept as it was.")
    _check_amount(amount)
    was = current.amount
    current.amount = amount
    save_versioned(current, by=by, fields=["amount"])
    events.record(
        by,
        events.CONTRIBUTION_CHANGED,
        current.arrangement,
        contribution=current.pk,
        was=str(was),
        now=str(amount),
    )
    return current


@transaction.atomic
def agreement_upload(*, by, arrangement: Arrangement, file, note: str = "") -> Agreement:
    """A new version of the signed agreement (PDF or DOCX, judged by content); the earlier
    versions are kept."""
    current = Arrangement.objects.select_for_update().get(pk=arrangement.pk)
    if current.is_ended:
        raise StateConflict("The arrangement has ended: it is kept as it was.")
    try:
        content_type, name = validate_upload(file)
    except ValidationError as invalid:
        raise ArrangementError(invalid.messages[0], field="file") from invalid
    number = (current.agreements.aggregate(n=Max("number"))["n"] or 0) + 1
    agreement = Agreement(
        arrangement=current,
        number=number,
        original_filename=file.name[:255],
        content_type=content_type,
        size=file.size,
        note=note.strip()[:200],
        uploaded_by=by,
    )
    agreement.file.save(name, file, save=False)
    agreement.save()
    events.record(by, events.AGREEMENT_UPLOADED, current, number=number)
    return agreement


@transaction.atomic
def reviews_due_remind(*, day: datetime.date) -> int:
    """Owe one reminder per arrangement and review date, for each arrangement not ended whose
    review is due within REVIEW_NOTICE_DAYS of `day` (or overdue); returns how many were owed
    by this sweep (a date already owed is owed once)."""
    from . import tasks

    horizon = day + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    due = list(
        Arrangement.objects.exclude(status=Status.ENDED)
        .filter(review_date__lte=horizon)
        .order_by("pk")
    )
    keys = {a.pk: f"arrangement-review:{a.pk}:{a.review_date}" for a in due}
    already = set(OutboxItem.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    owed = 0
    for arrangement in due:
        review = arrangement.review_date
        if review is None or keys[arrangement.pk] in already:
            continue
        outbox.add(
            tasks.review_reminder_send,
            arrangement.pk,
            review.isoformat(),
            key=keys[arrangement.pk],
            label=f"Arrangement review due {nhs_date(review)}: {arrangement}",
        )
        events.record(None, events.REVIEW_REMINDER_OWED, arrangement, review=review.isoformat())
        owed += 1
    return owed
