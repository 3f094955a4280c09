from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieval.core import reference
from mieval.practices.models import Language, Nomination, PolicyArea, Reform


class _AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from mieval.lib.i18n import localized

        return localized(obj.name_zh, obj.name_en)


class _EvidenceMixin(forms.Form):
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, PNG, JPEG, XLSX or DOCX."),
    )
    evidence_link = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )


class ReformForm(_EvidenceMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    introduced_on = forms.DateField(
        label=_("Introduced on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    area_reported = _AreaChoice(
        label=_("Policy area"), queryset=PolicyArea.objects.filter(active=True)
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Reform.Scope.choices)
    title_other = forms.CharField(
        label=_("Title in the other language"), max_length=200, required=False
    )
    description_other = forms.CharField(
        label=_("Description in the other language"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NominationForm(_EvidenceMixin):
    subkind = forms.ChoiceField(label=_("Category"))
    name = forms.CharField(label=_("Name"), max_length=200)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 5}))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name_other = forms.CharField(
        label=_("Name in the other language"), max_length=200, required=False
    )
    story_other = forms.CharField(
        label=_("Story in the other language"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Nomination.Subkind.choices)
        self.fields["subkind"].choices = [(s, labels[s]) for s in Nomination.SUBKINDS[kind]]
        if kind == "person":
            self.fields["organisation_title"] = forms.CharField(
                label=_("Organisation and title"), max_length=200, required=False
            )
            self.fields["contact_phone"] = forms.CharField(
                label=_("Contact phone"), max_length=40, required=False
            )
            self.fields["contact_email"] = forms.EmailField(
                label=_("Contact email"), required=False
            )


class ClassifyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    area = _AreaChoice(label=_("Policy area"), queryset=PolicyArea.objects.filter(active=True))
    note = forms.CharField(label=_("Review note"), max_length=500, required=False)


class DecideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Nomination.Status.SHORTLISTED, _("shortlist")),
            (Nomination.Status.SELECTED, _("select")),
            (Nomination.Status.NOT_SELECTED, _("do not select")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ConsentForm(forms.Form):
    statement = forms.CharField(
        label=_("Consent statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who agreed to publication, to what, and how."),
    )
    document = forms.CharField(
        label=_("Consent document (reference)"), max_length=300, required=False
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("all")),
            ("reform", _("reform measures")),
            ("case", _("typical cases")),
            ("person", _("exemplary people")),
        ],
    )
    area = forms.ChoiceField(label=_("Policy area"), required=False)
    category = forms.ChoiceField(label=_("Base category"), required=False)
    region_group = forms.ChoiceField(
        label=pgettext_lazy("East or Central-West, not the base category", "Region"), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mieval.lib.i18n import localized

        self.fields["area"].choices = [("", _("all"))] + [
            (a.code, localized(a.name_zh, a.name_en)) for a in PolicyArea.objects.all()
        ]
        self.fields["category"].choices = [("", _("all"))] + [
            (c.code, localized(c.name_zh, c.name_en)) for c in reference.CATEGORIES
        ]
        self.fields["region_group"].choices = [
            ("", _("all")),
            *((code, localized(zh, en)) for code, (zh, en) in reference.REGION_GROUPS.items()),
            *(
                (r.code, "· " + localized(r.name_zh, r.name_en))
                for r in reference.REGIONS
                if r.code not in reference.REGION_GROUPS
            ),
        ]
