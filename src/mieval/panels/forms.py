from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from mieval.core.panels.optimiser import CONFIG_MAXIMA, PanelConfig
from mieval.core.panels.vocabulary import ExpertRole
from mieval.lib.i18n import localized
from mieval.panels.models import EvaluationSettings, Expert, PanelRule
from mieval.panels.services import score_value_check
from mieval.panels.templatetags.panels_numbers import plain
from mieval.registry.models import Category


class PanelConfigForm(forms.Form):
    groups = forms.IntegerField(
        label=_("Number of panels"),
        min_value=1,
        max_value=CONFIG_MAXIMA["groups"],
        required=False,
    )
    min_size = forms.IntegerField(
        label=_("Fewest experts per panel"),
        min_value=1,
        max_value=CONFIG_MAXIMA["min_size"],
        initial=5,
    )
    max_size = forms.IntegerField(
        label=_("Most experts per panel"),
        min_value=1,
        max_value=CONFIG_MAXIMA["max_size"],
        initial=7,
    )
    min_professional = forms.IntegerField(
        label=_("Fewest professional experts"),
        min_value=0,
        max_value=CONFIG_MAXIMA["min_professional"],
        initial=2,
    )
    min_operational = forms.IntegerField(
        label=_("Fewest operational experts"),
        min_value=0,
        max_value=CONFIG_MAXIMA["min_operational"],
        initial=1,
    )
    min_org_kinds = forms.IntegerField(
        label=_("Fewest organisation kinds"),
        min_value=0,
        max_value=CONFIG_MAXIMA["min_org_kinds"],
        initial=2,
    )
    max_per_organisation = forms.IntegerField(
        label=_("Most experts of one organisation"),
        min_value=1,
        max_value=CONFIG_MAXIMA["max_per_organisation"],
        initial=1,
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=60, initial=20
    )
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, max_value=CONFIG_MAXIMA["seed"], initial=0
    )

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
    panel_number = forms.IntegerField(
        label=_("Panel"), min_value=1, max_value=CONFIG_MAXIMA["groups"]
    )
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


class RubricForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Every category"),
    )
    comments_confidential = forms.BooleanField(
        label=_("Comments are confidential"),
        required=False,
        help_text=_("The experts' comments are read by the evaluation office only."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CriterionForm(forms.Form):
    """One criterion; numbers are checked by the service, which lists every problem at once."""

    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    weight = forms.CharField(label=_("Weight"), max_length=20, required=False)
    scale_min = forms.CharField(label=_("Lowest score"), max_length=20, required=False)
    scale_max = forms.CharField(label=_("Highest score"), max_length=20, required=False)
    scale_step = forms.CharField(label=_("Scale step"), max_length=20, required=False)
    guidance_zh = forms.CharField(
        label=_("Guidance (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guidance_en = forms.CharField(
        label=_("Guidance (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence = forms.CharField(
        label=_("Evidence shown"),
        max_length=500,
        required=False,
        help_text=_(
            "Empty: everything. Otherwise, separated by spaces: values, index, checks, queries,"
            " selfeval, practices, visit, selfeval:<section code> or an indicator code."
        ),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(str(v).strip() for k, v in data.items() if k != "DELETE")


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


class EvaluationSettingsForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EvaluationSettings
        fields = ["expert_weight", "index_weight", "excellent", "good", "qualified"]

    scoring_deadline = forms.DateTimeField(
        label=_("Scoring deadline"),
        required=False,
        help_text=_("Date and time, e.g. 2026-06-30 18:00; experts are reminded before it."),
    )

    def clean(self):
        data = super().clean()
        problems = []
        we, wi = data.get("expert_weight"), data.get("index_weight")
        if we is not None and wi is not None:
            if we < 0 or wi < 0:
                problems.append(_("The weights must be 0 or more."))
            elif we + wi <= 0:
                problems.append(_("The two weights must not both be 0."))
        thresholds = [data.get(k) for k in ("excellent", "good", "qualified")]
        if None not in thresholds:
            if any(t < 0 or t > 100 for t in thresholds):
                problems.append(_("The thresholds must lie between 0 and 100."))
            if not thresholds[0] > thresholds[1] > thresholds[2]:
                problems.append(
                    _("The thresholds must decrease: excellent above good above qualified.")
                )
        if problems:
            raise forms.ValidationError(problems)
        return data


class ExpertLoginRequestForm(forms.Form):
    """The user name and address of an expert's login; the office confirms it."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "A new user name, or the user name of the expert's existing account. Letters,"
            " digits and @ . + - _ only."
        ),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The expert's own address: the invitation to choose a password goes there."),
    )


class ExpertLoginRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)


class ScoreForm(forms.Form):
    """An expert's scores of one base: per criterion ``<code>-value`` (empty: left unscored),
    ``<code>-comment`` and ``<code>-confidential``, each value checked as the service checks it
    (:func:`mieval.panels.services.score_value_check`). Scores already submitted can no longer
    change: the form then says so and checks nothing else."""

    def __init__(self, *args, criteria, submitted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.submitted = submitted
        for c in self.criteria:
            self.fields[f"{c.code}-value"] = forms.CharField(required=False)
            self.fields[f"{c.code}-comment"] = forms.CharField(
                required=False, widget=forms.Textarea
            )
            self.fields[f"{c.code}-confidential"] = forms.CharField(
                required=False, widget=forms.Textarea
            )

    @staticmethod
    def initial_of(scores: dict, criteria) -> dict:
        """The form's initial data from the expert's saved scores (``{criterion id: Score}``)."""
        initial = {}
        for c in criteria:
            score = scores.get(c.pk)
            initial[f"{c.code}-value"] = plain(score.value) if score else ""
            initial[f"{c.code}-comment"] = score.comment if score else ""
            initial[f"{c.code}-confidential"] = score.confidential_comment if score else ""
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.submitted:
            raise forms.ValidationError(
                _("The scores of this base are submitted and can no longer change.")
            )
        for c in self.criteria:
            raw = cleaned.get(f"{c.code}-value")
            if raw:
                _value, problem = score_value_check(c, raw)
                if problem:
                    self.add_error(f"{c.code}-value", problem)
        return cleaned

    def entries(self) -> dict:
        """The cleaned scores as :func:`mieval.panels.services.score_save` takes them."""
        return {
            c.code: {
                "value": self.cleaned_data[f"{c.code}-value"],
                "comment": self.cleaned_data[f"{c.code}-comment"],
                "confidential_comment": self.cleaned_data[f"{c.code}-confidential"],
            }
            for c in self.criteria
        }

    def rows(self) -> list[dict]:
        """Per criterion what the scoring page shows: the criterion, its name and guidance in
        the current language, its three fields' values (as posted, else as saved) and their
        problems."""
        return [
            {
                "criterion": c,
                "name": localized(c.name_zh, c.name_en),
                "guidance": localized(c.guidance_zh, c.guidance_en),
                "value": self[f"{c.code}-value"].value(),
                "comment": self[f"{c.code}-comment"].value(),
                "confidential": self[f"{c.code}-confidential"].value(),
                "error": " ".join(
                    str(message)
                    for suffix in ("value", "comment", "confidential")
                    for message in self.errors.get(f"{c.code}-{suffix}", [])
                ),
            }
            for c in self.criteria
        ]
