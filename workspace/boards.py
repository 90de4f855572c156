"""A strategy board's page (issue 16; seed 003): the group page of a board, which shows its
system, the group it succeeds, its seats on a day and the members carried forward."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from commissioning.dates import nhs_date, parse_typed_date
from governance.selectors import agreed_versions
from meetings.models import Meeting
from oversight.models import CarriedMember, OversightGroup
from oversight.permissions import can_manage_group
from oversight.seats import seat_check

from . import selectors


def _day(request: HttpRequest, board: OversightGroup) -> datetime.date:
    """The day whose seats the page shows: ?on=1 April 2015 (or 2015-04-01; as typed in the
    date box, commissioning.dates.parse_typed_date), else today, kept within the board's life
    (its first day before it starts, its last once closed)."""
    day = parse_typed_date(request.GET.get("on", "")) or timezone.localdate()
    if board.closed_on is not None:
        day = min(day, board.closed_on)
    return max(day, board.start_date)


def board_detail(request: HttpRequest, board: OversightGroup) -> HttpResponse:
    day = _day(request, board)
    data = selectors.board_page_data(board)
    members = data["members"]
    seats = seat_check(board, members, data["places"], day)
    commissioners = [m for m in data["commissioners"] if m.is_valid_on(day)]
    now = timezone.now()
    meetings = board.meetings.order_by("starts_at")
    agreed = agreed_versions([board]).get(board.pk, {})
    return render(
        request,
        "workspace/board_detail.html",
        {
            "group": board,
            "board": board,
            "day": day,
            "day_text": nhs_date(day),
            "seats": seats,
            "carried": data["carried"],
            "pending": [c for c in data["carried"] if c.decision == CarriedMember.Decision.PENDING],
            "current_members": [m for m in members if m.is_current_on(day)],
            "past_members": [m for m in members if not m.is_current_on(day)],
            "commissioners": commissioners,
            "terms": agreed.get("terms_of_reference"),
            "next_meeting": meetings.filter(
                starts_at__gte=now, status=Meeting.Status.SCHEDULED
            ).first(),
            "last_meeting": meetings.filter(status=Meeting.Status.HELD).last(),
            "open_recommendations": selectors.open_recommendations_of(board),
            "can_manage": can_manage_group(request.user, board),
        },
    )
