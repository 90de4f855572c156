"""REST API for national service reviews (issue 17, "What to build" 4 and 7; seed 000 §3.6):
everyone signed in reads them (`?year=2015` for 2015/16, `?archived=true` for the archived);
national admins record and change them (PUT with the `version` they started from; a stale
version is 409). Refusals are 400 by field; archived, never deleted."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from commissioning.api_helpers import valid
from commissioning.limits import LONG_TEXT
from commissioning.schema import ErrorSerializer
from hubs.api import CanViewRegister

from . import selectors, service_reviews
from .models import ServiceReview
from .permissions import get_service_review_for_user, require_keeper


class ServiceReviewSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    year_label = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceReview
        fields = [
            "id",
            "year",
            "year_label",
            "title",
            "programme",
            "crg",
            "scope",
            "lead",
            "start_date",
            "end_date",
            "status",
            "archived",
            "version",
        ]
        read_only_fields = fields


class ServiceReviewWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2013, max_value=2100)
    title = serializers.CharField(max_length=200)
    programme = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.programmes())
    crg = serializers.PrimaryKeyRelatedField(
        queryset=selectors.crgs_for_api(), required=False, allow_null=True, default=None
    )
    scope = serializers.CharField(max_length=LONG_TEXT)
    lead = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=ServiceReview.Status.choices, default=ServiceReview.Status.PLANNED
    )


class ServiceReviewUpdateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2013, max_value=2100, required=False)
    title = serializers.CharField(max_length=200, required=False)
    programme = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.programmes(), required=False
    )
    crg = serializers.PrimaryKeyRelatedField(
        queryset=selectors.crgs_for_api(), required=False, allow_null=True
    )
    scope = serializers.CharField(max_length=LONG_TEXT, required=False)
    lead = serializers.CharField(max_length=200, required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ServiceReview.Status.choices, required=False)
    archived = serializers.BooleanField(required=False)
    version = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class ServiceReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """National service reviews by financial year (national admins write; archive, never
    delete)."""

    serializer_class = ServiceReviewSerializer
    permission_classes = [CanViewRegister]
    lookup_value_regex = "[0-9]{1,18}"
    filterset_fields = ["year", "archived", "status"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return selectors.service_reviews_for_api()

    @extend_schema(request=ServiceReviewWriteSerializer, responses={201: ServiceReviewSerializer})
    def create(self, request, *args, **kwargs):
        require_keeper(request.user)
        data = valid(ServiceReviewWriteSerializer, request)
        review = service_reviews.service_review_add(by=request.user, **data)
        return Response(ServiceReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ServiceReviewUpdateSerializer,
        responses={200: ServiceReviewSerializer, 409: ErrorSerializer},
    )
    def update(self, request, *args, **kwargs):
        review = get_service_review_for_user(request.user, kwargs["pk"], write=True)
        data = valid(ServiceReviewUpdateSerializer, request)
        review = service_reviews.service_review_update(by=request.user, review=review, **data)
        return Response(ServiceReviewSerializer(review).data)
