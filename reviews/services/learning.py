"""The learning library: what issued reports share with every hub."""

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
    return Finding.objects.filter(pk__in=ids, shareable=True, archived=False)
