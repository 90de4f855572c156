"""Both peer reviews of each hub a year: panels, assessments, findings, recommendations, reports."""

import datetime

from governance.models import GovernanceDocument
from oversight.models import CCGMembership, GroupMember
from priorities.models import PlanVersion
from reviews.models import (
    Assessment,
    Finding,
    LineOfEnquiry,
    LineRating,
    PeerReview,
    Rating,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
)
from reviews.services import DEFAULT_LINES, report_content

from .constants import FINDINGS, RATINGS, REVIEW_RECOMMENDATIONS, REVIEWERS_PER_REVIEW
from .helpers import at, bulk


class ReviewSteps:
    """Both peer reviews of each hub a year, each with its issued report."""

    def cycles(self, year: int) -> list[tuple[ReviewCycle, list[LineOfEnquiry]]]:
        windows = {
            ReviewCycle.Kind.FIRST: (
                datetime.date(year, 4, 1),
                datetime.date(year, 5, 31),
                "Assurance of each hub's priorities plan and governance arrangements.",
            ),
            ReviewCycle.Kind.SECOND: (
                datetime.date(year, 12, 1),
                datetime.date(year + 1, 3, 31),
                "Improvements made, how the collaborative functions, and learning to share.",
            ),
        }
        existing = {c.kind: c for c in ReviewCycle.objects.filter(year=year)}
        new = [
            ReviewCycle(year=year, kind=kind, opens_on=opens, closes_on=closes, purpose=purpose)
            for kind, (opens, closes, purpose) in windows.items()
            if kind not in existing
        ]
        bulk(ReviewCycle, new, self.counts)
        lines = [
            LineOfEnquiry(cycle=c, order=order, title=title, prompt=prompt)
            for c in new
            for order, (title, prompt) in enumerate(DEFAULT_LINES[c.kind], start=1)
        ]
        bulk(LineOfEnquiry, lines, self.counts)
        cycles = sorted([*existing.values(), *new], key=lambda c: c.kind)
        return [(c, list(c.lines.order_by("order", "pk"))) for c in cycles]

    def readiness(self, hub, day: datetime.date) -> dict:
        count = len(self.footprint(hub, day))
        agreed = f"Agreed {self.agreed[hub.pk]:%-d %B %Y}"
        checks = [
            ("group", "Oversight group set up", self.group[hub.pk].name),
            ("plan", "Priorities plan submitted", "Version 1, submitted for peer review"),
            ("terms", "Terms of reference agreed", agreed),
            ("agreement", "Collaboration agreement agreed", agreed),
            ("coverage", "Every footprint CCG covered", f"{count} of {count} CCGs"),
            (
                "membership",
                "Membership complete",
                "NHS England, CCGs, Public Health England and patient and public voice are members",
            ),
        ]
        return {key: {"label": label, "met": True, "detail": d} for key, label, d in checks}

    def governance(self, hub, when: datetime.datetime) -> dict:
        """reviews.services.governance_record's shape, from the rows in hand."""
        group = self.group[hub.pk]
        places = [p for p in self.places[group.pk] if p.invited_at <= when]
        members = sorted(self.members[hub.pk], key=lambda m: (m.sector, m.full_name))
        return {
            "as_at": when.isoformat(),
            "group": group.name,
            "members": [
                {
                    "name": m.full_name,
                    "organisation": m.organisation,
                    "sector": GroupMember.Sector(m.sector).label,
                    "role": GroupMember.Role(m.role).label,
                    "voting": m.voting,
                }
                for m in members
            ],
            "ccgs": [
                {"ccg": p.ccg.name, "status": CCGMembership.Status(p.status).label}
                for p in sorted(places, key=lambda p: p.ccg.name)
            ],
            "documents": [
                {"kind": kind.label, "number": 1, "agreed_on": self.agreed[hub.pk].isoformat()}
                for kind in sorted(GovernanceDocument.Kind, key=lambda k: k.value)
            ],
        }

    def reviews(self, year: int, versions: dict[int, PlanVersion]) -> None:
        rng = self.rng
        reviews, places, findings, recommendations = [], [], [], []
        lines_of = {}
        for cycle, lines in self.cycles(year):
            lines_of[cycle.pk] = lines
            first = cycle.kind == ReviewCycle.Kind.FIRST
            base = datetime.date(year, 5, 4) if first else datetime.date(year + 1, 1, 11)
            issued = base + datetime.timedelta(days=24)
            recs_due = datetime.date(year, 11, 30) if first else datetime.date(year + 1, 9, 30)
            for hub in self.hubs:
                team = self.team[hub.region_id]
                signed = issued + datetime.timedelta(days=60) <= self.as_of
                rating = rng.choice(RATINGS)
                review = PeerReview(
                    cycle=cycle,
                    hub=hub,
                    status=PeerReview.Status.SIGNED_OFF
                    if signed
                    else PeerReview.Status.REPORT_ISSUED,
                    readiness=self.readiness(hub, base),
                    declared_at=at(base),
                    declared_by=self.staff[hub.pk][0],
                    invited_at=at(base + datetime.timedelta(days=1)),
                    invited_by=team[0],
                    plan_version=versions[hub.pk],
                    governance=self.governance(hub, versions[hub.pk].frozen_at),
                    started_at=at(base + datetime.timedelta(days=6)),
                    overall_rating=rating,
                    summary=f"{hub.name}'s plan and governance are "
                    f"{Rating(rating).label.lower()}; see the findings.",
                    version=8 if signed else 6,
                )
                if signed:
                    review.response_summary = "The hub accepts the recommendations."
                    review.responded_at = at(issued + datetime.timedelta(days=21))
                    review.responded_by = self.staff[hub.pk][0]
                    review.signoff_note = "Signed off by the regional team."
                    review.signed_off_at = at(issued + datetime.timedelta(days=35))
                    review.signed_off_by = team[0]
                reviews.append(review)
                review.issued = issued  # kept for the report below
                # Five reviewers from five other hubs: four hub staff and a CCG lead.
                others = [h for h in self.all_hubs if h.pk != hub.pk]
                panel_hubs = rng.sample(others, min(REVIEWERS_PER_REVIEW, len(others)))
                chosen = []  # (user, home) as reviews.services._homes labels them
                for i, other in enumerate(panel_hubs):
                    leads = self.leads_in(other, base)
                    if i == REVIEWERS_PER_REVIEW - 1 and leads:
                        user, ccg = rng.choice(leads)
                        chosen.append((user, f"{ccg.name}, {other.name}"))
                    else:
                        chosen.append((rng.choice(self.staff[other.pk]), f"{other.name} hub"))
                for i, (user, home) in enumerate(chosen):
                    places.append(
                        Reviewer(
                            review=review,
                            user=user,
                            role=Reviewer.Role.LEAD if i == 0 else Reviewer.Role.REVIEWER,
                            status=Reviewer.Status.ACCEPTED,
                            home=home,
                            invited_at=at(base + datetime.timedelta(days=1), 11),
                            invited_by=team[0],
                            responded_at=at(base + datetime.timedelta(days=3)),
                            version=2,
                        )
                    )
                for kind, theme, title in rng.sample(FINDINGS, 3):
                    findings.append(
                        Finding(
                            review=review,
                            kind=kind,
                            title=title,
                            theme=theme,
                            detail=f"{title}: seen in the papers and at the panel's visit.",
                            programme_of_care=rng.choice([None, *self.programmes]),
                            shareable=kind == Finding.Kind.GOOD_PRACTICE,
                            version=1,
                        )
                    )
                for title in rng.sample(REVIEW_RECOMMENDATIONS, 3):
                    closed = recs_due < self.as_of
                    recommendations.append(
                        ReviewRecommendation(
                            review=review,
                            title=title,
                            detail="By the next review.",
                            owner=self.staff[hub.pk][0].full_name,
                            due_date=recs_due,
                            status=ReviewRecommendation.Status.CLOSED
                            if closed
                            else rng.choice(
                                [
                                    ReviewRecommendation.Status.OPEN,
                                    ReviewRecommendation.Status.IN_PROGRESS,
                                ]
                            ),
                            hub_action="Agreed at the group's next meeting.",
                            closure_note="Done and evidenced to the region." if closed else "",
                            closed_at=at(recs_due - datetime.timedelta(days=10))
                            if closed
                            else None,
                            version=3 if closed else 2,
                        )
                    )
        bulk(PeerReview, reviews, self.counts)
        bulk(Reviewer, places, self.counts)
        bulk(Finding, findings, self.counts)
        bulk(ReviewRecommendation, recommendations, self.counts)

        assessments, ratings = [], []
        for place in places:
            review = place.review
            submitted = at(review.started_at.date() + datetime.timedelta(days=10), 15)
            a = Assessment(
                reviewer=place,
                status=Assessment.Status.SUBMITTED,
                submitted_at=submitted,
                version=3,
            )
            assessments.append(a)
            for line in lines_of[review.cycle_id]:
                ratings.append(
                    LineRating(
                        assessment=a,
                        line=line,
                        rating=rng.choice(RATINGS),
                        evidence=f"{line.title}: the group's papers and minutes.",
                        comments="",
                    )
                )
        bulk(Assessment, assessments, self.counts)
        bulk(LineRating, ratings, self.counts)

        leads = {p.review_id: p.user for p in places if p.role == Reviewer.Role.LEAD}
        reports = [
            ReviewReport(
                review=review,
                number=1,
                overall_rating=review.overall_rating,
                content=report_content(review),
                issued_at=at(review.issued),
                issued_by=leads[review.pk],
            )
            for review in reviews
        ]
        bulk(ReviewReport, reports, self.counts)
