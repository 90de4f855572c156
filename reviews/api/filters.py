"""Query filters of the peer-review API lists."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from hubs.selectors import programmes
from oversight.api import IdFilter

from ..issued import learning_filter
from ..models import (
    Finding,
    PeerReview,
    ReviewCycle,
    Reviewer,
    ReviewRecommendation,
    ReviewReport,
    Theme,
)


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def get_max_validator(self):
        return MaxValueValidator(2100)


class CycleFilter(django_filters.FilterSet):
    year = YearFilter(label="Financial year starting", min_value=2013)
    kind = django_filters.ChoiceFilter(choices=ReviewCycle.Kind.choices)

    class Meta:
        model = ReviewCycle
        fields = ["year", "kind"]


class ReviewFilter(django_filters.FilterSet):
    cycle = IdFilter(field_name="cycle_id", label="Review cycle id")
    hub = django_filters.CharFilter(field_name="hub__slug", label="Hub slug")
    status = django_filters.ChoiceFilter(choices=PeerReview.Status.choices)

    class Meta:
        model = PeerReview
        fields = ["cycle", "hub", "status"]


class PlaceFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")
    role = django_filters.ChoiceFilter(choices=Reviewer.Role.choices)
    status = django_filters.ChoiceFilter(choices=Reviewer.Status.choices)

    class Meta:
        model = Reviewer
        fields = ["review", "role", "status"]


class FindingFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")
    kind = django_filters.ChoiceFilter(choices=Finding.Kind.choices)
    theme = django_filters.ChoiceFilter(choices=Theme.choices)
    archived = django_filters.BooleanFilter()

    class Meta:
        model = Finding
        fields = ["review", "kind", "theme", "archived"]


class LearningFilter(django_filters.FilterSet):
    """Matches what every hub reads: a report being corrected by its issued text (issue 14)."""

    q = django_filters.CharFilter(method="search", label="Words in the title or detail")
    theme = django_filters.ChoiceFilter(choices=Theme.choices, method="search")
    programme_of_care = django_filters.CharFilter(method="search", label="Programme of Care slug")

    class Meta:
        model = Finding
        fields = ["q", "theme", "programme_of_care"]

    def search(self, findings, name, value):
        if name == "programme_of_care":
            programme = programmes().filter(slug=value).first()
            if programme is None:
                return findings.none()
            return findings.filter(learning_filter(programme_of_care=programme))
        return findings.filter(learning_filter(**{name: value}))


class RecommendationFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")
    status = django_filters.ChoiceFilter(choices=ReviewRecommendation.Status.choices)
    archived = django_filters.BooleanFilter()

    class Meta:
        model = ReviewRecommendation
        fields = ["review", "status", "archived"]


class ReportFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label="Peer review id")

    class Meta:
        model = ReviewReport
        fields = ["review"]
