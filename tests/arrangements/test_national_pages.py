"""The national view of formal arrangements a page at a time (issue 20): the totals and the
downloads still hold every arrangement the filters choose."""

import pytest
from django.urls import reverse

from arrangements import views

from .test_pages import many

pytestmark = pytest.mark.django_db


def test_the_national_view_pages_its_rows_but_totals_them_all(
    client, national_admin, nec_hub_officer, nenc, monkeypatch
):
    many(nec_hub_officer, nenc, 5)
    monkeypatch.setattr(views, "NATIONAL_PAGE_SIZE", 2)
    client.force_login(national_admin)
    url = reverse("arrangements:national")
    first = client.get(url, {"status": "agreed"})
    assert len(first.context["rows"]) == 2
    assert first.context["page"].paginator.count == 5
    html = first.content.decode()
    assert 'href="?status=agreed&amp;page=2#arrangements"' in html
    assert "Showing 1 to 2 of 5 arrangements" in html
    titles, money = [], 0
    for number in (1, 2, 3):
        response = client.get(url, {"status": "agreed", "page": number})
        titles += [a.title for a, _ in response.context["rows"]]
        money += sum(total for _, total in response.context["rows"])
        # The downloads' links keep the filters, not the page.
        assert 'export.csv?status=agreed"' in response.content.decode()
    assert sorted(titles) == [f"Pool {n}" for n in range(5)]
    assert first.context["by_kind"].rows[0][2] == money  # the totals hold every page's rows
