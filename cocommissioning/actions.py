"""Which actions an application's page offers a user now (issue 15, "Roles and access"): the
permission helpers say who, the application's state says when. Only what to show; each
service still checks its own rules when the form is posted."""

from django.utils import timezone

from meetings.models import Meeting

from . import permissions
from .models import Application, ConflictsReview, Model
from .selectors import pending_entry
from .services import window_for

Status = Application.Status
CLOSED = (Status.LIVE, Status.NOT_APPROVED, Status.WITHDRAWN)


def available_actions(user, application: Application) -> set[str]:
    drafts = permissions.can_draft(user, application)
    reviews = permissions.can_review(user, application)
    signs = permissions.can_sign_off(user, application)
    status = application.status
    joint, delegated = application.model == Model.JOINT, application.model == Model.DELEGATED
    actions = set()
    if drafts and application.is_editable:
        actions |= {"edit", "attach", "submit"}
    if drafts and status not in CLOSED:
        actions.add("withdraw")
    if drafts and application.is_open:
        actions.add("answer")
    if application.is_open and permissions.confirmable_ccgs(user, application):
        actions.add("confirm")
    if reviews:
        if application.is_editable and is_late(application) and not application.late_agreed_at:
            actions.add("late_agree")
        if status == Status.SUBMITTED:
            actions.add("review_start")
        if application.is_open:
            actions.add("question")
        if status in (Status.SUBMITTED, Status.UNDER_REVIEW):
            actions |= {"changes", "refuse"}
        if status == Status.UNDER_REVIEW:
            actions.add("approve" if joint else "recommend")
            if delegated:
                actions.add("checklist")
    if signs and status == Status.RECOMMENDED:
        # Decided at a Commissioning Committee meeting, as an agenda item (issue 15).
        entry = pending_entry(application)
        if entry is None:
            actions.add("agenda")
        elif entry.item.meeting.status != Meeting.Status.SCHEDULED:  # held, or cancelled
            actions.add("decide")
    return actions


def is_late(application: Application) -> bool:
    """Never submitted, and the window's deadline has passed."""
    window = window_for(application.model, application.go_live_on)
    return (
        application.submitted_at is None
        and window is not None
        and timezone.localdate() > window.submit_by
    )


def may_read_checklist(user, application: Application, review: ConflictsReview | None) -> bool:
    """The region, the Commissioning Committee and national admins read the conflicts of
    interest review; the lead CCG's leads once it is complete."""
    if review is None:
        return False
    if permissions.can_review(user, application) or permissions.can_sign_off(user, application):
        return True
    if permissions.scopes(user).national:
        return True
    return review.completed_at is not None and permissions.can_draft(user, application)
