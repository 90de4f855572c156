"""A person's private iCalendar feed: the milestones that concern them, their hubs' open
meeting actions and peer review recommendations, as all-day events (RFC 5545, icalendar)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.permissions import scopes

from .models import CalendarFeed
from .status import deadlines_for


def _event(uid: str, title: str, day: datetime.date, url: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@collaborative-commissioning")
    event.add("summary", title)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("dtstamp", timezone.now())
    event.add("url", settings.SITE_URL + url)
    if description:
        event.add("description", description)
    return event


def build_calendar(user) -> bytes:
    from meetings.models import Action
    from reviews.issued import as_read
    from reviews.models import ReviewRecommendation

    cal = Calendar()
    cal.add("prodid", "-//NHS England//Collaborative Commissioning//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Collaborative Commissioning deadlines")
    today = timezone.localdate()
    for d in deadlines_for(user, today, ahead_days=400, overdue_days=60):
        place = f"hub-{d.hub.pk}" if d.hub else f"region-{d.region.pk if d.region else 0}"
        cal.add_component(
            _event(
                f"milestone-{d.milestone.pk}-{place}-{d.ccg.pk if d.ccg else 0}",
                f"{d.milestone.title} ({d.concerns})",
                d.milestone.due_on,
                d.link,
                d.milestone.description,
            )
        )
    hub_ids = scopes(user).hub_ids
    if hub_ids:
        for action in Action.objects.filter(
            status=Action.Status.OPEN, meeting__group__hub_id__in=hub_ids
        ).select_related("meeting"):
            cal.add_component(
                _event(
                    f"action-{action.pk}",
                    f"Action: {action.description}",
                    action.due_date,
                    action.meeting.get_absolute_url(),
                    f"Owner: {action.owner}",
                )
            )
        # As issued while a correction is drafted (issue 14): a calendar is no place for a draft.
        recommendations = (
            ReviewRecommendation.objects.filter(
                Q(archived=False) | Q(review__correcting=True),
                review__hub_id__in=hub_ids,
                review__reports__isnull=False,
            )
            .exclude(status=ReviewRecommendation.Status.CLOSED)
            .select_related("review")
            .distinct()
        )
        for rec in as_read(None, recommendations):
            cal.add_component(
                _event(
                    f"recommendation-{rec.pk}",
                    f"Peer review recommendation: {rec.title}",
                    rec.due_date,
                    reverse("reviews:review-detail", args=[rec.review_id]),
                    f"Owner: {rec.owner}",
                )
            )
    return cal.to_ical()


def feed_for_token(token: str) -> bytes | None:
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        return None
    return build_calendar(feed.user)
