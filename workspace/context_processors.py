from django.template.loader import render_to_string
from django.urls import reverse

from accounts.permissions import can_manage_roles, can_use_admin, scopes
from commissioning import pagecache
from timeline.notifications import unread_count

NOTIFICATIONS_BADGE = "notifications-badge"


def notifications_badge(request) -> str:
    """The header's count of the person's unread notifications."""
    html = render_to_string(
        "_partials/notifications_badge.html", {"count": unread_count(request.user)}
    )
    return html.rstrip("\n")


pagecache.HOLES[NOTIFICATIONS_BADGE] = notifications_badge

# The header holds at most HEADER_LIMIT links (issue 18, finding 10: ten links for regional
# teams wrapped to two rows, five at 320 px): the first of HEADER_FIRST the user can reach, in
# the menu's order, then "All services" (/services/), which lists every area, grouped. The
# choice is the product's: the areas each role opens most (its tasks on My work).
HEADER_LIMIT = 7
HEADER_FIRST = [
    "My work",
    "Oversight groups",
    "At a glance",
    "Recommendations",
    "Peer reviews",
    "Timeline",
    "Plans",
    "People and roles",
    "Idea exchange",
    "Search CCGs and ICBs",
]


def header_items(nav_items: list[dict], path: str) -> list[dict]:
    """The header's links: up to HEADER_LIMIT - 1 of the user's areas and "All services"
    (current when the page is an area left out of the header, or the services page itself)."""
    reachable = {item["label"] for item in nav_items}
    chosen = [label for label in HEADER_FIRST if label in reachable][: HEADER_LIMIT - 1]
    shown = [item for item in nav_items if item["label"] in chosen]
    services = reverse("workspace:services")
    current_elsewhere = path == services or any(
        item["current"] for item in nav_items if item not in shown
    )
    return [*shown, {"label": "All services", "url": services, "current": current_elsewhere}]


def navigation(request) -> dict:
    """The header's role-aware navigation, with the current section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    user_scopes = scopes(user)
    items = [("My work", reverse("workspace:my-work"))]
    if user_scopes.assignments:
        items.append(("Oversight groups", reverse("oversight:group-list")))
    if user_scopes.national or user_scopes.region_ids:
        items.append(("At a glance", reverse("workspace:oversight-glance")))
        items.append(("Plans", reverse("priorities:cross-hub")))
    if user_scopes.national or user_scopes.region_ids or user_scopes.hub_ids:
        items.append(("Recommendations", reverse("meetings:recommendation-list")))
    if user_scopes.assignments:
        items.append(("Peer reviews", reverse("reviews:index")))
        # Everyone with a role reads the idea exchange (issue 17; seed 000 §4.2).
        items.append(("Idea exchange", reverse("ideas:post-list")))
    # The timeline grid follows hubs: a Commissioning Committee member follows none (issue 15)
    # and finds their sign-off dates under "Your deadlines" on My work.
    if user_scopes.national or user_scopes.region_ids or user_scopes.hub_ids or user_scopes.ccg_ids:
        items.append(("Timeline", reverse("timeline:grid")))
    if user_scopes.assignments:  # primary care co-commissioning (issue 15)
        items.append(("Co-commissioning", reverse("cocommissioning:arrangements")))
    items += [
        ("Organisation register", reverse("hubs:overview")),
        ("Search CCGs and ICBs", reverse("hubs:ccg-list")),
    ]
    # Everyone signed in reads the national drafts; national admins keep them (seed 000 §3.4.2).
    items.append(("National templates", reverse("governance:template-list")))
    if can_manage_roles(user):
        items.append(("People and roles", reverse("accounts:people")))
    if can_use_admin(user):
        items.append(("Admin", reverse("admin:index")))
    path = request.path
    # The home page ("/") is current only on itself, not as the prefix of every path.
    best = max(
        (url for _, url in items if path == url or (url != "/" and path.startswith(url))),
        key=len,
        default=None,
    )
    nav_items = [{"label": label, "url": url, "current": url == best} for label, url in items]
    return {
        "nav_items": nav_items,
        "header_items": header_items(nav_items, path),
        "user_scopes": user_scopes,
        # Filled in each time the page is served, so a notification never throws a cached
        # page away (commissioning/pagecache.py, holes).
        "notifications_badge": pagecache.Hole(NOTIFICATIONS_BADGE, request),
    }
