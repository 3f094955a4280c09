"""Templates, reports and their events are read only here: every change goes through the
pages' services, which check versions and limits and audit it."""

from django.contrib import admin

from mieval.lib.admin import ReadOnlyAdminMixin
from mieval.selfeval.models import (
    ReportTemplate,
    SectionText,
    SelfEvaluation,
    SelfEvaluationEvent,
    SelfEvaluationFile,
    TemplateSection,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyInline, admin.TabularInline):
    model = TemplateSection
    extra = 0


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "version", "revision", "created_at"]
    list_filter = ["campaign"]
    inlines = [SectionInline]


class TextInline(ReadOnlyInline, admin.StackedInline):
    model = SectionText
    extra = 0


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["base", "campaign", "state", "version", "updated_at", "submitted_at"]
    list_filter = ["campaign", "state"]
    search_fields = ["base__code", "base__name_zh"]
    raw_id_fields = ["base"]
    inlines = [TextInline]


@admin.register(SelfEvaluationFile)
class SelfEvaluationFileAdmin(ReadOnlyAdmin):
    list_display = ["name", "report", "size", "uploaded_at"]


@admin.register(SelfEvaluationEvent)
class SelfEvaluationEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "campaign", "report"]
    list_filter = ["action"]
    raw_id_fields = ["report", "template"]
