"""The admin keeps the policy areas; reforms, nominations, links and their events are read
only here (every change goes through the pages' services, which audit it and guard consent)."""

from django.contrib import admin
from django.db import models

from mieval.practices.models import Nomination, PolicyArea, PracticeEvent, Reform, ReformLink


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "order", "active"]
    list_editable = ["order", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reform)
class ReformAdmin(ReadOnlyAdmin):
    list_display = ["title", "base", "campaign", "area_reported", "area", "status", "introduced_on"]
    list_filter = ["campaign", "status", "area", "scope", "language"]
    search_fields = ["title", "description", "base__code"]
    raw_id_fields = ["base"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "subkind", "base", "campaign", "status", "consent_at"]
    list_filter = ["campaign", "kind", "subkind", "status"]
    search_fields = ["name", "story", "base__code"]
    raw_id_fields = ["base"]


@admin.register(ReformLink)
class ReformLinkAdmin(ReadOnlyAdmin):
    list_display = ["reform_a", "reform_b", "similarity", "status"]
    list_filter = ["status"]
    raw_id_fields = ["reform_a", "reform_b"]


@admin.register(PracticeEvent)
class PracticeEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "campaign", "reform", "nomination"]
    list_filter = ["action"]
    raw_id_fields = ["reform", "nomination", "link"]
