from django.contrib import admin

from mieval.lib.admin import ReadOnlyAdminMixin
from mieval.registry.models import Base, BaseChange, BaseEvent, Category, Province, Subcategory


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "order"]


@admin.register(Subcategory)
class SubcategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "category", "order"]
    list_filter = ["category"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Base)
class BaseAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "subcategory", "province", "batch"]
    list_filter = ["subcategory__category", "subcategory", "province__region", "batch"]
    search_fields = ["code", "name_zh", "name_en"]
    list_select_related = ["subcategory", "province"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(BaseChange)
class BaseChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["base", "at", "actor", "reason"]
    search_fields = ["base__code", "actor"]
    list_select_related = ["base"]


@admin.register(BaseEvent)
class BaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: an event is recorded through the registry's services (the base's page, the
    API, a bases file), which check it and audit it."""

    list_display = ["base", "kind", "date", "document_number", "source", "recorded_at"]
    list_filter = ["kind", "source"]
    search_fields = ["base__code", "document_number", "document_title"]
    list_select_related = ["base"]
