"""National service reviews (issue 17, "What to build" 4; seed 000 §3.6, "National service
reviews"): "a number of service reviews undertaken across England at a national level from
April 2015 onwards", selected by "a principle of subsidiarity". National admins record each
financial year's reviews; each change is named, atomic, audited and versioned; a review is
archived, never deleted.

Rules (product decisions where the seed is silent):
- a review names its service, Programme of Care, scope, lead, start and status; a CRG is
  optional and must be one of the Programme of Care's (an archived CRG is not chosen anew);
- it runs during its financial year: it starts by the year's last day (31 March) and, when it
  has an end, ends on or after the year's first day (1 April) and on or after its start;
- one review of a service per year (the same title twice in a year is refused).
"""

import datetime

from django.db import transaction

from commissioning.concurrency import create_recorded, lock_version, save_versioned
from commissioning.dates import financial_year_label as _year_label
from commissioning.dates import nhs_date
from commissioning.errors import RuleError
from commissioning.limits import EARLIEST_DAY, check_day
from hubs.models import ProgrammeOfCare

from . import events
from .models import ClinicalReferenceGroup, ServiceReview

REVIEW_FIELDS = [
    "year",
    "title",
    "programme",
    "crg",
    "scope",
    "lead",
    "start_date",
    "end_date",
    "status",
    "archived",
]
SHORT_TEXT = 200
FIRST_YEAR, LAST_YEAR = 2013, 2100


def _short(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleError(f"Enter the {what}.", field=field)
    if len(value) > SHORT_TEXT:
        raise RuleError(f"Enter {SHORT_TEXT} characters or fewer.", field=field)
    return value


def _check(fields: dict, *, exclude: int | None = None, crg_was: int | None = None) -> dict:
    """The review's fields, tidied, or a RuleError beside the first field that breaks a rule."""
    year = fields["year"]
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise RuleError(
            f"Enter a financial year from {FIRST_YEAR} to {LAST_YEAR}, like 2015 for 2015/16.",
            field="year",
        )
    fields["title"] = _short(fields["title"], "title", "service the review covers")
    fields["lead"] = _short(fields["lead"], "lead", "review's lead")
    fields["scope"] = (fields["scope"] or "").strip()
    if not fields["scope"]:
        raise RuleError("Describe the review's scope.", field="scope")
    if fields["status"] not in ServiceReview.Status.values:
        raise RuleError("Choose planned, in progress, complete or stopped.", field="status")
    programme: ProgrammeOfCare = fields["programme"]
    crg: ClinicalReferenceGroup | None = fields["crg"]
    if crg is not None:
        if crg.programme_id != programme.pk:
            raise RuleError(
                f"{crg.name} is in {crg.programme.name}: choose a CRG of {programme.name},"
                " or none.",
                field="crg",
            )
        if crg.archived and crg.pk != crg_was:
            raise RuleError(f"{crg.name} is archived: choose an open CRG.", field="crg")
    start, end = fields["start_date"], fields["end_date"]
    first, last = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    check_day(
        start,
        field="start_date",
        earliest=EARLIEST_DAY,
        latest=last,
        too_late=f"A {_year_label(year)} review starts by {nhs_date(last)}, the year's last day.",
    )
    if end is not None:
        if end < start:
            raise RuleError("The review must end on or after the day it starts.", field="end_date")
        if end < first:
            raise RuleError(
                f"A {_year_label(year)} review ends on or after {nhs_date(first)}, the year's"
                " first day.",
                field="end_date",
            )
    clash = ServiceReview.objects.filter(year=year, title__iexact=fields["title"], archived=False)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if not fields.get("archived") and clash.exists():
        raise RuleError(
            f"There is a national review of {fields['title']} in {_year_label(year)} already.",
            field="title",
        )
    return fields


@transaction.atomic
def service_review_add(
    *,
    by,
    year: int,
    title: str,
    programme: ProgrammeOfCare,
    scope: str,
    lead: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    status: str = ServiceReview.Status.PLANNED,
    crg: ClinicalReferenceGroup | None = None,
) -> ServiceReview:
    """A national admin records one of the year's national service reviews."""
    fields = _check(
        {
            "year": year,
            "title": title,
            "programme": programme,
            "crg": crg,
            "scope": scope,
            "lead": lead,
            "start_date": start_date,
            "end_date": end_date,
            "status": status,
            "archived": False,
        }
    )
    review = create_recorded(ServiceReview, by=by, created_by=by, **fields)
    events.record(by, events.SERVICE_REVIEW_ADDED, review, year=year, status=status)
    return review


@transaction.atomic
def service_review_update(*, by, review: ServiceReview, version: int, **changes) -> ServiceReview:
    """Change a review (its status as it goes, its timing, scope or lead); `archived` takes it
    out of the year's list and of the joint programme, keeping it and its history."""
    current = lock_version(ServiceReview, review.pk, version, REVIEW_FIELDS)
    merged = {f: changes.get(f, getattr(current, f)) for f in REVIEW_FIELDS}
    merged = _check(merged, exclude=current.pk, crg_was=current.crg_id)
    changed = [f for f in REVIEW_FIELDS if getattr(current, f) != merged[f]]
    for field in changed:
        setattr(current, field, merged[field])
    save_versioned(current, by=by, fields=changed)
    events.record(by, events.SERVICE_REVIEW_CHANGED, current, fields=changed)
    return current
