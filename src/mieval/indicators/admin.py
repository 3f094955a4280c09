from django.contrib import admin

from mieval.indicators.models import CrosswalkEvent, CrosswalkRow, Framework, Indicator
from mieval.lib.admin import ReadOnlyAdminMixin


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "code", "name_zh", "name_en", "unit", "direction", "stat", "categories"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name_zh", "name_en", "created_at"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "unit", "direction", "stat", "framework"]
    list_filter = ["framework", "stat", "categories"]
    search_fields = ["code", "name_zh", "name_en"]
    filter_horizontal = ["categories"]


@admin.register(CrosswalkRow)
class CrosswalkRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: rows are changed in the crosswalk editor or by an import, which audit each
    change."""

    list_display = ["from_framework", "from_code", "to_framework", "to_code", "factor", "version"]
    list_filter = ["from_framework", "to_framework"]
    search_fields = ["from_code", "to_code"]


@admin.register(CrosswalkEvent)
class CrosswalkEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "kind", "from_framework", "to_framework", "old", "new"]
    list_filter = ["kind"]
