from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.panels.models import Expert, PanelRule
from mieval.panels.optimiser import PanelConfig
from mieval.panels.vocabulary import ExpertRole


class PanelConfigForm(forms.Form):
    groups = forms.IntegerField(label=_("Number of panels"), min_value=1, required=False)
    min_size = forms.IntegerField(label=_("Fewest experts per panel"), min_value=1, initial=5)
    max_size = forms.IntegerField(label=_("Most experts per panel"), min_value=1, initial=7)
    min_professional = forms.IntegerField(
        label=_("Fewest professional experts"), min_value=0, initial=2
    )
    min_operational = forms.IntegerField(
        label=_("Fewest operational experts"), min_value=0, initial=1
    )
    min_org_kinds = forms.IntegerField(label=_("Fewest organisation kinds"), min_value=0, initial=2)
    max_per_organisation = forms.IntegerField(
        label=_("Most experts of one organisation"), min_value=1, initial=1
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=60, initial=20
    )
    seed = forms.IntegerField(label=_("Seed"), min_value=0, initial=0)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.config = PanelConfig(**{k: v for k, v in data.items()})
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return data


class PanelRuleForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.active())
    panel_number = forms.IntegerField(label=_("Panel"), min_value=1)
    kind = forms.ChoiceField(label=_("Decision"), choices=PanelRule.Kind.choices)


class ExpertForm(forms.ModelForm):
    fields_text = forms.CharField(
        label=_("Fields"),
        required=False,
        help_text=_("Domain tags separated by semicolons, e.g. ai;tech_finance."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[
            (ExpertRole.PROFESSIONAL, _("professional")),
            (ExpertRole.OPERATIONAL, _("operational")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Expert
        fields = ["code", "name", "province", "max_panels", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["fields_text"].initial = ";".join(self.instance.fields)
            self.fields["roles"].initial = list(self.instance.roles)

    def expert_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self._meta.fields}
        data["fields"] = [
            t.strip()
            for t in self.cleaned_data["fields_text"].replace("；", ";").split(";")
            if t.strip()
        ]
        data["roles"] = list(self.cleaned_data["roles"])
        return data


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class RosterImportForm(forms.Form):
    organisations = forms.FileField(label=_("Organisations file"))
    experts = forms.FileField(label=_("Experts file"))
    conflicts = forms.FileField(label=_("Conflicts file"), required=False)
