from django.contrib import admin

from mieval.indicators.models import Framework, Indicator


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
