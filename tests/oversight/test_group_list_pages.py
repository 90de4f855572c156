"""The list of oversight groups a page at a time (issue 20): closed groups accumulate year on
year, so the list pages like the register's search, at the same number of queries."""

import pytest
from django.urls import reverse

from oversight import views
from tests.conftest import cache_clear
from tests.scale import populate_country

pytestmark = pytest.mark.django_db


def test_the_group_list_pages_and_the_next_page_shows_the_rest(
    client, national_admin, monkeypatch, django_assert_max_num_queries
):
    groups = populate_country(members=0)
    monkeypatch.setattr(views, "GROUP_PAGE_SIZE", 4)
    client.force_login(national_admin)
    seen, ceiling = [], None
    for number in (1, 2, 3):
        cache_clear()
        with django_assert_max_num_queries(ceiling or 12) as captured:
            response = client.get(reverse("oversight:group-list"), {"page": number})
        ceiling = ceiling or len(captured.captured_queries)  # no page costs more than the first
        page = response.context["page"]
        assert page.paginator.count == len(groups) == 10
        seen += [row["group"].pk for row in response.context["rows"]]
        html = response.content.decode()
        assert 'class="nhsuk-pagination"' in html
        if number < 3:
            assert f'href="?page={number + 1}"' in html
    assert len(seen) == len(set(seen)) == 10
    assert set(seen) == {g.pk for g in groups.values()}
    assert len(response.context["rows"]) == 2  # the last page holds the rest
