"""The admin shows the register read only: every change goes through the pages' services,
which audit it (the taxonomy grows through the counts page's "add a type", a new version)."""

from django.contrib import admin

from mieval.rectification.models import (
    EvaluationProblem,
    EvidenceLink,
    ProblemType,
    Progress,
    Rectification,
    RegisterEvent,
    TaxonomyVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaxonomyVersion)
class TaxonomyVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "note", "created_at"]


@admin.register(ProblemType)
class ProblemTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_zh", "name_en", "taxonomy", "order"]
    list_filter = ["taxonomy"]


class EvidenceInline(admin.TabularInline):
    model = EvidenceLink
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationProblem)
class EvaluationProblemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "campaign", "base", "type", "source", "severity", "state"]
    list_filter = ["campaign", "state", "source", "severity", "type__code"]
    search_fields = ["title_zh", "title_en", "base__code"]
    inlines = [EvidenceInline]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["problem", "owner", "deadline", "state"]
    list_filter = ["state"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["rectification", "reported_at", "completes", "file_name"]


@admin.register(RegisterEvent)
class RegisterEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "campaign", "problem"]
    list_filter = ["action"]
