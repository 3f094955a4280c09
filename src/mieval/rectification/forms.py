from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieval.core.limits import (
    PROBLEM_REASON_MAX,
    PROBLEM_TEXT_MAX,
    PROBLEM_TITLE_MAX,
    RECTIFICATION_OWNER_MAX,
    VERSION_MAX,
)
from mieval.core.problem_counts import DIMENSIONS
from mieval.lib.i18n import localized
from mieval.rectification.models import (
    EvaluationProblem,
    FeedbackLetter,
    ProblemType,
    Severity,
    Source,
)


class _TypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj.name_zh, obj.name_en)


def _version_field():
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX)


def _text(label, *, required=False, rows=3, max_length=PROBLEM_TEXT_MAX):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CheckResultForm(forms.Form):
    """The data-check result a proposal starts from (the view checks it against the check's
    results, so that nothing is taken on trust from the URL)."""

    base = forms.CharField(widget=forms.HiddenInput, max_length=40)
    indicator = forms.CharField(widget=forms.HiddenInput, max_length=60, required=False)
    year = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1900, max_value=2100
    )
    rule = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    opinion = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )


class ProposeForm(CheckResultForm):
    """A problem as the office proposes it, from a data-check result or from nothing."""

    type = _TypeChoice(label=_("Problem type"), queryset=ProblemType.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    title_zh = forms.CharField(
        label=_("Title (Chinese)"), max_length=PROBLEM_TITLE_MAX, required=False
    )
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=PROBLEM_TITLE_MAX, required=False
    )
    description_zh = _text(_("Description (Chinese)"))
    description_en = _text(_("Description (English)"))
    action_zh = _text(_("Recommended action (Chinese)"), rows=2)
    action_en = _text(_("Recommended action (English)"), rows=2)

    def __init__(self, *args, types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if types is not None:
            self.fields["type"].queryset = types

    def clean(self):
        data = super().clean()
        if not (data.get("title_zh") or "").strip() and not (data.get("title_en") or "").strip():
            raise forms.ValidationError(_("Give the problem a title in Chinese or English."))
        return data


class ConfirmForm(forms.Form):
    version = _version_field()
    type = _TypeChoice(label=_("Problem type"), queryset=ProblemType.objects.none())
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)

    def __init__(self, *args, types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if types is not None:
            self.fields["type"].queryset = types


class DismissForm(forms.Form):
    version = _version_field()
    reason = forms.CharField(label=_("Reason for dismissing"), max_length=PROBLEM_REASON_MAX)


class PlanForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX, required=False
    )
    measures = _text(_("Measures"), required=True, rows=4)
    owner = forms.CharField(
        label=_("Responsible person or unit"), max_length=RECTIFICATION_OWNER_MAX
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgressForm(forms.Form):
    version = _version_field()
    text = _text(_("Progress"), required=True, rows=4)
    completes = forms.BooleanField(label=_("The rectification is done"), required=False)
    file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        max_length=255,
        help_text=_("PDF, PNG, JPEG, XLSX or DOCX."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Checked before the file is read whole.
        if upload is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; evidence files may be at most %(limit).0f MB.")
                % {"size": upload.size / 1e6, "limit": settings.EVIDENCE_MAX_BYTES / 1e6}
            )
        return upload


class VerifyForm(forms.Form):
    version = _version_field()
    decision = forms.ChoiceField(
        label=_("Verification"),
        choices=[
            ("accepted", pgettext_lazy("rectification", "accepted")),
            ("not_accepted", _("not accepted")),
        ],
    )
    note = _text(_("Reasons or note"), rows=2)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "not_accepted" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the rectification is not accepted."))
        return data


class RegisterFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("all")), *EvaluationProblem.State.choices]
    )
    type = forms.SlugField(label=_("Problem type"), required=False, max_length=40)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("all")), *Source.choices]
    )
    base = forms.CharField(label=_("Base code"), required=False, max_length=40)


DIMENSION_LABELS = {
    "type_code": _("Problem type"),
    "category": _("Category"),
    "subcategory": _("Subcategory"),
    "region_group": _("Region group"),
}


class CountsForm(forms.Form):
    by = forms.MultipleChoiceField(
        label=_("Count by"),
        required=False,
        choices=[(d, DIMENSION_LABELS[d]) for d in DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
    )


class TypeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=PROBLEM_TITLE_MAX)
    name_en = forms.CharField(label=_("English name"), max_length=PROBLEM_TITLE_MAX)
    description_zh = _text(_("Chinese description"), rows=2)
    description_en = _text(_("English description"), rows=2)


class LetterGenerateForm(forms.Form):
    """Generate the letter of one base (``base``, with the ``version`` read when it has one) or
    of every base with an accepted opinion (no ``base``)."""

    base = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    lang = forms.ChoiceField(
        label=_("Language"), choices=FeedbackLetter.Language.choices, initial="zh"
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=VERSION_MAX
    )


class LetterSendForm(forms.Form):
    base = forms.CharField(widget=forms.HiddenInput, max_length=40)
    version = _version_field()
