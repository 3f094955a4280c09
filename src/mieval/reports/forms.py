from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.core.limits import YEAR_MAX, YEAR_MIN


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("What this snapshot is for, e.g. the corrections since the last one."),
    )


class NarrativeForm(forms.Form):
    text_zh = forms.CharField(label=_("Chinese text"), widget=forms.Textarea, required=False)
    text_en = forms.CharField(label=_("English text"), widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class LineageForm(forms.Form):
    """The query of a lineage page or API call."""

    snapshot = forms.CharField(max_length=64, required=False)
    indicator = forms.CharField(max_length=60, required=False)
    base = forms.CharField(max_length=40, required=False)
    group_field = forms.CharField(max_length=20, required=False)
    group = forms.CharField(max_length=60, required=False)
    year = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)

    def clean(self):
        data = super().clean()
        group = data.get("group_field") and data.get("group")
        if not data.get("indicator") and not data.get("base") and not group:
            raise forms.ValidationError(_("Name an indicator, a base or a group of bases."))
        return data
