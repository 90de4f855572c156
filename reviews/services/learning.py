"""The learning library: what issued reports share with every hub."""

from django.db.models import Q

from ..models import Finding, ReviewReport


def shared_findings():
    """The learning library: shareable findings as they stand in each review's newest issued
    report (one added or un-shared since the last issue waits for the next). Two queries."""
    latest: dict[int, tuple[int, list]] = {}
    for review_id, number, findings in ReviewReport.objects.values_list(
        "review_id", "number", "content__findings"
    ):
        if review_id not in latest or number > latest[review_id][0]:
            latest[review_id] = (number, findings or [])
    ids = [f["id"] for _, findings in latest.values() for f in findings if f.get("shareable")]
    # A correction's draft may un-share or remove one: the issued version stands until the
    # corrected one is issued (the pages and API show its issued text, reviews.issued).
    live = Q(shareable=True, archived=False) | Q(review__correcting=True)
    return Finding.objects.filter(live, pk__in=ids)
