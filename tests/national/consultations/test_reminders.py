"""Reminders before a consultation closes (issue 17, "What to build" 3): 7 and 2 days before
the closing date, the hub staff of each open group that has not answered are emailed, once per
consultation, closing date, reminder and group; none to a group that has answered; none once
the consultation has closed, or for a date it has moved from."""

import datetime

import pytest
from django.core import mail

from commissioning.models import OutboxItem
from national import consultations, tasks

from .conftest import group_answer

pytestmark = pytest.mark.django_db


def at(clock, day: int, month: int = 3) -> None:
    clock.move_to(datetime.datetime(2016, month, day, 6, 50, tzinfo=datetime.UTC), tick=False)


def keys() -> list[str]:
    return sorted(
        OutboxItem.objects.filter(key__startswith="consultation-reminder:").values_list(
            "key", flat=True
        )
    )


def test_the_sweep_is_in_the_beat_schedule(settings):
    scheduled = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "national.tasks.consultations_remind" in scheduled


def test_no_reminder_more_than_7_days_before(clock, consultation, nec_group, london_group):
    at(clock, 23)
    assert tasks.consultations_remind() == 0
    assert keys() == []


def test_sent_once_each_and_not_to_groups_that_answered(
    clock,
    consultation,
    nec_group,
    nec_hub_officer,
    london_group,
    london_hub_officer,
    north_reviewer,
):
    group_answer(consultation, nec_group, nec_hub_officer)
    at(clock, 24)  # 7 days before 31 March
    assert tasks.consultations_remind() == 1  # London only: NEC has answered
    assert tasks.consultations_remind() == 0  # owed once
    at(clock, 26)
    assert tasks.consultations_remind() == 0  # still the 7-day reminder
    at(clock, 29)  # 2 days before
    assert tasks.consultations_remind() == 1
    assert tasks.consultations_remind() == 0
    at(clock, 1, month=4)
    assert tasks.consultations_remind() == 0  # closed
    c, g = consultation.pk, london_group.pk
    assert keys() == [
        f"consultation-reminder:{c}:2016-03-31:2:{g}",
        f"consultation-reminder:{c}:2016-03-31:7:{g}",
    ]

    at(clock, 29)
    item = OutboxItem.objects.get(key__endswith=f":7:{g}")
    assert item.args == [c, g, "2016-03-31", 7]
    mail.outbox.clear()
    assert tasks.consultation_reminder_send(*item.args) == 1
    (email,) = mail.outbox
    assert email.to == [london_hub_officer.email]
    assert "Respond by 31 March 2016" in email.subject
    assert f"/national/consultations/{c}/" in email.body
    assert "London Oversight Group has not responded" in email.body

    group_answer(consultation, london_group, london_hub_officer)
    mail.outbox.clear()
    assert tasks.consultation_reminder_send(*item.args) == 0  # answered since
    assert mail.outbox == []


def test_a_late_sweep_sends_the_nearer_reminder_only(clock, consultation, nec_group):
    at(clock, 30)  # the sweep missed the 7- and 2-day marks' first days
    assert tasks.consultations_remind() == 1
    assert keys() == [f"consultation-reminder:{consultation.pk}:2016-03-31:2:{nec_group.pk}"]


def test_extending_moves_the_reminders_with_the_date(
    clock, consultation, national_admin, nec_group, nec_hub_officer
):
    at(clock, 24)
    assert tasks.consultations_remind() == 1
    (old,) = OutboxItem.objects.filter(key__startswith="consultation-reminder:")
    consultations.consultation_extend(
        by=national_admin,
        consultation=consultation,
        version=1,
        closes_on=datetime.date(2016, 4, 10),
    )
    mail.outbox.clear()
    assert tasks.consultation_reminder_send(*old.args) == 0  # the old date's
    assert mail.outbox == []
    assert tasks.consultations_remind() == 0  # 17 days before the new date
    at(clock, 3, month=4)
    assert tasks.consultations_remind() == 1


def test_closed_early_and_archived_are_not_reminded(clock, consultation, national_admin, nec_group):
    consultations.consultation_close(by=national_admin, consultation=consultation, version=1)
    at(clock, 29)
    assert tasks.consultations_remind() == 0
