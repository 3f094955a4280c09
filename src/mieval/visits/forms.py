from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.core.limits import VERSION_MAX, VISIT_CONTACTS_MAX, VISIT_SHORT_MAX, VISIT_TEXT_MAX
from mieval.visits.models import CheckItem

#: Contact rows a plan's form offers (the stored ones plus empty rows, at most VISIT_CONTACTS_MAX).
CONTACT_ROWS_EMPTY = 2


def _version_field():
    return forms.IntegerField(
        required=False, min_value=1, max_value=VERSION_MAX, widget=forms.HiddenInput
    )


def _text(label, rows=4, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=VISIT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _ExpertChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class VersionForm(forms.Form):
    """The version of the opinion the page showed, for the actions without other fields."""

    version = _version_field()


class LeaderForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Leader"), queryset=None)
    version = _version_field()

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = members
        self.fields["expert"].label_from_instance = lambda e: f"{e.name} ({e.code})"


class VisitPlanForm(forms.Form):
    visit_date = forms.DateField(
        label=_("Visit date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    itinerary = _text(_("Itinerary"), rows=5)
    members = _ExpertChoice(label=_("Members going"), queryset=None, required=False)
    version = _version_field()

    def __init__(self, *args, members, contact_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.contact_rows = min(contact_rows + CONTACT_ROWS_EMPTY, VISIT_CONTACTS_MAX)
        for n in range(self.contact_rows):
            for key, label in (
                ("name", _("Name")),
                ("role", _("Role")),
                ("phone", _("Phone")),
                ("email", _("E-mail")),
            ):
                self.fields[f"contact_{n}_{key}"] = forms.CharField(
                    label=label, required=False, max_length=VISIT_SHORT_MAX
                )

    def contacts(self) -> list[dict]:
        return [
            {
                key: self.cleaned_data.get(f"contact_{n}_{key}", "")
                for key in ("name", "role", "phone", "email")
            }
            for n in range(self.contact_rows)
        ]

    def contact_fields(self):
        """The contact rows as lists of bound fields, for the template."""
        return [
            [self[f"contact_{n}_{key}"] for key in ("name", "role", "phone", "email")]
            for n in range(self.contact_rows)
        ]


class VisitRecordForm(forms.Form):
    members_present = _ExpertChoice(label=_("Members present"), queryset=None, required=False)
    base_attendees = _text(_("The base's people present (one per line)"), rows=3)
    checked = forms.MultipleChoiceField(
        label=_("Checked on site"),
        choices=CheckItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    checked_notes = _text(_("What was checked"), rows=4)
    findings = _text(_("Findings"), rows=6)
    version = _version_field()

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = members


class VisitFileForm(forms.Form):
    file = forms.FileField(label=_("Photo or file"))


class OpinionForm(forms.Form):
    text = _text(_("The panel's opinion"), rows=10, required=True)
    recommendations = _text(_("Recommendations"), rows=5)
    version = _version_field()


class AnswerForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("I agree")), ("0", _("I dissent"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    dissent = _text(_("Reason for the dissent"), rows=3)


class DecisionForm(forms.Form):
    note = _text(_("Note"), rows=3)
    version = _version_field()
