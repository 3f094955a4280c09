"""Forms of the review pages (``collection.views.review``): filters, workflow steps, queries,
evidence and rule sets. Every label and error is translated; numbers typed by a base officer
are checked here the way the file import checks them (``core.values.value_check``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mieval.collection.models import Campaign, Evidence, Query, Submission
from mieval.core import reference
from mieval.core.values import value_check
from mieval.lib.i18n import localized

ALL = [("", _("All"))]


class SubmissionFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    subcategory = forms.ChoiceField(label=_("Subcategory"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = ALL + list(Submission.State.choices)
        self.fields["subcategory"].choices = ALL + [
            (s.code, localized(s.name_zh, s.name_en)) for s in reference.SUBCATEGORIES
        ]


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Submission deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Leave empty to have no deadline."),
    )


class ReasonForm(forms.Form):
    """The reason (or note) that goes with a step of the submission."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QueryOpenForm(forms.Form):
    text = forms.CharField(
        label=_("Question to the base"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueryReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_value = forms.CharField(
        label=_("Corrected value"),
        required=False,
        help_text=_("Only if the value was wrong: the correct figure, in the indicator's unit."),
    )

    def __init__(self, *args, indicator=None, **kwargs):
        """``indicator``: the queried value's, whose non-negativity the correction keeps."""
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_new_value(self) -> str | None:
        non_negative = self.indicator is not None and self.indicator.non_negative
        checked = value_check(self.cleaned_data["new_value"], non_negative=non_negative)
        if checked.problems:
            raise ValidationError(
                [ValidationError(p.localized(gettext), code=p.code) for p in checked.problems]
            )
        return checked.raw or None


class QueryNoteForm(forms.Form):
    """The office's follow-up question (required) or closing note (optional)."""

    text = forms.CharField(
        label=_("Text"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QueryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    base = forms.ChoiceField(label=_("Base"), required=False)

    def __init__(self, *args, bases: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ALL + list(Query.Status.choices)
        self.fields["base"].choices = ALL + bases


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class EvidenceReviewForm(forms.Form):
    evidence = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Verification"), choices=Evidence.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class RulesForm(forms.Form):
    text = forms.CharField(
        label=_("Rules (TOML)"),
        required=False,
        strip=False,  # leading blank lines count: parse errors name the line
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign to preview on"),
        queryset=Campaign.objects.order_by("-first_year", "code"),
        required=False,
    )
    note = forms.CharField(label=_("Note on this version"), required=False, max_length=300)
    activate = forms.BooleanField(label=_("Make it the active version"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].label_from_instance = lambda c: (
            f"{c.code} · {localized(c.name_zh, c.name_en)}"
        )
