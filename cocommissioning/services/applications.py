"""Primary care co-commissioning's changes (seed 002). Each service does one change under a
transaction, refuses with the kernel's errors (nothing is written), saves versioned rows with
their history, writes its audit event and owes its emails through the outbox (emails.py).

Who may call which is decided in `permissions.py`; these check only the rules of the record.

The workflow (seed 002, "Model 2", "Model 3", "Implementation timetable"):
draft → submitted → under regional review (questions and answers; changes requested →
resubmitted) → joint: approved by the region → implementing; delegated: assured and
recommended by the region → signed off by the Commissioning Committee → implementing → live on
the go-live date (a daily task, once); or not approved (with reasons), or withdrawn.
Greater involvement has no approval ("Model 1"): it is recorded as an arrangement.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from commissioning import audit
from commissioning.concurrency import attribute_to, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import RuleError, StateConflict
from hubs.models import CCG
from hubs.querysets import valid_on_q
from oversight import committees

from .. import emails
from ..models import (
    REQUIRED_DOCUMENTS,
    Application,
    ApplicationCCG,
    Arrangement,
    ConflictsReview,
    Document,
    Function,
    Message,
    Model,
)
from ..selectors import window_for

Status = Application.Status
EVENT = "cocommissioning."


def _create(cls, by, **fields):
    """Create a row, its first history record naming `by` (the kernel's create_recorded takes
    the model as `model`, which these rows have as a field)."""
    obj = cls(**fields)
    attribute_to(obj, by)
    obj.save()
    return obj


def party_ccgs(application: Application) -> list[CCG]:
    """The application's CCGs by name, with their hub and region (one query)."""
    parties = application.parties.select_related("ccg__hub__region").order_by("ccg__name")
    return [p.ccg for p in parties]


def _record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=EVENT + verb, target=target, **data)


# --- rules ----------------------------------------------------------------------------------


def check_functions(model: str, functions: list[str]) -> list[str]:
    """The functions asked for, in scope order. Joint and greater involvement take none of their
    own here; delegated takes at least one; QOF only with full delegation (every function)."""
    unknown = [f for f in functions if f not in Function.values]
    if unknown:
        raise RuleError(
            "Choose functions from the list: others are not open for delegation.", field="functions"
        )
    chosen = [f for f in Function.values if f in functions]
    if model != Model.DELEGATED:
        return []
    if not chosen:
        raise RuleError("Choose the functions the CCG will take on.", field="functions")
    if Function.QOF in chosen and len(chosen) < len(Function.values):
        raise RuleError(
            "QOF can be delegated only with full delegation: choose every other function too.",
            field="functions",
        )
    return chosen


def _check_go_live(model: str, go_live_on: datetime.date) -> None:
    if model == Model.GREATER_INVOLVEMENT:
        raise RuleError(
            "Greater involvement needs no application: record it as the CCG's arrangement.",
            field="model",
        )
    if window_for(model, go_live_on) is None:
        raise RuleError(
            f"There is no application window for {Model(model).label.lower()} going live on "
            f"{nhs_date(go_live_on)}: choose a go-live date the timetable offers.",
            field="go_live_on",
        )


def _check_ccgs_open(ccgs: list[CCG], day: datetime.date) -> None:
    open_ids = set(
        CCG.objects.filter(valid_on_q(day), pk__in=[c.pk for c in ccgs]).values_list(
            "pk", flat=True
        )
    )
    closed = [c for c in ccgs if c.pk not in open_ids]
    if closed:
        names = ", ".join(c.name for c in closed)
        raise RuleError(f"Not open on the go-live date, {nhs_date(day)}: {names}.", field="ccgs")


def _check_no_other_open(ccgs: list[CCG], go_live_on: datetime.date, exclude=None) -> None:
    others = Application.objects.filter(
        status__in=Application.OPEN, go_live_on=go_live_on, parties__ccg__in=ccgs
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.select_related("lead_ccg").first()
    if clash is not None:
        raise RuleError(
            f"There is already an open application for {nhs_date(go_live_on)} including "
            f"{clash.lead_ccg.name}: withdraw it or continue it.",
            field="go_live_on",
        )


def _ccg_list(lead: CCG, partners: list[CCG], model: str) -> list[CCG]:
    ccgs = [lead, *[c for c in partners if c.pk != lead.pk]]
    if model != Model.JOINT and len(ccgs) > 1:
        raise RuleError("Only a joint committee brings several CCGs together.", field="ccgs")
    return ccgs


# --- drafting (CCG leads) -------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    by,
    lead_ccg: CCG,
    model: str,
    go_live_on: datetime.date,
    functions: list[str] | None = None,
    partners: list[CCG] | None = None,
    pooled_budget: bool = False,
    summary: str = "",
) -> Application:
    _check_go_live(model, go_live_on)
    chosen = check_functions(model, functions or [])
    ccgs = _ccg_list(lead_ccg, partners or [], model)
    _check_ccgs_open(ccgs, go_live_on)
    _check_no_other_open(ccgs, go_live_on)
    application = _create(
        Application,
        by,
        model=model,
        go_live_on=go_live_on,
        lead_ccg=lead_ccg,
        functions=chosen,
        pooled_budget=pooled_budget and model == Model.JOINT,
        summary=summary,
        created_by=by,
    )
    ApplicationCCG.objects.bulk_create(
        [ApplicationCCG(application=application, ccg=c) for c in ccgs]
    )
    _record(by, "application.created", application, model=model)
    return application


@transaction.atomic
def application_update(
    *,
    by,
    application: Application,
    version: int,
    go_live_on: datetime.date,
    functions: list[str],
    summary: str,
    pooled_budget: bool = False,
) -> Application:
    current = lock_version(
        Application, application.pk, version, ["go_live_on", "functions", "summary"]
    )
    if not current.is_editable:
        raise StateConflict("Only a draft, or one returned for changes, can be changed.")
    _check_go_live(current.model, go_live_on)
    ccgs = [p.ccg for p in current.parties.select_related("ccg")]
    _check_ccgs_open(ccgs, go_live_on)
    _check_no_other_open(ccgs, go_live_on, exclude=current)
    current.go_live_on = go_live_on
    current.functions = check_functions(current.model, functions)
    current.summary = summary
    current.pooled_budget = pooled_budget and current.model == Model.JOINT
    save_versioned(current, by=by, fields=["go_live_on", "functions", "summary", "pooled_budget"])
    _record(by, "application.updated", current)
    return current


@transaction.atomic
def document_attach(
    *, by, application: Application, kind: str, upload, content_type: str, stored_name: str
) -> Document:
    """Attach a checked upload (see governance.uploads.validate_upload); the same kind's earlier
    document is withdrawn (kept)."""
    current = Application.objects.select_for_update().get(pk=application.pk)
    if not current.is_editable:
        raise StateConflict("Documents can be changed only while the application is a draft.")
    if kind not in Document.Kind.values:
        raise RuleError("Choose what the document is.", field="kind")
    Document.objects.filter(application=current, kind=kind, withdrawn=False).update(withdrawn=True)
    document = Document(
        application=current,
        kind=kind,
        original_filename=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(stored_name, upload, save=False)
    attribute_to(document, by)
    document.save()
    _record(by, "document.attached", current, kind=kind, filename=document.original_filename)
    return document


@transaction.atomic
def party_confirm(*, by, application: Application, ccg: CCG) -> ApplicationCCG:
    """A partner CCG's lead confirms the CCG takes part (joint applications)."""
    parties = ApplicationCCG.objects.select_for_update().filter(application=application, ccg=ccg)
    party = parties.first()
    if party is None:
        raise RuleError(f"{ccg.name} is not part of this application.", field="ccg")
    if not application.is_open:
        raise StateConflict("This application is closed.")
    if party.confirmed_at is None:
        party.confirmed_at, party.confirmed_by = timezone.now(), by
        party.save(update_fields=["confirmed_at", "confirmed_by"])
        _record(by, "application.confirmed", application, ccg=ccg.ods_code)
    return party


def missing_documents(application: Application) -> list[str]:
    held = set(application.documents.filter(withdrawn=False).values_list("kind", flat=True))
    return [
        Document.Kind(k).label
        for k in REQUIRED_DOCUMENTS[Model(application.model)]
        if k not in held
    ]


@transaction.atomic
def application_submit(*, by, application: Application, version: int) -> Application:
    """Submit (or resubmit after changes) for regional review. Refused after the window's
    deadline unless the region has recorded its agreement to a late application."""
    current = lock_version(Application, application.pk, version, ["status"])
    if not current.is_editable:
        raise StateConflict("Only a draft, or one returned for changes, can be submitted.")
    missing = missing_documents(current)
    if missing:
        raise RuleError(f"Attach the {', '.join(missing).lower()} first.", field="documents")
    window = window_for(current.model, current.go_live_on)
    if window is None:
        raise RuleError("The application window has closed for this date.", field="go_live_on")
    today = timezone.localdate()
    first_time = current.submitted_at is None
    if first_time and today > window.submit_by and current.late_agreed_at is None:
        raise RuleError(
            f"Proposals for {nhs_date(current.go_live_on)} were due by "
            f"{nhs_date(window.submit_by)}. A late application needs the region's agreement, "
            "recorded on the application.",
            field="go_live_on",
        )
    parties = list(current.parties.select_related("ccg"))
    _check_ccgs_open([p.ccg for p in parties], current.go_live_on)
    unconfirmed = [
        p.ccg.name for p in parties if p.confirmed_at is None and p.ccg_id != current.lead_ccg_id
    ]
    if unconfirmed:
        raise RuleError(
            f"Each CCG's lead must confirm first; waiting for {', '.join(unconfirmed)}.",
            field="ccgs",
        )
    ApplicationCCG.objects.filter(application=current, ccg=current.lead_ccg).update(
        confirmed_at=timezone.now(), confirmed_by=by
    )
    current.status = Status.SUBMITTED
    current.submitted_at = timezone.now()
    save_versioned(current, by=by, fields=["status", "submitted_at"])
    _record(by, "application.submitted", current, resubmitted=not first_time)
    emails.owe(current, "submitted")
    return current


@transaction.atomic
def application_withdraw(*, by, application: Application, version: int, reason: str) -> Application:
    current = lock_version(Application, application.pk, version, ["status"])
    if current.status in (Status.LIVE, Status.NOT_APPROVED, Status.WITHDRAWN):
        raise StateConflict("This application is closed already.")
    if not reason.strip():
        raise RuleError("Say why the application is withdrawn.", field="reason")
    current.status, current.decision_note = Status.WITHDRAWN, reason.strip()
    current.decided_at, current.decided_by = timezone.now(), by
    save_versioned(current, by=by, fields=["status", "decision_note", "decided_at", "decided_by"])
    _record(by, "application.withdrawn", current, reason=reason.strip())
    emails.owe(current, "withdrawn")
    return current


# --- the region -----------------------------------------------------------------------------


@transaction.atomic
def late_agree(*, by, application: Application, version: int, reason: str) -> Application:
    """The region records its agreement to an application after the window's deadline."""
    current = lock_version(Application, application.pk, version, ["late_agreed_at"])
    if not current.is_editable:
        raise StateConflict("Agreement to a late application is recorded before it is submitted.")
    if not reason.strip():
        raise RuleError("Record why the region agrees to a late application.", field="reason")
    current.late_agreed_at, current.late_agreed_by = timezone.now(), by
    current.late_reason = reason.strip()
    save_versioned(current, by=by, fields=["late_agreed_at", "late_agreed_by", "late_reason"])
    _record(by, "application.late_agreed", current, reason=current.late_reason)
    emails.owe(current, "late_agreed")
    return current


@transaction.atomic
def review_start(*, by, application: Application, version: int) -> Application:
    current = lock_version(Application, application.pk, version, ["status"])
    if current.status != Status.SUBMITTED:
        raise StateConflict("Only a submitted application can be taken into review.")
    current.status = Status.UNDER_REVIEW
    save_versioned(current, by=by, fields=["status"])
    if current.model == Model.DELEGATED:
        ConflictsReview.objects.get_or_create(application=current)
    _record(by, "application.review_started", current)
    return current


@transaction.atomic
def message_add(*, by, application: Application, kind: str, text: str) -> Message:
    """A question from the region, an answer from the CCG, or a note. Changes requested go
    through `changes_request`."""
    if not application.is_open:
        raise StateConflict("This application is closed.")
    if kind not in (Message.Kind.QUESTION, Message.Kind.ANSWER, Message.Kind.NOTE):
        raise RuleError("Choose a question, an answer or a note.", field="kind")
    if not text.strip():
        raise RuleError("Write the message.", field="text")
    message = Message.objects.create(application=application, kind=kind, text=text.strip(), by=by)
    _record(by, f"application.{kind}", application)
    emails.owe_message(message)
    return message


@transaction.atomic
def changes_request(*, by, application: Application, version: int, text: str) -> Application:
    current = lock_version(Application, application.pk, version, ["status"])
    if current.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        raise StateConflict("Changes can be asked for only while the region reviews it.")
    if not text.strip():
        raise RuleError("Say what must change.", field="text")
    Message.objects.create(application=current, kind=Message.Kind.CHANGES, text=text.strip(), by=by)
    current.status = Status.CHANGES_REQUESTED
    save_versioned(current, by=by, fields=["status"])
    _record(by, "application.changes_requested", current)
    emails.owe(current, "changes_requested")
    return current


@transaction.atomic
def conflicts_review_save(
    *, by, review: ConflictsReview, version: int, **answers
) -> ConflictsReview:
    """Save the region's checklist; with an outcome it is complete (every check answered)."""
    current = lock_version(ConflictsReview, review.pk, version, list(answers))
    if current.application.status != Status.UNDER_REVIEW:
        raise StateConflict("The checklist is completed while the region reviews the application.")
    names = [name for name, _ in ConflictsReview.CHECKS]
    for name in names:
        value = answers.get(name, "")
        if value and value not in ConflictsReview.Answer.values:
            raise RuleError("Choose met, partly met or not met.", field=name)
        setattr(current, name, value)
        setattr(current, f"{name}_evidence", answers.get(f"{name}_evidence", "").strip())
    outcome = answers.get("outcome", "")
    if outcome:
        unanswered = [label for name, label in ConflictsReview.CHECKS if not getattr(current, name)]
        if unanswered:
            raise RuleError(
                f"Answer every check before the outcome: {unanswered[0].lower()}.",
                field=names[[label for _, label in ConflictsReview.CHECKS].index(unanswered[0])],
            )
        if outcome not in ConflictsReview.Outcome.values:
            raise RuleError("Choose assured or not assured.", field="outcome")
        current.completed_at, current.completed_by = timezone.now(), by
    else:
        current.completed_at = current.completed_by = None
    current.outcome = outcome
    current.outcome_note = answers.get("outcome_note", "").strip()
    fields = [*names, *[f"{n}_evidence" for n in names], "outcome", "outcome_note"]
    save_versioned(current, by=by, fields=[*fields, "completed_at", "completed_by"])
    _record(by, "conflicts.reviewed", current.application, outcome=outcome)
    return current


def _decide(current: Application, by, status: str, note: str, at=None) -> None:
    """Record a decision; `at`: when it was taken, if not now (a committee's, at its meeting)."""
    current.status, current.decision_note = status, note.strip()
    current.decided_at, current.decided_by = at or timezone.now(), by
    save_versioned(current, by=by, fields=["status", "decision_note", "decided_at", "decided_by"])


@transaction.atomic
def application_approve(
    *, by, application: Application, version: int, note: str = ""
) -> Application:
    """The region approves a joint application, assured it meets the governance framework (seed
    002, "Model 2: Joint commissioning"); it is implemented for its go-live date, and its joint
    committee of the CCGs and NHS England is set up (from today, the day it is agreed) to hold
    its meetings in the product."""
    current = lock_version(Application, application.pk, version, ["status"])
    if current.model != Model.JOINT:
        raise RuleError("Delegated applications are recommended to the Commissioning Committee.")
    if current.status != Status.UNDER_REVIEW:
        raise StateConflict("Only an application under review can be approved.")
    _decide(current, by, Status.IMPLEMENTING, note)
    parties = party_ccgs(current)
    committee = committees.joint_committee_create(
        by=by, region=parties[0].hub.region, ccgs=parties, start_date=timezone.localdate()
    )
    _record(by, "application.approved", current, committee=committee.pk)
    emails.owe(current, "approved")
    return current


@transaction.atomic
def application_recommend(
    *, by, application: Application, version: int, note: str = ""
) -> Application:
    """The region, assured about conflicts of interest, recommends a delegated application to
    the Commissioning Committee (seed 002, "Model 3: Delegated arrangements")."""
    current = lock_version(Application, application.pk, version, ["status"])
    if current.model != Model.DELEGATED:
        raise RuleError("Joint applications are approved by the region.")
    if current.status != Status.UNDER_REVIEW:
        raise StateConflict("Only an application under review can be recommended.")
    review = ConflictsReview.objects.filter(application=current).first()
    if review is None or review.outcome != ConflictsReview.Outcome.ASSURED:
        raise RuleError(
            "Complete the conflicts of interest review with the outcome assured first.",
            field="conflicts_review",
        )
    _decide(current, by, Status.RECOMMENDED, note)
    _record(by, "application.recommended", current)
    emails.owe(current, "recommended")
    return current


@transaction.atomic
def application_refuse(*, by, application: Application, version: int, reason: str) -> Application:
    """Not approved, with reasons, by the region while it reviews. (The Commissioning
    Committee decides a recommended application at a meeting: committee.application_decide.)"""
    current = lock_version(Application, application.pk, version, ["status"])
    if current.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        raise StateConflict("Only an application under the region's review can be refused here.")
    if not reason.strip():
        raise RuleError("Give the reasons the application is not approved.", field="reason")
    _decide(current, by, Status.NOT_APPROVED, reason)
    _record(by, "application.not_approved", current, reason=reason.strip())
    emails.owe(current, "not_approved")
    return current


# --- go-live and arrangements ---------------------------------------------------------------


def _arrangement_start(
    *, by, ccg: CCG, model: str, day: datetime.date, functions, application=None
):
    """End the CCG's open arrangement the day before and start the new one."""
    open_one = (
        Arrangement.objects.select_for_update().filter(ccg=ccg, valid_to__isnull=True).first()
    )
    if open_one is not None:
        if open_one.valid_from >= day:
            raise RuleError(
                f"{ccg.name} has an arrangement from {nhs_date(open_one.valid_from)} already.",
                field="valid_from",
            )
        open_one.valid_to = day - datetime.timedelta(days=1)
        attribute_to(open_one, by)
        open_one.save(update_fields=["valid_to"])
    return _create(
        Arrangement,
        by,
        ccg=ccg,
        model=model,
        functions=functions,
        valid_from=day,
        application=application,
        recorded_by=by,
    )


@transaction.atomic
def greater_involvement_record(*, by, ccg: CCG, valid_from: datetime.date) -> Arrangement:
    """Greater involvement needs no approval: the CCG and its area team agree it at any time
    (seed 002, "Model 1: Greater involvement")."""
    if not CCG.objects.filter(valid_on_q(valid_from), pk=ccg.pk).exists():
        raise RuleError(f"{ccg.name} was not open on {nhs_date(valid_from)}.", field="valid_from")
    arrangement = _arrangement_start(
        by=by, ccg=ccg, model=Model.GREATER_INVOLVEMENT, day=valid_from, functions=[]
    )
    _record(by, "arrangement.recorded", arrangement, model=Model.GREATER_INVOLVEMENT)
    return arrangement


def applications_go_live(*, day: datetime.date) -> int:
    """Daily: every approved application whose go-live date has come goes live, once (claimed
    by a conditional update, so two overlapping runs make each live once). Returns how many."""
    live = 0
    due = Application.objects.filter(status=Status.IMPLEMENTING, go_live_on__lte=day)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Application.objects.filter(pk=pk, status=Status.IMPLEMENTING).update(
                status=Status.LIVE, live_at=timezone.now()
            )
            if not claimed:
                continue
            application = Application.objects.get(pk=pk)
            for party in application.parties.select_related("ccg"):
                _arrangement_start(
                    by=None,
                    ccg=party.ccg,
                    model=application.model,
                    day=application.go_live_on,
                    functions=application.functions,
                    application=application,
                )
            _record(None, "application.live", application)
            emails.owe(application, "live")
            live += 1
    return live
