"""Filters for the group API's lists."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from oversight.models import CCGMembership, GroupMember, OversightGroup

# --- filters -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number from 1 within a database integer (else a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return MaxValueValidator(2**63 - 1)


class GroupFilter(django_filters.FilterSet):
    hub = django_filters.CharFilter(field_name="hub__slug", label="Hub slug")
    status = django_filters.ChoiceFilter(choices=OversightGroup.Status.choices)

    class Meta:
        model = OversightGroup
        fields = ["hub", "status"]


class MembershipFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group_id", label="Oversight group id")
    ccg = django_filters.CharFilter(field_name="ccg__ods_code", label="CCG ODS code")
    status = django_filters.ChoiceFilter(choices=CCGMembership.Status.choices)
    represented_by = django_filters.CharFilter(
        field_name="represented_by__ods_code",
        label="Representative CCG's ODS code (with status=representation_requested: the "
        "requests waiting for its answer)",
    )

    class Meta:
        model = CCGMembership
        fields = ["group", "ccg", "status", "represented_by"]


class MemberFilter(django_filters.FilterSet):
    group = IdFilter(field_name="group_id", label="Oversight group id")
    sector = django_filters.ChoiceFilter(choices=GroupMember.Sector.choices)
    role = django_filters.ChoiceFilter(choices=GroupMember.Role.choices)

    class Meta:
        model = GroupMember
        fields = ["group", "sector", "role"]
