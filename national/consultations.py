"""Consultations on CRG documents and the oversight groups' responses (issue 17, "What to
build" 3; seed 000 §3.4, "Enabling greater CCG clinical input into specialised service national
policy development, standards and specification"): each change named, atomic, audited and
versioned; nothing deleted (a consultation is archived).

Rules (product decisions where the issue is silent):
- a consultation is on an uploaded version of one of the CRG's own documents; it opens today
  or later and closes on or after it opens, never in the past, and at most two years ahead;
- it may be closed early (once open), extended to a later closing date (which reopens one
  closed early), and archived; an archived consultation changes no more;
- while it is open, the hub's staff answer once for their open oversight group, and a CCG's
  (ICB's) lead once as their CCG when it is a member of an open group and open itself that day
  ("every date in its own time"); an answer is changed, with its version, until the consultation
  closes, and is read-only after;
- reminders: 7 and 2 days before the closing date the staff of each open group that has not
  answered are emailed, once per consultation, closing date, group and reminder.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.permissions import scopes
from commissioning import outbox
from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import NotAllowed, RuleError, StateConflict
from commissioning.limits import check_day, years_after
from commissioning.models import OutboxItem
from hubs.models import CCG
from oversight.models import OversightGroup
from oversight.permissions import can_manage_hub

from . import events
from .consultation_permissions import member_groups_of, open_groups
from .models import Consultation, ConsultationResponse, CRGDocumentVersion

CONSULTATION_FIELDS = ["title", "summary", "questions"]
RESPONSE_FIELDS = ["position", "body"]
REMINDER_DAYS = (7, 2)
YEARS_AHEAD = 2


def _text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleError(f"Enter {what}.", field=field)
    return value


def _check_closing(closes_on: datetime.date, today: datetime.date) -> None:
    if closes_on < today:
        raise RuleError(
            f"The closing date {nhs_date(closes_on)} is in the past: choose today"
            f" ({nhs_date(today)}) or later.",
            field="closes_on",
        )
    check_day(closes_on, field="closes_on", latest=years_after(today, YEARS_AHEAD))


# --- the national team's side ----------------------------------------------------------------


@transaction.atomic
def consultation_open(
    *,
    by,
    document_version: CRGDocumentVersion,
    title: str,
    summary: str,
    questions: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
) -> Consultation:
    """The national team opens a consultation on a version of one of the CRG's documents."""
    today = timezone.localdate()
    crg = document_version.document.crg
    if crg.archived:
        raise StateConflict(f"{crg.name} is archived: it opens no consultations.")
    title = _text(title, "title", "the consultation's title")
    summary = _text(summary, "summary", "a summary of the draft")
    questions = _text(questions, "questions", "what feedback is sought")
    if opens_on < today:
        raise RuleError(
            f"The opening date {nhs_date(opens_on)} is in the past: open it today or later.",
            field="opens_on",
        )
    _check_closing(closes_on, today)
    if closes_on < opens_on:
        raise RuleError("The closing date must be on or after the opening date.", field="closes_on")
    consultation = create_recorded(
        Consultation,
        by=by,
        crg=crg,
        document_version=document_version,
        title=title,
        summary=summary,
        questions=questions,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    events.record(
        by,
        events.CONSULTATION_OPENED,
        consultation,
        document_version=document_version.pk,
        closes_on=closes_on.isoformat(),
    )
    return consultation


def _lock_live(consultation: Consultation, version: int, fields: list[str]) -> Consultation:
    current = lock_version(Consultation, consultation.pk, version, fields)
    if current.archived:
        raise StateConflict("The consultation is archived: it changes no more.")
    return current


@transaction.atomic
def consultation_update(*, by, consultation: Consultation, version: int, **changes) -> Consultation:
    """Correct the title, summary or what feedback is sought."""
    current = _lock_live(consultation, version, CONSULTATION_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in CONSULTATION_FIELDS}
    merged["title"] = _text(merged["title"], "title", "the consultation's title")
    merged["summary"] = _text(merged["summary"], "summary", "a summary of the draft")
    merged["questions"] = _text(merged["questions"], "questions", "what feedback is sought")
    changed = [f for f in CONSULTATION_FIELDS if getattr(current, f) != merged[f]]
    for field in changed:
        setattr(current, field, merged[field])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.CONSULTATION_CHANGED, current, fields=changed)
    return current


@transaction.atomic
def consultation_close(*, by, consultation: Consultation, version: int) -> Consultation:
    """Close an open consultation early, today: its responses become read-only."""
    current = _lock_live(consultation, version, ["closes_on", "closed_early_on"])
    today = timezone.localdate()
    state = current.state_on(today)
    if state == Consultation.State.SCHEDULED:
        raise StateConflict(
            f"The consultation opens on {nhs_date(current.opens_on)}: it cannot close before"
            " it opens. Archive it instead."
        )
    if state == Consultation.State.CLOSED:
        raise StateConflict(f"The consultation closed on {nhs_date(current.last_day)} already.")
    current.closed_early_on = today
    save_versioned(current, by=by, fields=["closed_early_on"])
    events.record(by, events.CONSULTATION_CLOSED, current, on=today.isoformat())
    return current


@transaction.atomic
def consultation_extend(
    *, by, consultation: Consultation, version: int, closes_on: datetime.date
) -> Consultation:
    """Move the closing date later (reopening a consultation closed early)."""
    current = _lock_live(consultation, version, ["closes_on", "closed_early_on"])
    today = timezone.localdate()
    _check_closing(closes_on, today)
    if current.closed_early_on is None and closes_on <= current.closes_on:
        raise RuleError(
            f"It closes on {nhs_date(current.closes_on)}: choose a later date to extend it.",
            field="closes_on",
        )
    was = current.closes_on
    current.closes_on = closes_on
    current.closed_early_on = None
    save_versioned(current, by=by, fields=["closes_on", "closed_early_on"])
    events.record(
        by,
        events.CONSULTATION_EXTENDED,
        current,
        was=was.isoformat(),
        closes_on=closes_on.isoformat(),
    )
    return current


@transaction.atomic
def consultation_archive(*, by, consultation: Consultation, version: int) -> Consultation:
    """Archive: kept with its responses for national admins, out of everyone else's lists."""
    current = _lock_live(consultation, version, ["archived"])
    current.archived = True
    save_versioned(current, by=by, fields=["archived"])
    events.record(by, events.CONSULTATION_ARCHIVED, current)
    return current


# --- the groups' and CCGs' side --------------------------------------------------------------


def _check_open(consultation: Consultation, today: datetime.date) -> None:
    state = consultation.state_on(today)
    if state == Consultation.State.OPEN:
        return
    if state == Consultation.State.SCHEDULED:
        raise StateConflict(f"The consultation opens on {nhs_date(consultation.opens_on)}.")
    if state == Consultation.State.ARCHIVED:
        raise StateConflict("The consultation is archived: responses are read-only.")
    raise StateConflict(
        f"The consultation closed on {nhs_date(consultation.last_day)}: responses are read-only."
    )


def _check_respondent(by, group: OversightGroup, ccg: CCG | None, today: datetime.date) -> None:
    if ccg is None:
        if not can_manage_hub(by, group.hub):
            raise NotAllowed("Only the hub's staff answer for its oversight group.", field="group")
    elif ccg.pk not in scopes(by).ccg_ids:
        raise NotAllowed("Only the CCG's (or ICB's) own leads answer as it.", field="ccg")
    if not open_groups(today).filter(pk=group.pk).exists():
        raise RuleError(f"{group.name} is not open: it answers no consultations.", field="group")
    if ccg is None:
        return
    if not member_groups_of([ccg.pk]).filter(group=group).exists():
        raise RuleError(
            f"{ccg.name} is not a member of {group.name}: a CCG answers through the group it"
            " is a member of.",
            field="ccg",
        )
    if not ccg.is_valid_on(today):
        raise RuleError(f"{ccg.name} is not open on {nhs_date(today)}.", field="ccg")


def _check_answer(position: str, body: str) -> str:
    if position not in ConsultationResponse.Position.values:
        raise RuleError("Choose the group's position on the draft.", field="position")
    return _text(body, "body", "the response")


@transaction.atomic
def response_submit(
    *,
    by,
    consultation: Consultation,
    group: OversightGroup,
    ccg: CCG | None = None,
    position: str,
    body: str,
) -> ConsultationResponse:
    """An open group's response (by its hub's staff), or a member CCG's own (by its lead)."""
    today = timezone.localdate()
    # Responses to one consultation are made one at a time (one per group or CCG in a race).
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_open(locked, today)
    _check_respondent(by, group, ccg, today)
    body = _check_answer(position, body)
    given = ConsultationResponse.objects.filter(consultation=locked, group=group, ccg=ccg)
    if given.exists():
        who = ccg.name if ccg is not None else group.name
        raise StateConflict(f"{who} has responded already: change that response instead.")
    response = create_recorded(
        ConsultationResponse,
        by=by,
        consultation=locked,
        group=group,
        ccg=ccg,
        position=position,
        body=body,
        submitted_at=timezone.now(),
        submitted_by=by,
    )
    events.record(
        by,
        events.CONSULTATION_RESPONDED,
        response,
        consultation=locked.pk,
        group=group.pk,
        ccg=ccg.ods_code if ccg else None,
    )
    return response


@transaction.atomic
def response_update(
    *, by, response: ConsultationResponse, version: int, **changes
) -> ConsultationResponse:
    """Change a response while the consultation is open."""
    current = lock_version(ConsultationResponse, response.pk, version, RESPONSE_FIELDS)
    today = timezone.localdate()
    _check_open(current.consultation, today)
    _check_respondent(by, current.group, current.ccg, today)
    merged = {f: changes.get(f, getattr(current, f)) for f in RESPONSE_FIELDS}
    merged["body"] = _check_answer(merged["position"], merged["body"])
    changed = [f for f in RESPONSE_FIELDS if getattr(current, f) != merged[f]]
    for field in changed:
        setattr(current, field, merged[field])
    current.updated_at, current.updated_by = timezone.now(), by
    save_versioned(current, by=by, fields=[*changed, "updated_at", "updated_by"])
    events.record(by, events.CONSULTATION_RESPONSE_CHANGED, current, fields=changed)
    return current


# --- reminders -------------------------------------------------------------------------------


def reminder_due(consultation: Consultation, day: datetime.date) -> int | None:
    """The reminder (days before closing) owed on `day`: the nearest of REMINDER_DAYS not
    before it, so a sweep that missed a day still sends the later one, never both late."""
    if not consultation.is_open_on(day):
        return None
    left = (consultation.closes_on - day).days
    due = [n for n in REMINDER_DAYS if left <= n]
    return min(due) if due else None


def reminder_key(consultation: Consultation, group_id: int, days: int) -> str:
    return f"consultation-reminder:{consultation.pk}:{consultation.closes_on}:{days}:{group_id}"


def consultations_remind(*, day: datetime.date) -> int:
    """Owe one reminder per open consultation, closing date, reminder and open group that has
    not answered, to its hub's staff. Returns how many were owed now."""
    from . import tasks

    consultations: list[tuple[Consultation, int]] = []
    for c in Consultation.objects.filter(
        archived=False, closed_early_on__isnull=True, opens_on__lte=day, closes_on__gte=day
    ).order_by("pk"):
        due = reminder_due(c, day)
        if due is not None:
            consultations.append((c, due))
    if not consultations:
        return 0
    groups = list(open_groups(day).select_related("hub").order_by("pk"))
    answered = set(
        ConsultationResponse.objects.filter(
            consultation__in=[c for c, _ in consultations], ccg__isnull=True
        ).values_list("consultation_id", "group_id")
    )
    owed_now = {
        reminder_key(c, g.pk, n): (c, g, n)
        for c, n in consultations
        for g in groups
        if (c.pk, g.pk) not in answered
    }
    already = set(OutboxItem.objects.filter(key__in=list(owed_now)).values_list("key", flat=True))
    owed = 0
    with transaction.atomic():
        for key, (consultation, group, days) in owed_now.items():
            if key in already:
                continue
            outbox.add(
                tasks.consultation_reminder_send,
                consultation.pk,
                group.pk,
                consultation.closes_on.isoformat(),
                days,
                key=key,
                label=f"Consultation closes in {days} days: {group.name}, {consultation}",
            )
            events.record(
                None,
                events.CONSULTATION_REMINDER_OWED,
                consultation,
                group=group.pk,
                days=days,
            )
            owed += 1
    return owed
