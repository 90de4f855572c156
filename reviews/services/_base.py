"""What every peer-review service shares: the refusal, tidying text, locking a review at
its version and checking its status."""

from commissioning.concurrency import lock_version
from commissioning.errors import RuleError

from ..models import PeerReview


class ReviewError(RuleError):
    """A change to a peer review that breaks a rule (see RuleError)."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _lock(review: PeerReview, version: int, fields: list[str]) -> PeerReview:
    return lock_version(PeerReview, review.pk, version, fields)


def _expect(review: PeerReview, *statuses: str, doing: str) -> None:
    if review.status not in statuses:
        raise ReviewError(
            f"The review is {review.get_status_display().lower()}, so you cannot {doing} now."
        )
