"""Every change to evaluations (issue 17, "What to build" 6; seed 000 §4.2.1): named, atomic,
audited, version-locked; nothing deleted (an evaluation is archived with its reason). Sharing is
once to each place: the learning library keeps the evaluation's text as it was shared, and the
idea exchange gets a post of the hub's, written through the idea exchange's own service."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import NotAllowed, RuleError, StateConflict
from commissioning.limits import LONG_TEXT
from ideas import services as ideas
from ideas.models import Post, Theme
from priorities.models import Delivery, Proposal
from priorities.services.proposals import MONEY_LIMIT

from . import events
from .models import Evaluation, Rating, evaluation_opens_on, year_end
from .permissions import can_evaluate

TEXT_FIELDS = ["benefits", "working", "perverse_incentives", "blockages", "good_practice"]
FIELDS = ["rating", "qipp_realised", "theme", *TEXT_FIELDS]


class EvaluationError(RuleError):
    """A refusal about an evaluation (400 beside its field)."""


def planned_qipp(proposal: Proposal) -> Decimal:
    """What the priority planned to save: its delivery's QIPP target, or where none was set the
    proposal's estimate."""
    delivery = Delivery.objects.filter(proposal=proposal).first()
    if delivery is not None and delivery.qipp_target > 0:
        return delivery.qipp_target
    return proposal.qipp_savings


def _cleaned(
    *,
    rating: str,
    qipp_realised: Decimal | None,
    theme: str,
    benefits: str,
    working: str = "",
    perverse_incentives: str = "",
    blockages: str = "",
    good_practice: str = "",
) -> dict:
    if rating not in Rating.values:
        raise EvaluationError("Choose whether the planned aims were met.", field="rating")
    money = Decimal(0) if qipp_realised is None else Decimal(qipp_realised)
    if money < 0:
        raise EvaluationError("QIPP savings realised cannot be negative.", field="qipp_realised")
    if money > MONEY_LIMIT:
        raise EvaluationError(
            "QIPP savings of more than £1bn look like a typing slip.", field="qipp_realised"
        )
    if money != money.to_integral_value():
        raise EvaluationError("Enter whole pounds.", field="qipp_realised")
    if theme not in Theme.values:
        raise EvaluationError("Choose a theme from the list.", field="theme")
    text = {
        "benefits": (benefits or "").strip(),
        "working": (working or "").strip(),
        "perverse_incentives": (perverse_incentives or "").strip(),
        "blockages": (blockages or "").strip(),
        "good_practice": (good_practice or "").strip(),
    }
    if not text["benefits"]:
        raise EvaluationError(
            "Describe the benefits realised against the planned aims.", field="benefits"
        )
    return {"rating": rating, "qipp_realised": money, "theme": theme, **text}


def check_evaluable(proposal: Proposal, today=None) -> None:
    """A priority is evaluated once its plan's financial year has ended (from its last day,
    1 April after it), if the group included it and it has no evaluation standing."""
    if proposal.status != Proposal.Status.INCLUDED:
        raise EvaluationError(
            "Only priorities the group included in its plan are evaluated; this proposal is"
            f" {proposal.get_status_display().lower()}.",
            field="proposal",
        )
    plan = proposal.plan
    if (today or timezone.localdate()) < evaluation_opens_on(plan.year):
        raise EvaluationError(
            f"The {plan.year_label} financial year ends on {nhs_date(year_end(plan.year))}:"
            f" evaluate its priorities from {nhs_date(evaluation_opens_on(plan.year))}.",
            field="proposal",
        )
    earlier = Evaluation.objects.filter(proposal=proposal, archived_at__isnull=True).first()
    if earlier is not None:
        raise EvaluationError(
            f"This priority was evaluated on {nhs_date(earlier.created_at)}: change that"
            " evaluation instead.",
            field="proposal",
        )


@transaction.atomic
def evaluation_record(*, by, proposal: Proposal, **fields) -> Evaluation:
    """The hub's staff record the evaluation of an included priority after its year."""
    current = Proposal.objects.select_for_update().select_related("plan__group").get(pk=proposal.pk)
    if not can_evaluate(by, current.plan):
        raise NotAllowed("Only the hub's staff evaluate the priorities of its plans.")
    check_evaluable(current)
    evaluation = create_recorded(
        Evaluation,
        by=by,
        proposal=current,
        planned_qipp=planned_qipp(current),
        evaluated_by=by,
        **_cleaned(**fields),
    )
    events.record(by, events.RECORDED, evaluation, proposal=current.pk, rating=evaluation.rating)
    return evaluation


def _current(evaluation: Evaluation, version: int, by) -> Evaluation:
    current = lock_version(Evaluation, evaluation.pk, version, FIELDS)
    if not can_evaluate(by, current.proposal.plan):
        raise NotAllowed("Only the hub's staff change the evaluations of its plans.")
    if current.is_archived:
        raise StateConflict("This evaluation has been archived.")
    return current


@transaction.atomic
def evaluation_update(*, by, evaluation: Evaluation, version: int, **fields) -> Evaluation:
    """Change an evaluation, naming the version it started from. What was shared stays as it
    was shared."""
    current = _current(evaluation, version, by)
    cleaned = _cleaned(**fields)
    changed = [f for f in FIELDS if getattr(current, f) != cleaned[f]]
    for name in changed:
        setattr(current, name, cleaned[name])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.UPDATED, current, fields=changed)
    return current


@transaction.atomic
def evaluation_archive(*, by, evaluation: Evaluation, version: int, reason: str) -> Evaluation:
    """Archive a mistaken evaluation, with the reason (kept, never deleted). It leaves the
    learning library and the summary; a post it made on the idea exchange stays there."""
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError("Say why the evaluation is archived.", field="reason")
    current = _current(evaluation, version, by)
    current.archived_at, current.archived_by, current.archive_reason = timezone.now(), by, reason
    save_versioned(current, by=by, fields=["archived_at", "archived_by", "archive_reason"])
    events.record(by, events.ARCHIVED, current, reason=reason)
    return current


def shared_content(evaluation: Evaluation) -> dict:
    """The evaluation as the learning library keeps it: its text and figures at sharing."""
    proposal = evaluation.proposal
    plan = proposal.plan
    return {
        "title": proposal.title,
        "hub": plan.group.hub.name,
        "region": plan.group.hub.region.name,
        "year": plan.year,
        "year_label": plan.year_label,
        "programme_of_care": proposal.programme_of_care.name if proposal.programme_of_care else "",
        "theme": evaluation.theme,
        "theme_label": evaluation.theme_label,
        "rating": evaluation.rating,
        "rating_label": evaluation.get_rating_display(),
        "planned_qipp": str(evaluation.planned_qipp),
        "qipp_realised": str(evaluation.qipp_realised),
        **{name: getattr(evaluation, name) for name in TEXT_FIELDS},
    }


@transaction.atomic
def evaluation_share_to_library(*, by, evaluation: Evaluation, version: int) -> Evaluation:
    """Share the evaluation with every hub through the learning library, once: the library
    keeps the text as it is now."""
    current = _current(evaluation, version, by)
    if current.in_library:
        raise StateConflict(
            f"This evaluation was shared to the learning library on"
            f" {nhs_date(current.library_shared_at)}."
        )
    current.library_shared_at, current.library_shared_by = timezone.now(), by
    current.shared_content = shared_content(current)
    save_versioned(
        current, by=by, fields=["library_shared_at", "library_shared_by", "shared_content"]
    )
    events.record(by, events.SHARED_TO_LIBRARY, current)
    return current


def _money(value) -> str:
    return f"£{Decimal(value):,.0f}"


def _paragraphs(*parts: tuple[str, str]) -> str:
    return "\n\n".join(f"{label}: {text}" if label else text for label, text in parts if text)


def idea_text(evaluation: Evaluation) -> dict:
    """The idea exchange post an evaluation makes: the priority's problem, what the group set
    out to do, and the evaluation's results."""
    proposal = evaluation.proposal
    plan = proposal.plan
    tried = _paragraphs(
        (
            "",
            f"The {plan.group.hub.name} oversight group's priority for {plan.year_label}:"
            f" {proposal.title}.",
        ),
        ("Planned benefits", proposal.benefits.strip()),
        ("Planned QIPP savings", _money(evaluation.planned_qipp)),
        ("What worked and what did not", evaluation.working),
    )
    results = _paragraphs(
        (
            "",
            f"Planned aims {evaluation.get_rating_display().lower()}; QIPP savings of"
            f" {_money(evaluation.qipp_realised)} realised against"
            f" {_money(evaluation.planned_qipp)} planned.",
        ),
        ("Benefits realised", evaluation.benefits),
        ("Perverse incentives found", evaluation.perverse_incentives),
        ("System blockages", evaluation.blockages),
        ("Good practice", evaluation.good_practice),
    )
    return {
        "title": f"Evaluated: {proposal.title}"[:200],
        "problem": proposal.problem.strip() or proposal.title,
        "tried": tried,
        "results": results,
    }


@transaction.atomic
def evaluation_share_to_ideas(*, by, evaluation: Evaluation, version: int) -> Evaluation:
    """Share the evaluation on the idea exchange, once: a post of the hub's (its Programme of
    Care and the evaluation's theme), written as the idea exchange writes every post."""
    current = _current(evaluation, version, by)
    if current.in_ideas:
        raise StateConflict(
            f"This evaluation was shared on the idea exchange on"
            f" {nhs_date(current.idea_shared_at)}."
        )
    text = idea_text(current)
    too_long = [name for name in ("tried", "results") if len(text[name]) > LONG_TEXT]
    if too_long:
        raise EvaluationError(
            "The evaluation is too long to share as one idea: shorten its text and share again."
        )
    proposal = current.proposal
    hub = proposal.plan.group.hub
    post: Post = ideas.post_create(
        by=by,
        organisation=f"hub:{hub.pk}",
        contacts=f"{by.full_name or by.email}, {hub.name} hub ({by.email})",
        programmes=[proposal.programme_of_care] if proposal.programme_of_care else [],
        themes=[current.theme],
        **text,
    )
    current.idea_post, current.idea_shared_at, current.idea_shared_by = post, timezone.now(), by
    save_versioned(current, by=by, fields=["idea_post", "idea_shared_at", "idea_shared_by"])
    events.record(by, events.SHARED_TO_IDEAS, current, post=post.pk)
    return current
