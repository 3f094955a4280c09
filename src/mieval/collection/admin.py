from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mieval.collection.models import (
    Campaign,
    Evidence,
    Programme,
    Query,
    QueryMessage,
    RuleSet,
    Submission,
    SubmissionEvent,
    Value,
    ValueAudit,
)
from mieval.collection.services import value_set
from mieval.core.values import value_check
from mieval.lib.admin import ReadOnlyAdminMixin


class ProgrammeCampaignInline(admin.TabularInline):
    model = Campaign
    extra = 0
    fields = ["round", "code", "first_year", "last_year", "framework"]
    readonly_fields = ["code", "first_year", "last_year", "framework"]
    ordering = ["round"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "created_at"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [ProgrammeCampaignInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "programme",
        "round",
        "first_year",
        "last_year",
        "framework",
    ]
    list_filter = ["programme"]
    filter_horizontal = ["bases"]


class ValueForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Value
        fields = ["campaign", "base", "indicator", "year", "raw"]

    def clean_raw(self):
        indicator = self.cleaned_data.get("indicator")
        if indicator is None and self.instance.indicator_id is not None:
            indicator = self.instance.indicator
        checked = value_check(
            self.cleaned_data["raw"],
            non_negative=indicator is not None and indicator.non_negative,
            indicator=indicator.code if indicator is not None else "",
        )
        if checked.problems:
            raise forms.ValidationError(
                [forms.ValidationError(p.localized(gettext), code=p.code) for p in checked.problems]
            )
        return checked.raw

    def clean(self):
        data = super().clean()
        campaign, year = data.get("campaign"), data.get("year")
        if campaign is not None and year is not None and not campaign.covers_year(year):
            self.add_error(
                "year",
                _("The campaign covers %(first)s-%(last)s.")
                % {"first": campaign.first_year, "last": campaign.last_year},
            )
        return data


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    """Values are edited through :func:`value_set`, so that every change is audited."""

    form = ValueForm
    list_display = ["campaign", "base", "indicator", "year", "raw", "source", "entered_at"]
    list_filter = ["campaign", "indicator", "year", "source"]
    search_fields = ["base__code", "base__name_zh", "indicator__code"]
    list_select_related = ["campaign", "base", "indicator"]
    raw_id_fields = ["base"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return ["campaign", "base", "indicator", "year"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = value_set(
            campaign=obj.campaign,
            base=obj.base,
            indicator=obj.indicator,
            year=obj.year,
            raw=form.cleaned_data["raw"],
            user=request.user,
            actor=request.user.get_username(),
            reason=form.cleaned_data["reason"],
        )
        obj.pk = saved.pk if saved else obj.pk

    def delete_model(self, request, obj):
        value_set(
            campaign=obj.campaign,
            base=obj.base,
            indicator=obj.indicator,
            year=obj.year,
            raw=None,
            user=request.user,
            actor=request.user.get_username(),
            reason="deleted in the administration site",
        )


@admin.register(ValueAudit)
class ValueAuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "campaign", "base", "indicator", "year", "action", "old", "new", "actor"]
    list_filter = ["campaign", "action", "source"]
    search_fields = ["base__code", "indicator__code", "actor", "reason"]
    list_select_related = ["campaign", "base", "indicator"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """States change only through the review workflow, so that every step is recorded."""

    list_display = ["campaign", "base", "state", "submitted_at", "approved_at"]
    list_filter = ["campaign", "state"]
    search_fields = ["base__code", "base__name_zh"]
    list_select_related = ["campaign", "base"]


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "submission", "from_state", "to_state", "actor", "reason"]
    list_filter = ["to_state"]
    list_select_related = ["submission__campaign", "submission__base"]


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["framework", "version", "is_active", "note", "created_by", "created_at"]
    list_filter = ["framework", "is_active"]


class QueryMessageInline(admin.TabularInline):
    model = QueryMessage
    extra = 0
    can_delete = False
    fields = ["at", "actor", "kind", "text", "old_value", "new_value"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Query)
class QueryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "base", "indicator", "year", "status", "created_at"]
    list_filter = ["campaign", "status"]
    search_fields = ["base__code", "indicator__code"]
    list_select_related = ["campaign", "base", "indicator"]
    inlines = [QueryMessageInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["campaign", "base", "indicator", "year", "name", "status", "uploaded_at"]
    list_filter = ["campaign", "status", "content_type"]
    search_fields = ["base__code", "name"]
    list_select_related = ["campaign", "base", "indicator"]
    exclude = ["file"]
