"""All services (/services/): every area the user can reach, grouped (issue 18, finding 10).

The header keeps at most seven links (workspace.context_processors.header_items); this page
lists every area of the header's full menu (`nav_items`, the same role-aware list) and the
register's and national pages every signed-in user reads. The grouping is the product's own.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hubs.permissions import can_view_register

GROUPS = [
    (
        "Oversight and governance",
        ["Oversight groups", "At a glance", "Recommendations", "Plans", "Peer reviews"],
    ),
    ("Planning and sharing", ["Timeline", "Idea exchange", "Co-commissioning"]),
    (
        "Register and national structures",
        [
            "Organisation register",
            "Search CCGs and ICBs",
            "Integrated care systems",
            "National structures",
            "National templates",
        ],
    ),
    ("Administration", ["People and roles", "Admin"]),
]


@login_required
def all_services(request: HttpRequest) -> HttpResponse:
    """Every area the user can reach, grouped; the header's context holds the user's list."""
    from .context_processors import navigation  # the one role-aware list of areas

    areas = {item["label"]: item["url"] for item in navigation(request)["nav_items"]}
    areas.pop("My work", None)
    if can_view_register(request.user):
        areas["Integrated care systems"] = reverse("places:system-list")
        areas["National structures"] = reverse("national:index")
    listed = {label for _, labels in GROUPS for label in labels}
    groups = [
        (title, [(label, areas[label]) for label in labels if label in areas])
        for title, labels in GROUPS
    ]
    groups.append(("Other", [(label, url) for label, url in areas.items() if label not in listed]))
    return render(
        request,
        "workspace/all_services.html",
        {"groups": [(title, links) for title, links in groups if links]},
    )
