"""Reminders: two sweeps racing on the database, in real transactions on two connections.

A system test because it needs a database that two connections share with real locking: the
in-memory SQLite of the fast lane is shared through SQLite's shared cache, which refuses the
second writer ("database table is locked") instead of making it wait. A run with system tests
uses a file-backed SQLite database (tests/conftest.py), as it does PostgreSQL.
"""

import threading
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection

from tests.timeline.sweeps import DUE, PLAN, at, outbox_counts
from timeline import reminders, services
from timeline.models import CalendarMilestone, ReminderClaim


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_on_the_database_claim_each_reminder_once(
    register, national_admin, nec_hub_officer, london_hub_officer
):
    """Sweep B inserts its claims while sweep A holds the same claims uncommitted: B waits on
    the unique key and then claims nothing. (Real transactions; the sends run eagerly after
    each commit.) A commits only once B's insert is under way; should A's commit reach the
    database first, B finds the claims committed instead and claims nothing just the same."""
    if not CalendarMilestone.objects.filter(title=PLAN).exists():  # flushed by an earlier test
        services.calendar_seed(by=national_admin, year=2015)
    CalendarMilestone.objects.update(archived=True)
    CalendarMilestone.objects.filter(year=2015, title=PLAN).update(archived=False)
    deliver = reminders._deliver_in_app
    a_inserted, b_inserting = threading.Event(), threading.Event()
    results, errors = {}, []

    def deliver_once_b_inserts(claims):
        if threading.current_thread().name == "A":
            a_inserted.set()
            assert b_inserting.wait(30), "sweep B never inserted its claims"
        deliver(claims)

    def signal_claim_insert(execute, sql, params, many, context):
        if sql.startswith("INSERT") and ReminderClaim._meta.db_table in sql:
            b_inserting.set()
        return execute(sql, params, many, context)

    def run(name):
        try:
            if name == "B":
                assert a_inserted.wait(30), "sweep A never inserted its claims"
                with connection.execute_wrapper(signal_claim_insert):
                    results[name] = reminders.reminders_sweep()
            else:
                results[name] = reminders.reminders_sweep()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            a_inserted.set()
            b_inserting.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in "AB"]
    with (
        time_machine.travel(at(DUE), tick=False),
        mock.patch.object(reminders, "_deliver_in_app", deliver_once_b_inserts),
    ):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert (results["A"].claimed, results["B"].claimed) == (2, 0)
    assert ReminderClaim.objects.count() == 2
    assert set(ReminderClaim.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 2
    assert set(outbox_counts().values()) == {1}
