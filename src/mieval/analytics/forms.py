from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.analytics.models import IndexFramework
from mieval.core.limits import NOISE_MAX, RUNS_MAX, SEED_MAX, TOML_MAX_BYTES, sizes_text


class IndexRunForm(forms.Form):
    """The request of an index run (POST)."""

    framework = forms.ModelChoiceField(
        label=_("Index framework"), queryset=IndexFramework.objects.none(), empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    runs = forms.IntegerField(
        label=_("Monte Carlo runs"), min_value=0, max_value=RUNS_MAX, initial=500
    )
    noise = forms.FloatField(
        label=_("Weight noise (share of each weight)"),
        min_value=0,
        max_value=NOISE_MAX,
        initial=0.25,
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=SEED_MAX, initial=1)
    alt_aggregation = forms.BooleanField(label=_("Also try geometric aggregation"), required=False)
    sensitivity = forms.BooleanField(label=_("Sensitivity analysis"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = IndexFramework.objects.all()
        self.fields["framework"].label_from_instance = lambda f: f"{f.code} v{f.version}"
        years = range(campaign.last_year, campaign.first_year - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def params(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("runs", "noise", "seed", "alt_aggregation", "sensitivity")}


class IndexChangesForm(forms.Form):
    """The runs compared on the rank-changes page (GET): one per year, of one framework."""

    run = forms.ModelMultipleChoiceField(
        label=_("Index runs compared"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        runs = campaign.index_runs.select_related("framework").order_by(
            "framework__code", "year", "-created_at", "-pk"
        )
        self.fields["run"].queryset = runs
        self.fields["run"].label_from_instance = lambda r: (
            f"#{r.pk} {r.framework.code} v{r.framework.version}, {r.year}"
        )

    def clean_run(self):
        runs = sorted(self.cleaned_data["run"], key=lambda r: r.year)
        problems = []
        if len(runs) < 2:
            problems.append(_("Choose at least two runs, of different years."))
        if len({r.framework.code for r in runs}) > 1:
            problems.append(_("The runs compared must be of the same index framework."))
        years = [r.year for r in runs]
        if len(set(years)) < len(years):
            problems.append(_("Choose one run per year."))
        if problems:
            raise forms.ValidationError(problems)
        return runs


class IndexFrameworkVersionForm(forms.Form):
    """A new version of an index framework: the TOML edited or pasted, or a file uploaded."""

    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    text = forms.CharField(
        label=_("Framework (TOML)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("Or upload a TOML file (replaces the text above)"), required=False
    )
    edited = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and upload.size > TOML_MAX_BYTES:
            self.add_error(
                "file",
                _("The file is %(size)s; a framework file may be at most %(limit)s.")
                % dict(
                    zip(
                        ("size", "limit"),
                        sizes_text(
                            upload.size, TOML_MAX_BYTES, megabytes=_("MB"), bytes_=_("bytes")
                        ),
                        strict=True,
                    )
                ),
            )
        elif upload:
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
        # A browser sends a textarea's lines ended by CRLF: store the text as written.
        data["text"] = (data.get("text") or "").replace("\r\n", "\n")
        if not data["text"].strip() and not self.errors.get("file"):
            self.add_error("text", _("Write, paste or upload the framework."))
        return data
