from django.contrib import admin

from commissioning.admin import RegisterAdmin

from .models import ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(RegisterAdmin):
    """National admins tune when reminders go (never delete a rule: switch it off)."""

    list_display = ["name", "kind", "working_days", "essential", "active"]
    list_filter = ["kind", "essential", "active"]
    list_editable = ["working_days", "essential", "active"]
