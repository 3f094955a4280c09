from django.contrib import admin

from mieval.practices.models import Nomination, PolicyArea, PracticeEvent, Reform, ReformLink


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(Reform)
class ReformAdmin(admin.ModelAdmin):
    list_display = ["title", "base", "campaign", "area_reported", "area", "status", "introduced_on"]
    list_filter = ["campaign", "status", "area", "scope", "language"]
    search_fields = ["title", "description", "base__code"]
    raw_id_fields = ["base"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "subkind", "base", "campaign", "status", "consent_at"]
    list_filter = ["campaign", "kind", "subkind", "status"]
    search_fields = ["name", "story", "base__code"]
    raw_id_fields = ["base"]


@admin.register(ReformLink)
class ReformLinkAdmin(admin.ModelAdmin):
    list_display = ["reform_a", "reform_b", "similarity", "status"]
    list_filter = ["status"]
    raw_id_fields = ["reform_a", "reform_b"]


@admin.register(PracticeEvent)
class PracticeEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "campaign", "reform", "nomination"]
    list_filter = ["action"]
    raw_id_fields = ["reform", "nomination", "link"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
