"""Peer review pages: cycles and their status board, readiness, the panel, each reviewer's
form, the lead's report, the hub's response, and the learning library.

One module per part of the journey; every view is importable from `reviews.views` as before.
"""

from .cycles import cycle_create, cycle_detail, index, learning, readiness
from .report import (
    consolidate,
    finding_add,
    finding_edit,
    recommendation_add,
    recommendation_edit,
    report_correct,
    report_detail,
    report_issue,
    report_pdf,
)
from .review import (
    recommendation_progress,
    respond,
    review_detail,
    review_history,
    review_invite,
    review_plan,
    review_return,
    review_sign_off,
    review_start,
)
from .reviewers import assessment, panel, place_conflict, place_replace, place_respond

__all__ = [
    "assessment",
    "consolidate",
    "cycle_create",
    "cycle_detail",
    "finding_add",
    "finding_edit",
    "index",
    "learning",
    "panel",
    "place_conflict",
    "place_replace",
    "place_respond",
    "readiness",
    "recommendation_add",
    "recommendation_edit",
    "recommendation_progress",
    "report_correct",
    "report_detail",
    "report_issue",
    "report_pdf",
    "respond",
    "review_detail",
    "review_history",
    "review_invite",
    "review_plan",
    "review_return",
    "review_sign_off",
    "review_start",
]
