from django.contrib import admin

from commissioning.admin import NationalAdminMixin

from .models import Export


@admin.register(Export)
class ExportAdmin(NationalAdminMixin, admin.ModelAdmin):
    list_display = ["title", "requested_by", "requested_at", "status", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in Export._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
