"""The idea exchange at 10,000 posts (issue 17, "Done when": bounded queries on every list):
the list page, its filters and later pages, the API list and a post's page take a fixed number
of queries whatever the number of posts (their time is the scale generator's to print:
bench/generate.py times the idea pages with the rest)."""

import pytest
from django.urls import reverse

from hubs.models import ProgrammeOfCare
from ideas.models import Post

from .scale import populate_ideas

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    ids = populate_ideas(10_000)
    assert Post.objects.count() == 10_000
    return ids


def test_the_lists_at_10000_posts_run_bounded_queries(
    client, api_client, country, north_reviewer, django_assert_max_num_queries
):
    client.force_login(north_reviewer)
    url = reverse("ideas:post-list")
    client.get(url)  # warm the session and the cached unread count
    cancer = ProgrammeOfCare.objects.get(name="Cancer").slug
    for params in (
        {},
        {"page": 200},
        {"q": "service 42", "theme": "workforce"},
        {"programme": cancer, "region": "north", "adopted": "no"},
        {"hub": "london", "page": 3},
    ):
        with django_assert_max_num_queries(12):
            response = client.get(url, params)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) <= 25
    first = client.get(url)
    assert first.context["page"].paginator.count == 10_000
    assert "10000 ideas, showing 1 to 25" in first.text
    # The API list, and one post's page, at the same scale (one fixture: it takes seconds).
    api_client.force_authenticate(north_reviewer)
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/ideas/", {"theme": "pathway", "limit": 100})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100
    post = Post.objects.get(pk=country[-1])
    client.get(post.get_absolute_url())
    with django_assert_max_num_queries(14):
        assert client.get(post.get_absolute_url()).status_code == 200
