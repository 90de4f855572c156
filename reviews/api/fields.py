"""Fields the peer-review API shares: documented choice sets, slugs, record ids."""

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from .. import selectors
from ..models import (
    Assessment,
    Finding,
    PeerReview,
    Rating,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    Theme,
)

MAX_ID = 2**63 - 1


VERSION_HELP = "Required: the version of the record your change was made from."


WORKINGS_HELP = "The panel's workings: absent for the reviewed hub's staff."


def _enum_field(choices: type[models.TextChoices], component_name: str, *, blank=False):
    """A ChoiceField documented once as the schema component `component_name` (several choice
    sets share a field name across the API). `blank`: "" (not chosen yet) is a value too."""
    values = [*choices.values, ""] if blank else list(choices.values)

    @extend_schema_field(
        {
            "type": "string",
            "enum": values,
            "description": "\n".join(f"* `{v}` - {label}" for v, label in choices.choices),
        },
        component_name=component_name,
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            kwargs.setdefault("allow_blank", blank)
            super().__init__(choices=choices.choices, **kwargs)

    return EnumField


CycleKindField = _enum_field(ReviewCycle.Kind, "ReviewCycleKindEnum")


ReviewStatusField = _enum_field(PeerReview.Status, "PeerReviewStatusEnum")


RatingField = _enum_field(Rating, "ReviewRatingEnum", blank=True)


ReportRatingField = _enum_field(Rating, "ReviewReportRatingEnum")


ReviewerRoleField = _enum_field(Reviewer.Role, "ReviewerRoleEnum")


ReviewerStatusField = _enum_field(Reviewer.Status, "ReviewerStatusEnum")


AssessmentStatusField = _enum_field(Assessment.Status, "AssessmentStatusEnum")


FindingKindField = _enum_field(Finding.Kind, "FindingKindEnum")


ThemeField = _enum_field(Theme, "FindingThemeEnum")


RecommendationStatusField = _enum_field(
    ReviewRecommendation.Status, "ReviewRecommendationStatusEnum"
)


class SlugField(serializers.SlugRelatedField):
    """A record named by its slug. A NUL byte (which PostgreSQL cannot compare) is simply not
    found: a 400, not a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


def _ids(data: dict, name: str) -> dict[int, object]:
    """A JSON object keyed by record ids (JSON keys are strings) as {id: value}."""
    try:
        return {int(key): value for key, value in data.items()}
    except ValueError as bad:
        raise ValidationError({name: ["Use record ids as keys."]}) from bad


def _programme_field(**kwargs):
    return SlugField(
        slug_field="slug",
        queryset=selectors.programmes_of_care(),
        allow_null=True,
        help_text="The Programme of Care's slug.",
        **kwargs,
    )
