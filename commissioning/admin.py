"""Django's admin, for national admins only; governance records are archived, never deleted."""

from functools import cache

from django.conf import settings
from django.contrib import admin
from django.utils.module_loading import import_string
from simple_history.admin import SimpleHistoryAdmin

from .models import AuditEvent


@cache
def _access_check():
    # The kernel imports no app: settings name the access rule (accounts' can_use_admin).
    return import_string(settings.ADMIN_ACCESS_CHECK)


def can_use_admin(user) -> bool:
    return _access_check()(user)


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

    def has_add_permission(self, request, obj=None) -> bool:  # inlines pass the parent `obj`
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

    def has_add_permission(self, request, obj=None) -> bool:
        return False
