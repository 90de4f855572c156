from django.contrib import admin

from commissioning.admin import RegisterAdmin

from .models import CCG, CCGSuccession, Hub, ProgrammeOfCare, Region


@admin.register(Region)
class RegionAdmin(RegisterAdmin):
    list_display = ["name", "valid_from", "valid_to"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Hub)
class HubAdmin(RegisterAdmin):
    list_display = ["name", "region", "valid_from", "valid_to"]
    list_filter = ["region"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CCG)
class CCGAdmin(RegisterAdmin):
    list_display = ["name", "ods_code", "hub", "valid_from", "valid_to", "source"]
    list_filter = ["hub__region", "hub", "source"]
    list_select_related = ["hub"]
    search_fields = ["name", "ods_code", "ons_code"]


@admin.register(CCGSuccession)
class CCGSuccessionAdmin(RegisterAdmin):
    list_display = ["predecessor", "successor", "effective_date"]
    list_select_related = ["predecessor", "successor"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(ProgrammeOfCare)
class ProgrammeOfCareAdmin(RegisterAdmin):
    list_display = ["name", "previously"]
    prepopulated_fields = {"slug": ["name"]}
