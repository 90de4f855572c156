"""The idea exchange's emails and notices (issue 17, "What to build" 5), owed through the
outbox in the change's transaction and delivered after its commit (Celery is eager here): each
follower but the commenter hears of a new comment once, in the inbox and by email as their
notification settings say; the author hears of a "put me in touch" once; nobody
hears of a hidden comment, after unfollowing, or when switched off."""

import pytest
from django.core import mail

from accounts.models import User
from commissioning import outbox
from commissioning.models import OutboxItem
from ideas import services, tasks
from timeline import reminders
from timeline.models import Notification, NotificationPreference, ReminderClaim, ReminderRule

pytestmark = pytest.mark.django_db


def sent() -> list[tuple[str, str]]:
    result = sorted((m.to[0], m.subject) for m in mail.outbox)
    mail.outbox.clear()
    return result


def test_followers_are_notified_of_each_new_comment_once(
    commit, post, sunderland_lead, london_hub_officer, north_reviewer, nec_hub_officer
):
    with commit():
        services.post_follow(by=london_hub_officer, post=post)
        services.post_follow(by=north_reviewer, post=post)
        services.post_follow(by=nec_hub_officer, post=post)
        services.post_unfollow(by=nec_hub_officer, post=post)
    with commit():
        comment = services.comment_add(by=london_hub_officer, post=post, body="We did it too.")
    name = london_hub_officer.full_name
    subject = f"{name} commented on the idea “One-stop renal clinic”"
    assert sent() == [("david@example.nhs.uk", subject), ("robert@example.nhs.uk", subject)]
    # In each follower's inbox too, linking to the comment.
    inbox = Notification.objects.filter(title=subject)
    assert sorted(inbox.values_list("user__email", flat=True)) == [
        "david@example.nhs.uk",
        "robert@example.nhs.uk",
    ]
    assert {n.link for n in inbox} == {f"/ideas/{post.pk}/#comment-{comment.pk}"}
    # Owed once per comment and follower: delivering the items again sends nothing more.
    for item in OutboxItem.objects.filter(key__startswith=f"idea-comment:{comment.pk}:"):
        assert outbox.deliver(item.pk) is None
    assert tasks.comment_notice_send(comment.pk, sunderland_lead.pk) == 0  # claimed already
    assert sent() == []
    assert inbox.count() == 2
    keys = set(OutboxItem.objects.values_list("key", flat=True))
    assert f"idea-comment:{comment.pk}:{sunderland_lead.pk}" in keys


def test_notices_follow_each_persons_notification_settings(
    commit, post, sunderland_lead, london_hub_officer, north_reviewer, nec_hub_officer
):
    """The digest waits for the daily digest; muting what is not essential keeps notices in
    the inbox only; an inactive notice rule sends nothing at all."""
    for user in (north_reviewer, nec_hub_officer):
        services.post_follow(by=user, post=post)
    NotificationPreference.objects.create(user=north_reviewer, email="digest")
    NotificationPreference.objects.create(user=nec_hub_officer, mute_non_essential=True)
    with commit():
        services.comment_add(by=london_hub_officer, post=post, body="First")
    assert [to for to, _ in sent()] == ["david@example.nhs.uk"]
    claims = dict(
        ReminderClaim.objects.filter(item_key__startswith="idea-comment:").values_list(
            "recipient__email", "status"
        )
    )
    assert claims == {
        "david@example.nhs.uk": "sent",
        north_reviewer.email: "digest",
        nec_hub_officer.email: "in_app",
    }
    assert Notification.objects.filter(title__contains="commented on the idea").count() == 3
    assert reminders.digest_send() == 1
    ((to, subject),) = sent()
    assert (to, subject) == (
        north_reviewer.email,
        f"{london_hub_officer.full_name} commented on the idea “One-stop renal clinic”",
    )

    ReminderRule.objects.filter(kind="notice").update(active=False)
    with commit():
        services.comment_add(by=london_hub_officer, post=post, body="Second")
    assert sent() == []
    assert Notification.objects.filter(title__contains="commented on the idea").count() == 3


def test_nothing_for_a_hidden_comment_or_a_switched_off_follower(
    commit, post, sunderland_lead, london_hub_officer, national_admin, north_reviewer
):
    services.post_follow(by=north_reviewer, post=post)
    User.objects.filter(pk=north_reviewer.pk).update(is_active=False)
    comment = services.comment_add(by=london_hub_officer, post=post, body="Rude")
    services.comment_hide(by=national_admin, comment=comment, version=1, reason="Not civil")
    with commit():
        pass
    for item in OutboxItem.objects.filter(key__startswith="idea-comment:"):
        outbox.deliver(item.pk)
    assert sent() == []


def test_put_me_in_touch_emails_the_author_once(commit, post, london_hub_officer):
    with commit():
        services.contact_request(by=london_hub_officer, post=post, message="Can we visit?")
    (email,) = mail.outbox
    assert email.to == ["david@example.nhs.uk"]
    assert email.subject == "Sam Patel asks to be put in touch about: One-stop renal clinic"
    assert "sam@example.nhs.uk" in email.body
    assert "Can we visit?" in email.body
    item = OutboxItem.objects.get(key__startswith="idea-contact:")
    assert outbox.deliver(item.pk) is None
    assert len(mail.outbox) == 1
