"""Access to co-commissioning (issue 15, "Roles and access"): one helper per protected object,
used by views, API and templates.

- CCG leads draft and submit applications for their own CCG; for a joint committee each
  partner CCG's lead reads the application and confirms their CCG takes part.
- Regional teams read, review, approve (joint) or assure and recommend (delegated) the
  applications of CCGs in their region (a CCG's region is its hub's), record agreement to a late
  application and complete the conflicts of interest checklist.
- Commissioning Committee members read every application the region has recommended or that
  has gone past it, and sign off (or refuse) recommended delegated applications.
- National admins read everything and keep the application windows.
- Everyone signed in reads each CCG's live arrangement, its history and its register of
  interests; drafts and applications of other CCGs are never shown to them (404).
Anything not visible is 404; visible but not changeable is 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import scopes
from hubs.models import CCG

from .models import Application, ConflictsReview, Interest, Model

Status = Application.Status
# What the Commissioning Committee reads: from the region's recommendation on.
COMMITTEE_SEES = [Status.RECOMMENDED, Status.IMPLEMENTING, Status.LIVE, Status.NOT_APPROVED]


def visible_q(user) -> Q | None:
    """The applications `user` reads, as a filter (None: all of them)."""
    s = scopes(user)
    if s.national:
        return None
    q = Q(pk__in=[])
    if s.ccg_ids:
        q |= Q(parties__ccg__in=s.ccg_ids)
    if s.region_ids:
        q |= Q(parties__ccg__hub__region__in=s.region_ids)
    if s.committee:
        q |= Q(model=Model.DELEGATED, status__in=COMMITTEE_SEES)
    return q


def applications_visible_to(user) -> QuerySet[Application]:
    q = visible_q(user)
    applications = Application.objects.all()
    if q is not None:
        applications = applications.filter(pk__in=Application.objects.filter(q).values("pk"))
    return applications


def get_application_for_user(user, pk: int) -> Application:
    application = (
        applications_visible_to(user).select_related("lead_ccg__hub__region").filter(pk=pk).first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def _region_ids(application: Application) -> set[int]:
    return set(application.parties.values_list("ccg__hub__region_id", flat=True))


def leads_ccg(user, ccg: CCG) -> bool:
    return ccg.pk in scopes(user).ccg_ids


def can_draft(user, application: Application) -> bool:
    """The lead CCG's leads draft, attach, submit and withdraw."""
    return leads_ccg(user, application.lead_ccg)


def confirmable_ccgs(user, application: Application) -> list[CCG]:
    """The partner CCGs of the application this user leads and may confirm."""
    mine = scopes(user).ccg_ids
    return [
        p.ccg
        for p in application.parties.select_related("ccg")
        if p.ccg_id in mine and p.ccg_id != application.lead_ccg_id and p.confirmed_at is None
    ]


def can_review(user, application: Application) -> bool:
    """The regional team of a CCG in the application reviews it."""
    return bool(scopes(user).region_ids & _region_ids(application))


def can_sign_off(user, application: Application) -> bool:
    return scopes(user).committee and application.model == Model.DELEGATED


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def get_conflicts_review_for_reviewer(user, application: Application) -> ConflictsReview:
    require(can_review(user, application), "Only the region's team completes the checklist.")
    review = ConflictsReview.objects.filter(application=application).first()
    if review is None:
        raise Http404("This application has no conflicts of interest review.")
    return review


def can_keep_windows(user) -> bool:
    return scopes(user).national


def can_keep_register(user, ccg: CCG) -> bool:
    """A CCG's leads keep its register of interests (national admins may correct it)."""
    return leads_ccg(user, ccg) or scopes(user).national


def can_record_greater_involvement(user, ccg: CCG) -> bool:
    """The CCG's leads, or its region's team, record greater involvement (no approval)."""
    s = scopes(user)
    return ccg.pk in s.ccg_ids or ccg.hub.region_id in s.region_ids or s.national


def get_interest_for_keeper(user, pk: int) -> Interest:
    interest = Interest.objects.select_related("ccg").filter(pk=pk).first()
    if interest is None:
        raise Http404("No such entry.")
    require(can_keep_register(user, interest.ccg), "Only the CCG's leads keep its register.")
    return interest
