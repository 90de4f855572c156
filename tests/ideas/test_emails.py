"""The idea exchange's emails (issue 17, "What to build" 5), owed through the outbox in the
change's transaction and delivered after its commit (Celery is eager here): each follower but
the commenter hears of a new comment once; the author hears of a "put me in touch" once; nobody
hears of a hidden comment, after unfollowing, or when switched off."""

import pytest
from django.core import mail

from accounts.models import User
from commissioning import outbox
from commissioning.models import OutboxItem
from ideas import services

pytestmark = pytest.mark.django_db


def sent() -> list[tuple[str, str]]:
    result = sorted((m.to[0], m.subject) for m in mail.outbox)
    mail.outbox.clear()
    return result


def test_followers_are_emailed_each_new_comment_once(
    commit, post, sunderland_lead, london_hub_officer, north_reviewer, nec_hub_officer
):
    with commit():
        services.post_follow(by=london_hub_officer, post=post)
        services.post_follow(by=north_reviewer, post=post)
        services.post_follow(by=nec_hub_officer, post=post)
        services.post_unfollow(by=nec_hub_officer, post=post)
    with commit():
        comment = services.comment_add(by=london_hub_officer, post=post, body="We did it too.")
    subject = "New comment on the idea: One-stop renal clinic"
    assert sent() == [("david@example.nhs.uk", subject), ("robert@example.nhs.uk", subject)]
    # Owed once per comment and follower: delivering the items again sends nothing more.
    for item in OutboxItem.objects.filter(key__startswith=f"idea-comment:{comment.pk}:"):
        assert outbox.deliver(item.pk) is None
    assert sent() == []
    keys = set(OutboxItem.objects.values_list("key", flat=True))
    assert f"idea-comment:{comment.pk}:{sunderland_lead.pk}" in keys


def test_the_email_holds_the_comment_and_a_link(commit, post, london_hub_officer):
    with commit():
        services.comment_add(by=london_hub_officer, post=post, body="O'Neill & Sons <did> it")
    (email,) = mail.outbox
    assert "O'Neill & Sons <did> it" in email.body
    assert f"/ideas/{post.pk}/#comment-" in email.body
    html = email.alternatives[0][0]
    assert "O&#x27;Neill &amp; Sons &lt;did&gt; it" in html


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
