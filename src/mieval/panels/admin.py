from django.contrib import admin

from mieval.panels.models import (
    Criterion,
    EvaluationSettings,
    Expert,
    ExpertLoginRequest,
    Organisation,
    PanelEvent,
    Rubric,
)


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
    # The login is given on the expert's login page only, where it is requested, confirmed by
    # the office and audited (PanelEvent); the admin must not be a way around that.
    readonly_fields = ["user"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["campaign", "category", "version"]
    inlines = [CriterionInline]


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["campaign", "expert_weight", "index_weight", "scoring_deadline"]


@admin.register(PanelEvent)
class PanelEventAdmin(admin.ModelAdmin):
    """The audit trail: read only."""

    list_display = ["at", "kind", "actor", "campaign", "expert"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExpertLoginRequest)
class ExpertLoginRequestAdmin(admin.ModelAdmin):
    """Read only: requests are made and decided on the roster's pages, which audit them."""

    list_display = ["requested_at", "expert", "username", "email", "state", "requested_by"]
    list_filter = ["state"]
    search_fields = ["expert__code", "username", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
