"""Assessment: the plan's weighted criteria, its assessors and their scores."""

from django.db import transaction
from django.db.models import Max

from commissioning import audit
from commissioning.concurrency import create_recorded, lock_version, save_versioned

from .. import events
from ..errors import PlanError, PlanNotAllowed
from ..models import Assessor, Criterion, PrioritiesPlan, Proposal, Score
from ..permissions import is_assessor, may_score

# Seed 000: priorities should reduce inequalities and improve quality, value and sustainability.
DEFAULT_CRITERIA = [
    ("Reducing inequalities", 3),
    ("Quality and outcomes", 3),
    ("Patient experience", 2),
    ("Value and QIPP", 2),
    ("Sustainability", 1),
    ("Deliverability", 1),
]


@transaction.atomic
def criteria_seed(*, by, plan: PrioritiesPlan) -> list[Criterion]:
    """The default criteria, once; does nothing if the plan has criteria."""
    if plan.criteria.exists():
        return list(plan.criteria.all())
    made = [
        Criterion.objects.create(plan=plan, name=name, weight=weight, order=i)
        for i, (name, weight) in enumerate(DEFAULT_CRITERIA)
    ]
    audit.record(actor=by, verb=events.CRITERIA_SEEDED, target=plan)
    return made


CRITERION_FIELDS = ["name", "weight"]


def _criteria_open(plan_id: int, field: str | None) -> None:
    """Criteria change only until the first score: later, scores would mean different things."""
    if Score.objects.filter(criterion__plan=plan_id).exists():
        raise PlanError("Scoring has started; the criteria can no longer change.", field=field)


def _check_criterion(plan_id: int, *, name: str | None, weight: int | None, pk=None) -> None:
    if name is not None:
        if not name.strip():
            raise PlanError("Enter the criterion's name.", field="name")
        if len(name.strip()) > 120:
            raise PlanError("Keep the name to 120 characters or fewer.", field="name")
        clash = Criterion.objects.active().filter(plan=plan_id, name__iexact=name.strip())
        if clash.exclude(pk=pk).exists():
            raise PlanError(
                f"The plan already has a criterion called “{name.strip()}”.", field="name"
            )
    if weight is not None and not 1 <= weight <= 10:
        raise PlanError("Enter a weight from 1 to 10.", field="weight")


@transaction.atomic
def criterion_add(*, by, plan: PrioritiesPlan, name: str, weight: int) -> Criterion:
    """A new criterion, last in order; refused once scoring has started."""
    PrioritiesPlan.objects.select_for_update().filter(pk=plan.pk).first()  # one add at a time
    _criteria_open(plan.pk, "name")
    _check_criterion(plan.pk, name=name, weight=weight)
    order = (plan.criteria.aggregate(n=Max("order"))["n"] or 0) + 1
    criterion = create_recorded(
        Criterion, by=by, plan=plan, name=name.strip(), weight=weight, order=order
    )
    audit.record(actor=by, verb=events.CRITERIA_ADDED, target=criterion, weight=weight)
    return criterion


@transaction.atomic
def criterion_update(*, by, criterion: Criterion, version: int, **changes) -> Criterion:
    """Rename and/or reweight (1-10) a criterion, from the version the change was made on."""
    current = lock_version(Criterion, criterion.pk, version, CRITERION_FIELDS)
    field = "weight" if "name" not in changes else "name"
    if current.archived:
        raise PlanError("The criterion is archived.", field=field)
    _criteria_open(current.plan_id, field)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    _check_criterion(
        current.plan_id, name=changes.get("name"), weight=changes.get("weight"), pk=current.pk
    )
    changed = [f for f in CRITERION_FIELDS if f in changes and getattr(current, f) != changes[f]]
    for name in changed:
        setattr(current, name, changes[name])
    if changed:
        save_versioned(current, by=by, fields=changed)
        audit.record(
            actor=by,
            verb=events.CRITERIA_WEIGHTED if changed == ["weight"] else events.CRITERIA_CHANGED,
            target=current,
            **{f: getattr(current, f) for f in changed},
        )
    return current


@transaction.atomic
def criteria_set_weights(
    *, by, plan: PrioritiesPlan, weights: dict[int, tuple[int, int]]
) -> list[Criterion]:
    """Set several weights at once ({criterion id: (version, weight)}); all or none. A refusal
    names the field `weight-<id>` it belongs beside."""
    criteria = {c.pk: c for c in plan.criteria.active()}
    saved = []
    for pk, (version, weight) in weights.items():
        if pk not in criteria:
            raise PlanError("No such criterion in this plan.")
        try:
            saved.append(
                criterion_update(by=by, criterion=criteria[pk], version=version, weight=weight)
            )
        except PlanError as error:
            raise PlanError(str(error), field=f"weight-{pk}") from error
    return saved


@transaction.atomic
def criterion_archive(*, by, criterion: Criterion, version: int) -> Criterion:
    """Take a criterion out of the assessment before scoring starts; it stays on record."""
    current = lock_version(Criterion, criterion.pk, version, ["archived"])
    if current.archived:
        raise PlanError("The criterion is already archived.")
    _criteria_open(current.plan_id, None)
    if not Criterion.objects.active().filter(plan=current.plan_id).exclude(pk=current.pk).exists():
        raise PlanError("Keep at least one criterion to assess against.")
    current.archived = True
    save_versioned(current, by=by, fields=["archived"])
    audit.record(actor=by, verb=events.CRITERIA_ARCHIVED, target=current)
    return current


@transaction.atomic
def assessor_add(*, by, plan: PrioritiesPlan, user) -> Assessor:
    assessor, created = Assessor.objects.get_or_create(plan=plan, user=user)
    if created:
        audit.record(actor=by, verb=events.ASSESSOR_ADDED, target=plan, assessor=user.email)
    return assessor


@transaction.atomic
def scores_record(*, by, proposal: Proposal, scores: dict[int, tuple[int, str]]) -> list[Score]:
    """An assessor's own scores for one proposal ({criterion id: (0-5, note)}), independent of
    other assessors'. Re-scoring replaces only this assessor's scores. The hub's staff become
    assessors with their first score (issue 18)."""
    if not may_score(by, proposal.plan):
        raise PlanNotAllowed("Only the plan's assessors and the hub's staff score proposals.")
    if proposal.status != Proposal.Status.SUBMITTED:
        raise PlanError("Only submitted proposals are scored.")
    criteria = {c.pk: c for c in proposal.plan.criteria.active()}
    if set(scores) != set(criteria):
        raise PlanError("Score every criterion.", field="scores")
    for value, _note in scores.values():
        if not 0 <= value <= 5:
            raise PlanError("Scores run from 0 to 5.", field="scores")
    if not is_assessor(by, proposal.plan):
        assessor_add(by=by, plan=proposal.plan, user=by)
    saved = []
    for criterion_id, (value, note) in scores.items():
        score, _ = Score.objects.update_or_create(
            proposal=proposal,
            criterion=criteria[criterion_id],
            assessor=by,
            defaults={"value": value, "note": note.strip()},
        )
        saved.append(score)
    audit.record(actor=by, verb=events.PROPOSAL_SCORED, target=proposal)
    return saved
