"""While a correction is drafted, the report is read as issued (issue 14).

A correction reopens an issued report's overall rating, summary, findings and recommendations
(PeerReview.correcting) until the corrected version is issued with its reason. Until then the
live rows hold a draft. Only the accepted panel — the lead who writes it and the reviewers —
reads that draft (pages label it a draft correction). Everyone else (the reviewed hub, the
regional team, national admins, every hub in the learning library) reads the newest issued
version: each row with its text as issued, rows added by the draft left out, rows the draft
removed still there. Progress on a recommendation (status, the hub's action, closure) is not
report text: it always shows as it stands.

Outside a correction the live text is the issued text (services refuse changes), so nothing is
overlaid and no query is spent.
"""

import datetime
from collections.abc import Iterable

from django.db.models import BooleanField, ExpressionWrapper, Model, Q

from hubs.models import ProgrammeOfCare

from .models import Finding, PeerReview, Rating, Reviewer, ReviewRecommendation, ReviewReport, Theme

_THEMES = {label: value for value, label in Theme.choices}


def reads_draft(user, review: PeerReview) -> bool:
    """Does `user` read the review's live text? Yes outside a correction; during one, only an
    accepted member of its panel. Uses the `has_accepted_place` annotation when present."""
    if not review.correcting:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    preloaded = getattr(review, "has_accepted_place", None)
    if preloaded is not None:
        return bool(preloaded)
    return review.panel.filter(user_id=user.pk, status=Reviewer.Status.ACCEPTED).exists()


def frozen_review_ids(user, review_ids: Iterable[int] | None = None) -> set[int]:
    """Reviews (among `review_ids`, or all) being corrected whose draft `user` does not read
    (`user` None: nobody reads the draft, as in the learning library). One query."""
    reviews = PeerReview.objects.filter(correcting=True)
    if review_ids is not None:
        reviews = reviews.filter(pk__in=set(review_ids))
    if getattr(user, "is_authenticated", False):
        reviews = reviews.exclude(pk__in=_drafted_by(user))
    return set(reviews.values_list("pk", flat=True))


def _newest(reports) -> dict[int, dict]:
    """{review id: the content of its newest issued report}, of `reports`. One query."""
    newest: dict[int, tuple[int, dict]] = {}
    for review_id, number, content in reports.values_list("review_id", "number", "content"):
        if review_id not in newest or newest[review_id][0] < number:
            newest[review_id] = (number, content)
    return {review_id: content for review_id, (_, content) in newest.items()}


def issued_contents(review_ids: Iterable[int]) -> dict[int, dict]:
    """The newest issued report's content of each review. One query."""
    return _newest(ReviewReport.objects.filter(review_id__in=set(review_ids)))


def learning_filter(*, q: str = "", theme: str = "", programme_of_care=None) -> Q:
    """The learning library's search, on what every hub reads: a finding of a report being
    corrected matches by its issued text, theme and Programme of Care, never by the draft's
    (which would let a search reveal a draft's words). One query."""
    live = Q()
    if q:
        live &= Q(title__icontains=q) | Q(detail__icontains=q)
    if theme:
        live &= Q(theme=theme)
    if programme_of_care is not None:
        live &= Q(programme_of_care=programme_of_care)
    newest = _newest(ReviewReport.objects.filter(review__correcting=True))
    if not newest:
        return live
    theme_label = Theme(theme).label if theme else ""
    programme = programme_of_care.name if programme_of_care is not None else None
    needle = q.casefold()
    matches = set()
    for content in newest.values():
        for row in content.get("findings", []):
            text = f"{row['title']}\n{row['detail']}".casefold()
            if (
                (not q or needle in text)
                and (not theme or row["theme"] == theme_label)
                and (programme is None or row["programme_of_care"] == programme)
            ):
                matches.add(row["id"])
    return (live & ~Q(review_id__in=set(newest))) | Q(pk__in=matches)


def _drafted_by(user):
    """The ids of the reviews whose draft `user` reads, as a subquery (their accepted places)."""
    return Reviewer.objects.filter(user_id=user.pk, status=Reviewer.Status.ACCEPTED).values(
        "review_id"
    )


def hidden_from(user) -> Q:
    """Rows (findings or recommendations, with `review`) that `user` must not list: those a
    correction's draft added to a report it does not read. One query (the reports of reviews
    being corrected); matches nothing when there is no such correction."""
    reports = ReviewReport.objects.filter(review__correcting=True)
    if getattr(user, "is_authenticated", False):
        reports = reports.exclude(review_id__in=_drafted_by(user))
    newest = _newest(reports)
    if not newest:
        return Q(pk__in=[])
    issued = {
        row["id"]
        for content in newest.values()
        for row in content.get("findings", []) + content.get("recommendations", [])
    }
    return Q(review_id__in=set(newest)) & ~Q(pk__in=issued)


def read_as_issued(user) -> ExpressionWrapper:
    """An annotation for rows with a `review`: true where `user` reads the row as issued (its
    review is being corrected and the user is not on the panel), so `as_read` needs no query
    to know."""
    condition = Q(review__correcting=True)
    if getattr(user, "is_authenticated", False):
        condition &= ~Q(review_id__in=_drafted_by(user))
    return ExpressionWrapper(condition, output_field=BooleanField())


def _copy(row: Model) -> Model:
    """An unsaved copy of `row` (same pk), its loaded review kept, to carry issued text."""
    model = type(row)
    copy = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields})
    if model.review.is_cached(row):
        copy.review = row.review
    copy.as_issued = True
    return copy


class _Programmes:
    """Programmes of care by name, read once and only if a finding's changed."""

    def __init__(self):
        self._by_name: dict[str, ProgrammeOfCare] | None = None

    def named(self, name: str) -> ProgrammeOfCare | None:
        if self._by_name is None:
            self._by_name = {p.name: p for p in ProgrammeOfCare.objects.all()}
        return self._by_name.get(name)


def _issued_finding(row: Finding, issued: dict, programmes: _Programmes) -> Finding:
    copy = _copy(row)
    copy.kind, copy.title, copy.detail = issued["kind"], issued["title"], issued["detail"]
    copy.theme = _THEMES.get(issued["theme"], issued["theme"])
    copy.shareable, copy.archived = issued["shareable"], False
    name = issued.get("programme_of_care") or ""
    live = row.programme_of_care if row.programme_of_care_id else None
    if live is None or live.name != name:
        copy.programme_of_care = programmes.named(name) if name else None
    return copy


def _issued_recommendation(row: ReviewRecommendation, issued: dict) -> ReviewRecommendation:
    copy = _copy(row)
    copy.title, copy.detail, copy.owner = issued["title"], issued["detail"], issued["owner"]
    copy.due_date = datetime.date.fromisoformat(issued["due_date"])
    copy.archived = False
    return copy


def _frozen_among(user, rows: list) -> set[int]:
    """The reviews of `rows` to read as issued: from the `read_as_issued` annotation, or
    (for everyone, `user` None) from the rows' loaded reviews, else one query."""
    flags = [getattr(row, "read_as_issued", None) for row in rows]
    if None not in flags:
        return {row.review_id for row, flag in zip(rows, flags, strict=True) if flag}
    if user is None and all(type(row).review.is_cached(row) for row in rows):
        return {row.review_id for row in rows if row.review.correcting}
    return frozen_review_ids(user, {row.review_id for row in rows})


def as_read(user, rows: Iterable, *, frozen: set[int] | None = None) -> list:
    """Findings or recommendations as `user` reads them (see the module's docstring): a row in
    a report being corrected that the user does not draft shows its issued text, and is left
    out if the issued version does not have it. `user` None: as everyone outside the panel.
    `frozen`: the reviews to read as issued, if the caller knows them already."""
    rows = list(rows)
    if not rows:
        return rows
    if frozen is None:
        frozen = _frozen_among(user, rows)
    if not frozen:
        return rows
    contents = issued_contents(frozen)
    programmes = _Programmes()
    out = []
    for row in rows:
        if row.review_id not in frozen:
            out.append(row)
            continue
        key = "findings" if isinstance(row, Finding) else "recommendations"
        issued = {r["id"]: r for r in contents.get(row.review_id, {}).get(key, [])}.get(row.pk)
        if issued is None:
            continue
        if isinstance(row, Finding):
            out.append(_issued_finding(row, issued, programmes))
        else:
            out.append(_issued_recommendation(row, issued))
    return out


def consolidation(review: PeerReview, *, as_issued: bool, content: dict | None = None) -> dict:
    """The overall rating (value and label) and summary a reader sees: the newest issued
    version's (`content`, read if not given) for `as_issued` readers, else the review's own."""
    if as_issued:
        if content is None:
            content = issued_contents([review.pk]).get(review.pk)
        if content is not None:
            return {
                "overall_rating": content["overall_rating"],
                "overall_rating_label": content["overall_rating_label"],
                "summary": content["summary"],
            }
    rating = review.overall_rating
    return {
        "overall_rating": rating,
        "overall_rating_label": Rating(rating).label if rating else "",
        "summary": review.summary,
    }
