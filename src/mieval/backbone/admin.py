from django.contrib import admin

from mieval.backbone.models import BackboneEvent, BackboneMember


@admin.register(BackboneMember)
class BackboneMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "campaign", "role", "base", "organisation", "state")
    list_filter = ("role", "state")
    search_fields = ("name",)


@admin.register(BackboneEvent)
class BackboneEventAdmin(admin.ModelAdmin):
    list_display = ("kind", "campaign", "member", "actor", "at")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False
