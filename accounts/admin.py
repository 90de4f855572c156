from django.contrib import admin

from commissioning.admin import NationalAdminMixin, RegisterAdmin

from .models import ExternalIdentity, RoleAssignment, User


class RoleAssignmentInline(NationalAdminMixin, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "region", "hub", "ccg", "granted_at", "ended_at"]
    readonly_fields = ["granted_at"]
    autocomplete_fields = ["ccg"]


class ExternalIdentityInline(NationalAdminMixin, admin.TabularInline):
    """The person's single sign-on links (issue 19), to read: made only by signing in."""

    model = ExternalIdentity
    fk_name = "user"
    extra = 0
    fields = ["provider", "subject", "email", "linked_at", "last_signed_in_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(RegisterAdmin):
    list_display = ["email", "full_name", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active"]
    fields = ["email", "full_name", "job_title", "is_active", "last_login", "date_joined"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleAssignmentInline, ExternalIdentityInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RegisterAdmin):
    list_display = ["user", "role", "region", "hub", "ccg", "granted_at", "ended_at"]
    list_filter = ["role", "ended_at"]
    list_select_related = ["user", "region", "hub", "ccg"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "ccg"]
