from django.contrib import admin

from commissioning.admin import NationalAdminMixin

from .models import Export


@admin.register(Export)
class ExportAdmin(NationalAdminMixin, admin.ModelAdmin):
    list_display = ["title", "requested_by", "requested_at", "status", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    # The record, to help with a failed export; never the PDF, which is the requester's alone.
    exclude = ["file"]
    readonly_fields = [f.name for f in Export._meta.fields if f.name != "file"]

    def has_add_permission(self, request) -> bool:
        return False
