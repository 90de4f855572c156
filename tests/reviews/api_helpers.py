"""What the peer-review API tests share: the endpoints and small request helpers."""

from reviews.models import PeerReview, Reviewer

CYCLES = "/api/v1/review-cycles/"
REVIEWS = "/api/v1/peer-reviews/"
PANEL = "/api/v1/panel/"
ASSESSMENTS = "/api/v1/assessments/"
FINDINGS = "/api/v1/review-findings/"
LEARNING = "/api/v1/review-findings/learning/"
RECOMMENDATIONS = "/api/v1/review-recommendations/"
REPORTS = "/api/v1/review-reports/"
WORKINGS = {"plan_version", "governance", "overall_rating", "summary", "panel"}


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def _post(api_client, url, body=None):
    return api_client.post(url, body or {}, format="json")


def _review(pk: int, action: str = "") -> str:
    return f"{REVIEWS}{pk}/{action + '/' if action else ''}"


def _place(review: PeerReview, user) -> Reviewer:
    return review.panel.get(user=user, status__in=Reviewer.ACTIVE)
