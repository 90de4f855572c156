"""Django's admin, for national admins only; governance records are archived, never deleted."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.permissions import can_use_admin

from .models import AuditEvent


def _national_admin_only(request) -> bool:
    return can_use_admin(request.user)


# The default site keeps Django's URLs and registrations; only its gate is ours.
admin.site.has_permission = _national_admin_only  # type: ignore[method-assign]
admin.site.site_header = "Collaborative Commissioning admin"
admin.site.site_title = "Collaborative Commissioning admin"


class NationalAdminMixin:
    """Lets national admins view and change (with history), never delete."""

    def has_module_permission(self, request) -> bool:
        return can_use_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_use_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return can_use_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return can_use_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RegisterAdmin(NationalAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(NationalAdminMixin, admin.ModelAdmin):
    list_display = ["at", "verb", "target_repr", "actor"]
    list_filter = ["verb"]
    search_fields = ["target_repr", "verb", "actor__email"]
    list_select_related = ["actor"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
