"""Layout (issue 18, findings 3 and 10): wide tables in a labelled, focusable scroll region;
at a glance puts the region's columns first (the CSV keeps its order); the RACI matrix groups
activities by stage; the header keeps at most seven links and "All services" lists the rest;
the group page has a contents list; the invite list leaves out CCGs with a place."""

import csv
import io
import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from accountability import services as raci_services
from hubs.models import CCG
from oversight import services as group_services
from tests.factories import make_group
from tests.timeline.timeline_pages import seeded_calendar  # noqa: F401 (fixture "calendar")

pytestmark = pytest.mark.django_db

ROLES = ["north_reviewer", "nec_hub_officer", "sunderland_lead", "national_admin"]


def _region(html: str, table_id: str) -> re.Match:
    """The scroll region around the table `table_id`, with its label's id."""
    found = re.search(
        r'<div class="app-scrolltable__region" role="region" aria-labelledby="([^"]+)" '
        rf'tabindex="0">\s*<table[^>]*id="{table_id}"[^>]*><caption[^>]*id="([^"]+)"',
        html,
    )
    assert found, f"no labelled scroll region around #{table_id}"
    assert found.group(1) == found.group(2)
    return found


# The tag itself


def test_scrolltable_labels_the_region_with_its_caption():
    html = Template(
        '{% scrolltable caption %}<table class="nhsuk-table" id="t">'
        "<caption>old</caption><tr><td>1</td></tr></table>{% endscrolltable %}"
    ).render(Context({"caption": "Hubs by <year>"}))
    assert 'role="region" aria-labelledby="hubs-by-year-1-caption" tabindex="0"' in html
    assert '<caption class="nhsuk-table__caption nhsuk-u-visually-hidden" id="hubs-by-year-1-' in (
        html
    )
    assert "Hubs by &lt;year&gt;</caption>" in html
    assert "old" not in html
    assert "Scroll to see more columns" in html


def test_scrolltable_keeps_the_tables_own_caption():
    html = Template(
        '{% scrolltable %}<table id="a"><caption class="c">Totals by {{ x }}</caption></table>'
        '{% endscrolltable %}{% scrolltable %}<table id="b"><caption id="mine">B</caption>'
        "</table>{% endscrolltable %}"
    ).render(Context({"x": "year"}))
    assert '<caption class="c" id="totals-by-year-1-caption">Totals by year</caption>' in html
    assert 'aria-labelledby="totals-by-year-1-caption"' in html
    assert 'aria-labelledby="mine"' in html


def test_scrolltable_needs_a_table_with_a_caption():
    with pytest.raises(TemplateSyntaxError):
        Template("{% scrolltable %}<table></table>{% endscrolltable %}").render(Context())
    with pytest.raises(TemplateSyntaxError):
        Template('{% scrolltable "x" colour="red" %}{% endscrolltable %}')


# At a glance


def test_at_a_glance_shows_the_regions_columns_first_and_the_csv_keeps_its_order(
    client, north_reviewer
):
    client.force_login(north_reviewer)
    url = reverse("workspace:oversight-glance")
    page = client.get(url)
    labels = [h["label"] for h in page.context["headers"]]
    assert labels[:3] == ["Hub", "Open recommendations", "Overdue actions"]
    html = page.content.decode()
    _region(html, "glance")
    heads = re.findall(r"<th scope=\"col\"[^>]*><a [^>]*>([^<]+)</a>", html)
    assert heads[:3] == ["Hub", "Open recommendations", "Overdue actions"]
    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv").content.decode())))
    assert rows[0] == [
        "Region",
        "Hub",
        "Group",
        "Terms of reference agreed",
        "Collaboration agreement agreed",
        "CCG coverage %",
        "Members",
        "Last meeting",
        "Next meeting",
        "Open recommendations",
        "Overdue actions",
    ]


# RACI and timeline grid


@pytest.mark.parametrize("persona", ["sunderland_lead", "north_reviewer", "nec_hub_officer"])
def test_raci_is_in_a_focusable_region_with_stages_as_row_groups(
    client, request, nec_hub_officer, persona
):
    group = make_group(by=nec_hub_officer, name="NEC Group")
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    raci_services.raci_seed_default(by=nec_hub_officer, group=group)
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("accountability:raci", args=[group.pk])).content.decode()
    _region(html, "raci")
    stages = re.findall(
        r'<th scope="rowgroup" colspan="9"[^>]*><span[^>]*>([^<]+)</span></th>', html
    )
    assert stages == ["Plan", "Specify", "Change", "Deliver"]
    assert html.count('<tbody class="nhsuk-table__body">') == 4
    # The activity's row header holds its name alone; the stage is no longer beside it.
    assert re.search(
        r'<th scope="row" class="nhsuk-table__header">Assess population needs and inequalities',
        html,
    )
    assert 'scope="col" class="nhsuk-table__header">Oversight group' in html


def test_timeline_grid_is_in_a_labelled_region(client, north_reviewer, calendar):
    client.force_login(north_reviewer)
    html = client.get(reverse("timeline:grid") + "?year=2015").content.decode()
    found = _region(html, "timeline-grid")
    assert re.search(rf'id="{found.group(1)}">Milestones of 2015/16 by hub</caption>', html)


# The header and All services


@pytest.mark.parametrize("persona", ROLES)
def test_the_header_has_at_most_seven_links_ending_with_all_services(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("workspace:my-work"))
    html = page.content.decode()
    start = html.index('aria-label="Menu"')
    menu = html[start : html.index("</nav>", start)]
    links = re.findall(r'<a class="nhsuk-header__navigation-link" href="([^"]+)"', menu)
    assert 2 <= len(links) <= 7
    assert links[0] == reverse("workspace:my-work")
    assert links[-1] == reverse("workspace:services")
    labels = [i["label"] for i in page.context["header_items"]]
    assert labels[-1] == "All services"
    assert set(labels[:-1]) <= {i["label"] for i in page.context["nav_items"]}


def test_the_regional_teams_header(client, north_reviewer):
    client.force_login(north_reviewer)
    labels = [i["label"] for i in client.get("/").context["header_items"]]
    assert labels == [
        "My work",
        "Oversight groups",
        "At a glance",
        "Recommendations",
        "Peer reviews",
        "Timeline",
        "All services",
    ]


@pytest.mark.parametrize("persona", ROLES)
def test_all_services_lists_every_area_the_user_reaches(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("workspace:services"))
    assert page.status_code == 200
    listed = {label: url for _, links in page.context["groups"] for label, url in links}
    areas = {i["label"] for i in page.context["nav_items"]} - {"My work"}
    assert areas <= set(listed)
    for label, url in listed.items():
        assert client.get(url).status_code == 200, label
    assert "People and roles" in listed if persona == "national_admin" else "Admin" not in listed
    # The header marks "All services" current on its page and on areas it leaves out.
    current = f'href="{reverse("workspace:services")}" aria-current="page">All services'
    assert current in page.content.decode()
    assert current in client.get(reverse("governance:template-list")).content.decode()


def test_all_services_needs_sign_in(client, register):
    response = client.get(reverse("workspace:services"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# The group page


def test_the_group_page_has_a_contents_list_of_its_sections(client, nec_hub_officer):
    group = make_group(by=nec_hub_officer, name="NEC Group")
    client.force_login(nec_hub_officer)
    html = client.get(group.get_absolute_url()).content.decode()
    contents = html[html.index('aria-label="On this page"') :]
    contents = contents[: contents.index("</nav>")]
    anchors = re.findall(r'href="#([\w-]+)"', contents)
    assert anchors == [
        "coverage",
        "governance",
        "delivery-sub-groups",
        "plans",
        "meetings",
        "footprint",
        "group-members",
    ]
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1, anchor


def test_the_invite_list_leaves_out_ccgs_with_a_place(client, nec_hub_officer):
    group = make_group(by=nec_hub_officer, name="NEC Group")
    group_services.ccgs_invite(
        by=nec_hub_officer, group=group, ccgs=[CCG.objects.get(ods_code="00P")]
    )
    client.force_login(nec_hub_officer)
    page = client.get(group.get_absolute_url())
    offered = {c.ods_code for c in page.context["invite_form"].fields["ccg"].queryset}
    assert "00P" not in offered
    assert {c.ods_code for c in page.context["uninvited"]} == offered
    html = page.content.decode()
    select = html[html.index('name="ccg"') : html.index("</select>", html.index('name="ccg"'))]
    assert 'value="00P"' not in select
    # Posting a CCG with a place is refused beside nothing changed.
    response = client.post(
        reverse("oversight:group-invite", args=[group.pk]), {"ccg": "00P"}, follow=True
    )
    assert "in the hub&#x27;s footprint to invite" in response.content.decode()


def test_a_group_with_every_ccg_invited_offers_no_invite_list(client, nec_hub_officer):
    group = make_group(by=nec_hub_officer, name="NEC Group")
    client.force_login(nec_hub_officer)
    client.post(reverse("oversight:group-invite", args=[group.pk]), {"all": "1"})
    html = client.get(group.get_absolute_url()).content.decode()
    assert 'name="ccg"' not in html
    assert 'id="all-invited"' in html
