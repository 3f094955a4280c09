from django.contrib import admin

from mieval.panels.models import Criterion, Expert, Organisation, Rubric


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "province"]
    list_filter = ["kind", "province__region"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organisation", "province", "max_panels", "active", "user"]
    list_filter = ["active", "organisation__kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["user"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["campaign", "category", "version"]
    inlines = [CriterionInline]
