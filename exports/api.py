"""REST API for exports: ask for one, follow its status, download it when ready."""

from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from hubs import selectors as hub_selectors

from . import selectors, services
from .forms import hub_footprint_args
from .models import Export


class ExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "kind",
            "title",
            "params",
            "status",
            "requested_at",
            "finished_at",
            "error",
            "download_url",
        ]

    def get_download_url(self, export: Export) -> str | None:
        if not export.is_ready:
            return None
        return reverse("exports:export-download", args=[export.pk])


class HubFootprintRequestSerializer(serializers.Serializer):
    hub = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=hub_selectors.hub_choices(),
        help_text="Hub slug, e.g. north-east-and-cumbria",
    )
    on = serializers.DateField(required=False, allow_null=True)


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your PDF exports. Creating one queues it; poll it until status is `ready`."""

    serializer_class = ExportSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        """Never kept in the API's read cache (nor a browser's): an export's status is polled
        while a worker makes it, and the worker's writes bump no page cache generation
        (commissioning/pagecache.py UNSHOWN), so a cached answer would say "queued" for good."""
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return selectors.no_exports()
        return selectors.exports_for_api(self.request.user)

    @extend_schema(request=HubFootprintRequestSerializer, responses={201: ExportSerializer})
    def create(self, request):
        wanted = HubFootprintRequestSerializer(data=request.data)
        wanted.is_valid(raise_exception=True)
        args = hub_footprint_args(wanted.validated_data["hub"], wanted.validated_data.get("on"))
        export = services.export_request(by=request.user, **args)
        export.refresh_from_db()
        return Response(ExportSerializer(export).data, status=status.HTTP_201_CREATED)
