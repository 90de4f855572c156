"""The generator: its sections run year by year, and the digest of what it made."""

import datetime
import hashlib
import json
import random
import time
from collections import Counter

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import RoleAssignment, User
from ideas.models import Post
from oversight.models import GroupMember, Handover
from priorities.models import DeliveryUpdate, Proposal, Score
from reviews.models import Reviewer
from timeline.models import Notification

from .constants import DOMAIN, FIRST_YEAR
from .current_year import CurrentYearSteps
from .groups import GroupSteps
from .helpers import Names
from .ideas import IdeaSteps
from .meetings import MeetingSteps
from .notifications import NotificationSteps
from .people import PeopleSteps
from .planning_calendar import CalendarSteps
from .plans import PlanSteps
from .reviews import ReviewSteps


class Generator(
    PeopleSteps,
    GroupSteps,
    CalendarSteps,
    MeetingSteps,
    PlanSteps,
    ReviewSteps,
    CurrentYearSteps,
    NotificationSteps,
    IdeaSteps,
):
    """One run: the sections in order, drawing every value from one random.Random(seed)."""

    def __init__(
        self, *, years: int, seed: int, hubs: int | None, today: datetime.date | None = None
    ):
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + years))
        self.as_of = datetime.date(FIRST_YEAR + years, 3, 31)  # the past years' "today"
        # The ICB era's year (issue 13): the financial year running today, after the past years.
        today = today or timezone.localdate()
        self.today = today
        running = today.year if today.month >= 4 else today.year - 1
        self.current_year = max(running, self.years[-1] + 1)
        self.rng = random.Random(seed)
        self.name = Names(self.rng)
        self.counts: Counter = Counter()
        self.hub_limit = hubs

    def run(self, say=print) -> Counter:
        started = time.perf_counter()
        with transaction.atomic():
            self.load_register()
            self.refuse_if_filled()
            self.people()
            self.groups()
        say(f"  register, people and groups: {time.perf_counter() - started:.1f} s")
        for year in self.years:
            with transaction.atomic():
                self.era(year)
                self.calendar(year)
                self.meetings(year)
                versions = self.plans(year)
                self.reviews(year, versions)
            say(f"  {year}/{(year + 1) % 100:02d}: {time.perf_counter() - started:.1f} s")
        with transaction.atomic():
            self.calendar(self.current_year)
            self.current_plans()
        say(
            f"  {self.current_year}/{(self.current_year + 1) % 100:02d} (ICBs): "
            f"{time.perf_counter() - started:.1f} s"
        )
        with transaction.atomic():
            self.notifications()
        with transaction.atomic():
            self.ideas()
        say(f"  idea exchange: {time.perf_counter() - started:.1f} s")
        return self.counts


def generate(
    *,
    years: int = 10,
    seed: int = 2015,
    hubs: int | None = None,
    say=print,
    today: datetime.date | None = None,
) -> Counter:
    """Generate the data into the current database; returns rows created per model. `today`
    (default: today) sets the current financial year, the ICB era's."""
    return Generator(years=years, seed=seed, hubs=hubs, today=today).run(say=say)


def data_digest() -> str:
    """A digest of the generated rows by their natural keys (never primary keys): equal for
    two runs with the same seed."""
    h = hashlib.sha256()

    def feed(rows) -> None:
        # Sorted here, not only by the database: rows that tie on the ORDER BY (say, the same
        # member's name in a hub's 2015/16 and current groups) come back in any order on
        # PostgreSQL, and the digest must not depend on it.
        for encoded in sorted(json.dumps(row, default=str, sort_keys=True) for row in rows):
            h.update(encoded.encode())

    gen = User.objects.filter(email__endswith=f"@{DOMAIN}")
    feed(gen.order_by("email").values_list("email", "full_name", "job_title", "password"))
    feed(
        RoleAssignment.objects.filter(user__in=gen)
        .order_by("user__email", "role", "granted_at", "ccg__ods_code")
        .values_list("user__email", "role", "ccg__ods_code", "hub__slug", "granted_at", "ended_at")
    )
    feed(
        GroupMember.objects.order_by("group__hub__slug", "full_name", "sector", "role").values_list(
            "group__hub__slug", "full_name", "sector", "role", "ccg__ods_code"
        )
    )
    feed(
        Handover.objects.order_by(
            "group__hub__slug", "group__start_date", "effective_date", "predecessor__ods_code"
        ).values_list(
            "group__hub__slug",
            "group__start_date",
            "predecessor__ods_code",
            "successor__ods_code",
            "effective_date",
            "was",
            "became",
        )
    )
    feed(
        Post.objects.order_by("created_at", "title").values_list(
            "title",
            "author__email",
            "organisation",
            "hub__slug",
            "ccg__ods_code",
            "themes",
            "created_at",
        )
    )
    feed(
        Proposal.objects.order_by(
            "plan__group__hub__slug", "plan__year", "created_at", "title"
        ).values_list(
            "plan__group__hub__slug",
            "plan__year",
            "title",
            "status",
            "qipp_savings",
            "ccg__ods_code",
            "proposed_by__email",
            "created_at",
        )
    )
    feed(
        Score.objects.order_by(
            "proposal__plan__group__hub__slug", "proposal__plan__year", "assessor__email"
        )
        .values_list("proposal__plan__group__hub__slug", "proposal__plan__year", "assessor__email")
        .annotate(total=Sum("value"))
    )
    feed(
        Reviewer.objects.order_by(
            "review__cycle__year", "review__cycle__kind", "review__hub__slug", "role", "user__email"
        ).values_list(
            "review__cycle__year", "review__cycle__kind", "review__hub__slug", "user__email", "role"
        )
    )
    feed(
        DeliveryUpdate.objects.order_by(
            "proposal__title", "reported_on", "qipp_realised", "rag"
        ).values_list("proposal__title", "reported_on", "rag", "qipp_realised")[:2000]
    )
    feed(
        Notification.objects.filter(user__in=gen)
        .order_by("user__email", "created_at", "title")
        .values_list("user__email", "title", "created_at", "read_at", "essential")
    )
    return h.hexdigest()
