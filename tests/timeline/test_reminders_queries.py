"""Reminders: the sweep's queries are bounded, the same for 5 or 200 recipients."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment, User
from hubs.models import CCG
from tests.timeline.sweeps import PROPOSALS, D, at
from timeline import reminders
from timeline.models import NotificationPreference, ReminderClaim, Satisfier

# 4. Bounded queries.


def test_the_sweep_makes_the_same_number_of_queries_for_5_or_200_ccg_leads(
    calendar, django_capture_on_commit_callbacks
):
    calendar.add(  # CCG leads, due Friday 24 April 2015
        PROPOSALS,
        D(2015, 4, 24),
        for_hub_staff=False,
        for_ccg_leads=True,
        satisfied_by=Satisfier.PROPOSAL_SUBMITTED,
    )
    ccgs = list(CCG.objects.valid_on(D(2015, 4, 1)).order_by("pk"))

    def add_leads(start, stop):
        users = User.objects.bulk_create(
            User(email=f"lead{n}@example.nhs.uk", full_name=f"Lead {n}") for n in range(start, stop)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=u, role=Role.CCG_LEAD, ccg=ccgs[n % len(ccgs)])
            for n, u in enumerate(users, start)
        )
        # Some choose a digest and some mute: the routing is by bulk update, not per person.
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=u, email="digest", mute_non_essential=n % 2 == 0)
            for n, u in enumerate(users)
            if n % 3 == 0
        )

    def measure(when):
        with (
            time_machine.travel(when, tick=False),
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,  # the sends: not measured
        ):
            result = reminders.reminders_sweep()
        return result.claimed, len(queries), len(callbacks)

    add_leads(0, 5)
    few = measure(at(D(2015, 4, 10)))  # "10 working days before"
    ReminderClaim.objects.update(status=ReminderClaim.Status.SENT)  # as if emailed
    add_leads(5, 200)
    many = measure(at(D(2015, 4, 21)))  # "3 working days before"
    assert few[0] == 5
    assert many[0] == 200
    assert few[1] == many[1] <= 25
    assert few[2] == many[2]
