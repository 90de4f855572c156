"""REST API for the organisation register (read-only; every signed-in user may read it)."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from . import selectors
from .models import CCG, CCGSuccession, Hub, ProgrammeOfCare, Region
from .permissions import can_view_register
from .querysets import valid_on_q


class CanViewRegister(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return can_view_register(request.user)


class RegionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:region-detail", lookup_field="slug")

    class Meta:
        model = Region
        fields = ["url", "slug", "name", "valid_from", "valid_to"]


class HubSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:hub-detail", lookup_field="slug")
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Hub
        fields = ["url", "slug", "name", "region", "region_name", "valid_from", "valid_to"]


class SuccessionSerializer(serializers.ModelSerializer):
    predecessor = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    successor = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)

    class Meta:
        model = CCGSuccession
        fields = ["predecessor", "successor", "effective_date", "note"]


class CCGSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:ccg-detail", lookup_field="ods_code")
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.CharField(source="hub.region.slug", read_only=True)
    succeeded_by = SuccessionSerializer(source="successor_links", many=True, read_only=True)
    formed_from = SuccessionSerializer(source="predecessor_links", many=True, read_only=True)
    is_current = serializers.SerializerMethodField()
    kind_label = serializers.CharField(
        read_only=True, help_text='"CCG" or "ICB", as pages name this organisation.'
    )

    class Meta:
        model = CCG
        fields = [
            "url",
            "ods_code",
            "ons_code",
            "name",
            "kind",
            "kind_label",
            "hub",
            "region",
            "source",
            "valid_from",
            "valid_to",
            "is_current",
            "succeeded_by",
            "formed_from",
            "nhs_region",
            "hub_note",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_current(self, ccg: CCG) -> bool:
        return ccg.is_valid_on(timezone.localdate())


class ProgrammeOfCareSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeOfCare
        fields = ["slug", "name", "scope", "previously"]


class ValidOnFilter(django_filters.FilterSet):
    on = django_filters.DateFilter(
        method="filter_on", label="Only organisations valid on this date (YYYY-MM-DD)"
    )

    def filter_on(self, queryset, name, value):
        return queryset.filter(valid_on_q(value))


class HubFilter(ValidOnFilter):
    region = django_filters.CharFilter(field_name="region__slug", label="Region slug")

    class Meta:
        model = Hub
        fields = ["region", "on"]


class CCGFilter(ValidOnFilter):
    q = django_filters.CharFilter(method="filter_q", label="Name fragment or exact ODS code")
    hub = django_filters.CharFilter(field_name="hub__slug", label="Hub slug")
    region = django_filters.CharFilter(field_name="hub__region__slug", label="Region slug")
    kind = django_filters.ChoiceFilter(
        choices=CCG.Kind.choices, label="Only CCGs (ccg) or only ICBs (icb)"
    )

    class Meta:
        model = CCG
        fields = ["q", "kind", "hub", "region", "on"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions of NHS England."""

    permission_classes = [CanViewRegister]
    serializer_class = RegionSerializer
    queryset = selectors.regions()
    lookup_field = "slug"
    filterset_class = ValidOnFilter


class HubViewSet(viewsets.ReadOnlyModelViewSet):
    """Specialised commissioning hubs."""

    permission_classes = [CanViewRegister]
    serializer_class = HubSerializer
    queryset = selectors.hubs()
    lookup_field = "slug"
    filterset_class = HubFilter


class CCGViewSet(viewsets.ReadOnlyModelViewSet):
    """Every statutory local commissioner under the endpoint's historic name: the CCGs (1 April
    2013 to 30 June 2022) and the ICBs (from 1 July 2022), closed ones included, with succession
    in both directions. `kind` says which each is; `?kind=icb` lists only ICBs."""

    permission_classes = [CanViewRegister]
    serializer_class = CCGSerializer
    queryset = selectors.ccgs()
    lookup_field = "ods_code"
    lookup_value_regex = "[A-Za-z0-9]{3,5}"
    filterset_class = CCGFilter


class ProgrammeOfCareViewSet(viewsets.ReadOnlyModelViewSet):
    """The national Programmes of Care."""

    permission_classes = [CanViewRegister]
    serializer_class = ProgrammeOfCareSerializer
    queryset = selectors.programmes_by_name()
    lookup_field = "slug"
    pagination_class = None
