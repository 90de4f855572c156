"""My work lists the ideas a person follows, newest comments first (issue 17, "What to build"
5: following a post), in one query however many they follow."""

import pytest
from django.urls import reverse

from ideas import services

from .conftest import share

pytestmark = pytest.mark.django_db


def test_my_work_lists_followed_ideas_newest_comments_first(
    client, post, sunderland_lead, london_hub_officer, national_admin
):
    quiet = share(sunderland_lead, title="A quiet idea")
    services.post_follow(by=london_hub_officer, post=post)
    services.comment_add(by=sunderland_lead, post=post, body="Anyone <tried> this?")
    hidden = services.comment_add(by=sunderland_lead, post=post, body="Rude")
    services.comment_hide(by=national_admin, comment=hidden, version=1, reason="Not civil")

    client.force_login(london_hub_officer)
    page = client.get(reverse("workspace:my-work")).text
    assert "Ideas you follow" in page
    assert "One-stop renal clinic</a>: 1 comment, the latest on" in page  # hidden not counted
    assert "A quiet idea" not in page  # not followed

    client.force_login(sunderland_lead)  # the author follows their own posts
    page = client.get(reverse("workspace:my-work")).text
    assert page.index("One-stop renal clinic") < page.index(quiet.title)
    assert "A quiet idea</a>: no comments yet" in page

    services.post_unfollow(by=london_hub_officer, post=post)
    client.force_login(london_hub_officer)
    assert "Ideas you follow" not in client.get(reverse("workspace:my-work") + "?x=1").text


def test_followed_ideas_cost_the_same_queries_for_one_or_many(
    client, post, sunderland_lead, london_hub_officer, django_assert_max_num_queries
):
    services.post_follow(by=london_hub_officer, post=post)
    client.force_login(london_hub_officer)
    with django_assert_max_num_queries(80) as one:
        client.get(reverse("workspace:my-work") + "?n=1")
    for n in range(8):
        other = share(sunderland_lead, title=f"Idea {n}")
        services.post_follow(by=london_hub_officer, post=other)
        services.comment_add(by=sunderland_lead, post=other, body="More")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("workspace:my-work") + "?n=9").text
    assert page.count("comment, the latest on") == 5  # five at most
