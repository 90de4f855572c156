"""An end of term reminds the region's oversight groups to nominate again (issue 17, "What to
build" 2): one email per seat and term end, from 60 days before it (or once it has ended and
the seat is vacant), to the staff of the hubs whose open groups are in the seat's region."""

import datetime

import pytest
import time_machine
from django.core import mail

from commissioning.models import OutboxItem
from national import services, tasks

from .conftest import nominate

pytestmark = pytest.mark.django_db


def test_the_sweep_is_in_the_beat_schedule(settings):
    scheduled = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "national.tasks.seat_terms_remind" in scheduled


@pytest.fixture
def term(nomination, national_admin):
    return services.nomination_accept(by=national_admin, nomination=nomination, version=1)


def test_no_reminder_more_than_60_days_before_the_end(term):
    with time_machine.travel(datetime.datetime(2019, 1, 29, 9, tzinfo=datetime.UTC)):
        assert tasks.seat_terms_remind() == 0
    assert not OutboxItem.objects.filter(key__startswith="crg-seat-term:").exists()


def test_one_reminder_per_seat_and_term_end(
    term, nec_hub_officer, london_hub_officer, london_group, north_reviewer
):
    with time_machine.travel(datetime.datetime(2019, 2, 1, 9, tzinfo=datetime.UTC)):
        assert tasks.seat_terms_remind() == 1
        assert tasks.seat_terms_remind() == 0  # owed once
    with time_machine.travel(datetime.datetime(2019, 6, 1, 9, tzinfo=datetime.UTC)):
        assert tasks.seat_terms_remind() == 0  # vacant since: still the same term end
    item = OutboxItem.objects.get(key__startswith="crg-seat-term:")
    assert item.key == f"crg-seat-term:{term.seat.pk}:2019-03-31"
    assert item.args == [term.seat.pk, "2019-03-31"]

    mail.outbox.clear()
    assert tasks.seat_term_reminder_send(*item.args) == 1
    (email,) = mail.outbox
    assert email.to == [nec_hub_officer.email]  # the North's groups only, not London's
    assert "North seat of the Cardiac Services CRG" in email.subject
    assert f"/national/crgs/{term.seat.crg_id}/" in email.body


def test_a_later_term_ends_the_old_reminder(
    term, north_seat, nec_meeting, nec_hub_officer, national_admin
):
    later = nominate(
        north_seat,
        nec_meeting,
        nec_hub_officer,
        term_start=datetime.date(2019, 4, 1),
        term_end=datetime.date(2022, 3, 31),
    )
    services.nomination_accept(by=national_admin, nomination=later, version=1)
    with time_machine.travel(datetime.datetime(2019, 2, 1, 9, tzinfo=datetime.UTC)):
        assert tasks.seat_terms_remind() == 0
    mail.outbox.clear()
    assert tasks.seat_term_reminder_send(north_seat.pk, "2019-03-31") == 0
    assert mail.outbox == []


def test_archived_crgs_are_not_reminded(term, crg, national_admin):
    services.crg_update(by=national_admin, crg=crg, version=crg.version, archived=True)
    with time_machine.travel(datetime.datetime(2019, 2, 1, 9, tzinfo=datetime.UTC)):
        assert tasks.seat_terms_remind() == 0
