from django.contrib import admin

from mieval.lib.admin import ReadOnlyAdminMixin
from mieval.visits.models import Opinion, PanelLeader, Visit, VisitEvent, VisitRecord


@admin.register(PanelLeader)
class PanelLeaderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["panel", "expert", "chosen_at"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "panel", "base", "date"]
    list_filter = ["campaign"]


@admin.register(VisitRecord)
class VisitRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["visit", "updated_at"]


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "panel", "base", "state", "updated_at"]
    list_filter = ["campaign", "state"]


@admin.register(VisitEvent)
class VisitEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "kind", "campaign", "base"]
    list_filter = ["kind"]
