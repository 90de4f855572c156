"""The transactional outbox (issue 14, "What to build" 1): work a change owes is recorded in the
change's own transaction, published after commit with a short broker wait, relayed again until
a worker has done it, and done once; national admins see what is stuck and retry it."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import services as accounts_services
from accounts.models import Role
from commissioning import outbox
from commissioning.models import AuditEvent, OutboxItem
from commissioning.tasks import outbox_deliver
from hubs.models import Hub

pytestmark = pytest.mark.django_db
State = OutboxItem.State


@pytest.fixture
def broker(monkeypatch):
    """The broker, as `enqueue` sees it: `broker.down()` makes every publication fail as a
    stopped Redis does (kombu's OperationalError), `broker.up()` brings it back."""
    real = outbox_deliver.apply_async

    class Broker:
        def down(self):
            def refused(*args, **kwargs):
                raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")

            monkeypatch.setattr(outbox_deliver, "apply_async", refused)

        def up(self):
            monkeypatch.setattr(outbox_deliver, "apply_async", real)

    return Broker()


def _grant(by, email="new.person@example.nhs.uk"):
    return accounts_services.role_grant(
        by=by,
        email=email,
        full_name="New Person",
        role=Role.HUB_STAFF,
        hub=Hub.objects.get(slug="wessex"),
    )


def test_a_role_given_while_the_broker_is_down_still_gets_its_welcome_email_once(
    national_admin, broker, django_capture_on_commit_callbacks
):
    """The probe's fault: the welcome email of a role given during an outage was never sent."""
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = _grant(national_admin)
    item = OutboxItem.objects.get()
    assert (item.state, item.label) == (State.PENDING, f"Welcome email to {assignment.user}")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay() == 0  # still down: nothing published, nothing lost
    assert OutboxItem.objects.get().state == State.PENDING
    broker.up()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay() == 1
    item.refresh_from_db()
    assert (item.state, item.attempts) == (State.DONE, 1)
    assert [m.to for m in mail.outbox] == [["new.person@example.nhs.uk"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay() == 0
    assert len(mail.outbox) == 1


def test_nothing_is_owed_when_the_change_rolls_back(national_admin):
    def grant_then_fail():
        with transaction.atomic():
            _grant(national_admin)
            assert OutboxItem.objects.count() == 1
            raise RuntimeError("the change fails after the grant")

    with pytest.raises(RuntimeError):
        grant_then_fail()
    assert not OutboxItem.objects.exists()


def test_the_same_work_added_twice_is_owed_once(national_admin):
    from accounts.tasks import user_send_welcome

    first = outbox.add(user_send_welcome, national_admin.pk, key="welcome:x", label="One")
    second = outbox.add(user_send_welcome, national_admin.pk, key="welcome:x", label="Two")
    assert first.pk == second.pk
    assert OutboxItem.objects.get().label == "One"


def test_two_deliveries_of_one_item_do_the_work_once(national_admin, broker):
    broker.down()
    _grant(national_admin)
    item = OutboxItem.objects.get()
    assert outbox.deliver(item.pk) == State.DONE
    assert outbox.deliver(item.pk) is None  # a second message for the same item
    assert len(mail.outbox) == 1


def test_a_failing_item_backs_off_then_fails_and_an_admin_retries_it(
    national_admin, broker, monkeypatch, django_capture_on_commit_callbacks
):
    broker.down()
    _grant(national_admin)
    item = OutboxItem.objects.get()

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("accounts.tasks.welcome_email_send", smtp_down)
    now = timezone.now()
    waits = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        state = outbox.deliver(item.pk, now=now)
        item.refresh_from_db()
        assert item.attempts == attempt
        assert item.last_error == "ConnectionRefusedError: mail server down"
        if attempt < outbox.MAX_ATTEMPTS:
            assert state == State.PENDING
            waits.append((item.next_attempt_at - now) // datetime.timedelta(minutes=1))
    assert waits == [1, 2, 4, 8, 16]
    assert item.state == State.FAILED
    assert outbox.relay(now=now + datetime.timedelta(days=1)) == 0  # failed waits for a person
    monkeypatch.undo()  # the mail server and the broker are back
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry(by=national_admin, item=item)
    item.refresh_from_db()
    assert (item.state, item.attempts, item.last_error) == (State.DONE, 1, "")
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(verb="outbox.retried", actor=national_admin).count() == 1
    with pytest.raises(outbox.NotRetryable):
        outbox.retry(by=national_admin, item=item)


def test_the_relay_puts_back_work_whose_worker_or_message_was_lost(
    national_admin, broker, django_capture_on_commit_callbacks
):
    broker.down()
    _grant(national_admin, "one@example.nhs.uk")
    _grant(national_admin, "two@example.nhs.uk")
    _grant(national_admin, "three@example.nhs.uk")
    running, queued, fresh = OutboxItem.objects.order_by("pk")
    started = timezone.now()
    # A worker took the first and was killed; the second's message went with a restarted Redis.
    OutboxItem.objects.filter(pk=running.pk).update(state=State.RUNNING, changed_at=started)
    OutboxItem.objects.filter(pk=queued.pk).update(state=State.QUEUED, changed_at=started)
    OutboxItem.objects.filter(pk=fresh.pk).update(state=State.RUNNING, changed_at=started)
    broker.up()
    soon = started + outbox.STALE - datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay(now=soon) == 0  # not yet: they may still be on their way
    later = started + outbox.STALE + datetime.timedelta(seconds=1)
    OutboxItem.objects.filter(pk=fresh.pk).update(changed_at=later)  # this one is still going
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.relay(now=later) == 2
    states = dict(OutboxItem.objects.values_list("pk", "state"))
    assert states == {running.pk: State.DONE, queued.pk: State.DONE, fresh.pk: State.RUNNING}
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.nhs.uk", "two@example.nhs.uk"]


def test_every_email_a_change_owes_goes_through_the_outbox(
    national_admin, broker, nec_hub_officer, sunderland_lead
):
    """Invitations to join a group are owed per membership, with the invitation's date."""
    from oversight import services as group_services

    broker.down()
    group = group_services.group_create(
        by=nec_hub_officer,
        hub=Hub.objects.get(slug="north-east-and-cumbria"),
        name="NEC oversight group",
        kind="oversight_group",
        start_date=datetime.date(2016, 4, 1),
    )
    sunderland = sunderland_lead.role_assignments.get().ccg
    invited = group_services.ccgs_invite(by=nec_hub_officer, group=group, ccgs=[sunderland])
    item = OutboxItem.objects.get(task="hubs.tasks.invitations_send")
    assert item.args == [[invited[0].pk]]
    assert item.label.startswith("Invitation to NHS Sunderland CCG to join")
    assert outbox.deliver(item.pk) == State.DONE
    assert [m.to for m in mail.outbox] == [["david@example.nhs.uk"]]


def test_the_delivery_log_shows_what_is_stuck_to_national_admins_only(
    client, national_admin, nec_hub_officer, broker, django_assert_max_num_queries
):
    broker.down()
    for n in range(30):
        _grant(national_admin, f"person{n}@example.nhs.uk")
    OutboxItem.objects.filter(pk__in=OutboxItem.objects.order_by("pk")[:3].values("pk")).update(
        state=State.FAILED, last_error="SMTPRecipientsRefused: no such mailbox"
    )
    client.force_login(national_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("timeline:delivery-log") + "?state=stuck")
    body = page.content.decode()
    assert body.count("SMTPRecipientsRefused") == 3
    assert "3 need a look" in body
    with django_assert_max_num_queries(12):
        assert client.get(reverse("timeline:delivery-log")).status_code == 200
    reminders = client.get(reverse("timeline:reminders-admin")).content.decode()
    assert "3 stuck" in reminders
    client.force_login(nec_hub_officer)
    assert client.get(reverse("timeline:delivery-log")).status_code == 403
    failed = OutboxItem.objects.filter(state=State.FAILED).first()
    assert client.post(reverse("timeline:delivery-retry", args=[failed.pk])).status_code == 403
    assert OutboxItem.objects.get(pk=failed.pk).state == State.FAILED


def test_the_delivery_log_api(client, national_admin, nec_hub_officer, broker):
    broker.down()
    _grant(national_admin)
    item = OutboxItem.objects.get()
    OutboxItem.objects.filter(pk=item.pk).update(state=State.FAILED, last_error="refused")
    url = "/api/v1/delivery-log/"
    client.force_login(nec_hub_officer)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}{item.pk}/").status_code == 403
    assert client.post(f"{url}{item.pk}/retry/").status_code == 403
    assert "refused" not in client.get(url).content.decode()
    client.force_login(national_admin)
    listed = client.get(url, {"state": "stuck"}).json()
    assert [(r["id"], r["state"], r["last_error"]) for r in listed["results"]] == [
        (item.pk, "failed", "refused")
    ]
    assert client.get(url, {"state": "done"}).json()["results"] == []
    broker.up()
    retried = client.post(f"{url}{item.pk}/retry/")
    assert retried.status_code == 200
    assert retried.json()["state"] in ("pending", "queued", "done")
    OutboxItem.objects.filter(pk=item.pk).update(state=State.DONE)
    assert client.post(f"{url}{item.pk}/retry/").status_code == 409
    assert client.post(f"{url}{item.pk + 99}/retry/").status_code == 404
