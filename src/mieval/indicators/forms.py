"""Forms of the crosswalk editor."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.core.crosswalk import factor_check
from mieval.indicators.models import Framework
from mieval.lib.i18n import localized


class CrosswalkPairForm(forms.Form):
    """The two framework versions whose crosswalk the editor opens."""

    from_framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("code", "version"), label=_("From framework version")
    )
    to_framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("code", "version"), label=_("To framework version")
    )

    def clean(self):
        data = super().clean()
        if data.get("from_framework") and data.get("from_framework") == data.get("to_framework"):
            raise forms.ValidationError(_("Choose two different framework versions."))
        return data


class CrosswalkRowForm(forms.Form):
    """One row: an old indicator, a new one and the factor (empty means 1). ``version`` is the
    row's version the editor read (absent for a new row)."""

    from_code = forms.ChoiceField(label=_("Old indicator"))
    to_code = forms.ChoiceField(label=_("New indicator"))
    factor = forms.CharField(
        label=_("Factor"),
        required=False,
        max_length=40,
        help_text=_("Multiplies the old value into the new unit; a split's share. Empty means 1."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, old_indicators, new_indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_code"].choices = _choices(old_indicators)
        self.fields["to_code"].choices = _choices(new_indicators)

    def clean_factor(self):
        factor, problem = factor_check(self.cleaned_data["factor"] or "")
        if problem is not None:
            raise forms.ValidationError(_("The factor must be a positive number (empty means 1)."))
        return factor


def _choices(indicators) -> list[tuple[str, str]]:
    return [
        (row.code, f"{row.code} · {localized(row.name_zh, row.name_en)}")
        for row in indicators.itertuples(index=False)
    ]
