from django.contrib import admin

from mieval.panels.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "province"]
    list_filter = ["kind", "province__region"]
    search_fields = ["code", "name_zh", "name_en"]
