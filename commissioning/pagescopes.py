"""Which hub (or person) each kind of record belongs to, for the page cache's scoped
invalidation (commissioning/pagedeps.py; issue 20, product decision).

A write to a record named here invalidates only the cached pages of its hub (or person) that
read its table, and the pages that show the table for everyone (national pages); a write to any
other record, or one written in bulk (queryset update, bulk_create, raw SQL), invalidates every
cached page that reads its table. So a record belongs here only when every cached page that
shows it is a page of its own hub (or person), or a page that reads its table whole: when in
doubt, leave it out (slower, never stale). tests/test_pagecache_scopes.py proves it, page by
page and model by model.

Each entry is (kind, path): the path is the chain of foreign keys from the record to its hub
(or person), as in a queryset lookup. The chain above the record's own foreign key is read once
per request and remembered: a plan never moves to another group, nor a group to another hub.

Left out on purpose: hubs and CCGs (pages of other hubs and national pages name them, and they
are reference data, seldom written); people (every page names people of other hubs); review
conflicts (a panel of one hub lists reviewers' conflicts with others); the national structures,
the idea exchange, co-commissioning, places, exemplars and arrangements (shared across hubs).
"""

HUB = "hub"
PERSON = "person"

RECORD_SCOPES: dict[str, tuple[str, str]] = {
    # An oversight group and what belongs to it.
    "oversight.oversightgroup": (HUB, "hub"),
    "oversight.ccgmembership": (HUB, "group__hub"),
    "oversight.groupmember": (HUB, "group__hub"),
    "oversight.interest": (HUB, "member__group__hub"),
    "oversight.subgroup": (HUB, "group__hub"),
    "oversight.handover": (HUB, "group__hub"),
    "oversight.carriedmember": (HUB, "board__hub"),
    "governance.governancedocument": (HUB, "group__hub"),
    "governance.documentversion": (HUB, "document__group__hub"),
    "accountability.racimatrix": (HUB, "group__hub"),
    "accountability.raciparty": (HUB, "matrix__group__hub"),
    "accountability.raciactivity": (HUB, "matrix__group__hub"),
    "accountability.racicell": (HUB, "activity__matrix__group__hub"),
    # Its meetings (a committee's meetings have no group: no hub, so every page of the table).
    "meetings.meeting": (HUB, "group__hub"),
    "meetings.agendaitem": (HUB, "meeting__group__hub"),
    "meetings.attendance": (HUB, "meeting__group__hub"),
    "meetings.declaration": (HUB, "item__meeting__group__hub"),
    "meetings.action": (HUB, "meeting__group__hub"),
    "meetings.recommendation": (HUB, "meeting__group__hub"),
    "meetings.paper": (HUB, "item__meeting__group__hub"),
    # Its priorities plans.
    "priorities.prioritiesplan": (HUB, "group__hub"),
    "priorities.planversion": (HUB, "plan__group__hub"),
    "priorities.proposal": (HUB, "plan__group__hub"),
    "priorities.proposalcomment": (HUB, "proposal__plan__group__hub"),
    "priorities.criterion": (HUB, "plan__group__hub"),
    "priorities.assessor": (HUB, "plan__group__hub"),
    "priorities.score": (HUB, "proposal__plan__group__hub"),
    "priorities.delivery": (HUB, "proposal__plan__group__hub"),
    "priorities.milestone": (HUB, "proposal__plan__group__hub"),
    "priorities.deliveryupdate": (HUB, "proposal__plan__group__hub"),
    "priorities.overlapdecision": (HUB, "proposal__plan__group__hub"),
    # Its peer reviews.
    "reviews.peerreview": (HUB, "hub"),
    "reviews.reviewer": (HUB, "review__hub"),
    "reviews.assessment": (HUB, "reviewer__review__hub"),
    "reviews.linerating": (HUB, "assessment__reviewer__review__hub"),
    "reviews.finding": (HUB, "review__hub"),
    "reviews.reviewrecommendation": (HUB, "review__hub"),
    "reviews.reviewreport": (HUB, "review__hub"),
    # Its planning calendar.
    "timeline.milestonecompletion": (HUB, "hub"),
    "timeline.engagementmeeting": (HUB, "hub"),
    # A person's own inbox and settings, shown only to them.
    "timeline.notification": (PERSON, "user"),
    "timeline.notificationpreference": (PERSON, "user"),
}
