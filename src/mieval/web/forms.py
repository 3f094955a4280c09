from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mieval.core import lifecycle, reference
from mieval.core.indicators import STATS
from mieval.core.limits import VERSION_MAX, YEAR_MAX, YEAR_MIN
from mieval.indicators.models import Indicator
from mieval.lib.i18n import in_chinese, localized
from mieval.registry.models import Base, BaseEvent


def _category_choices():
    return [(c.code, localized(c.name_zh, c.name_en)) for c in reference.CATEGORIES]


def _subcategory_choices():
    return [(s.code, localized(s.name_zh, s.name_en)) for s in reference.SUBCATEGORIES]


def _region_choices():
    return [(r.code, localized(r.name_zh, r.name_en)) for r in reference.REGIONS]


def _region_group_choices():
    return [(code, localized(zh, en)) for code, (zh, en) in reference.REGION_GROUPS.items()]


def _province_choices():
    return [(p.code, f"{p.code} {localized(p.name_zh, p.name_en)}") for p in reference.PROVINCES]


ALL = [("", _("All"))]


class TrendFilterForm(forms.Form):
    """The filters and options of the development-trend table (GET)."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    subcategory = forms.ChoiceField(label=_("Subcategory"), required=False)
    region = forms.ChoiceField(label=_("Economic region"), required=False)
    region_group = forms.ChoiceField(label=_("East, Central and West"), required=False)
    batch = forms.TypedChoiceField(label=_("Batch"), required=False, coerce=int, empty_value=None)
    by = forms.ChoiceField(label=_("Group by"), required=False)
    stat = forms.ChoiceField(label=_("Statistic"), required=False)
    balanced = forms.BooleanField(label=_("Only bases that reported every year"), required=False)

    def __init__(self, *args, batches: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = ALL + _category_choices()
        self.fields["subcategory"].choices = ALL + _subcategory_choices()
        self.fields["region"].choices = ALL + _region_choices()
        self.fields["region_group"].choices = ALL + _region_group_choices()
        self.fields["batch"].choices = ALL + [
            (b, reference.group_label("batch", str(b))[0 if in_chinese() else 1]) for b in batches
        ]
        self.fields["by"].choices = [
            ("", _("No grouping")),
            ("category", _("Category")),
            ("subcategory", _("Subcategory")),
            ("region", _("Economic region")),
            ("region_group", _("East, Central and West")),
            ("province", _("Province")),
            ("batch", _("Batch")),
        ]
        self.fields["stat"].choices = [("", _("Each indicator's default"))] + [
            (s, Indicator.Stat(s).label) for s in STATS
        ]


class BaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    subcategory = forms.ChoiceField(label=_("Subcategory"), required=False)
    region = forms.ChoiceField(label=_("Economic region"), required=False)
    batch = forms.IntegerField(
        label=_("Batch"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ALL + list(Base.Status.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Code or name")
        self.fields["category"].choices = ALL + _category_choices()
        self.fields["subcategory"].choices = ALL + _subcategory_choices()
        self.fields["region"].choices = ALL + _region_choices()


class BaseForm(forms.Form):
    """A base's registry entry, checked as the bases file reader checks a row."""

    code = forms.CharField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"))
    subcategory = forms.ChoiceField(label=_("Subcategory"))
    province = forms.ChoiceField(
        label=_("Province"), help_text=_("By its two-digit GB/T 2260 code.")
    )
    batch = forms.IntegerField(label=_("Batch"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the change in the base's history."),
    )
    # The version of the base the editor read (a concurrent edit is refused, not overwritten).
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX, required=False
    )

    def __init__(self, *args, base: Base | None = None, **kwargs):
        self.base = base
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["subcategory"].choices = _subcategory_choices()
        self.fields["province"].choices = _province_choices()
        if base is not None:
            # The code is the contract of every file; it does not change.
            del self.fields["code"]
            self.fields["name_zh"].help_text = _(
                "Corrects the name. A renaming that took effect on a date is recorded below,"
                " so that the history keeps the former name."
            )
        else:
            del self.fields["version"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if any(ch.isspace() for ch in code):
            raise ValidationError(
                _("The code '%(code)s' contains a space; remove it."), params={"code": code}
            )
        if Base.objects.filter(code=code).exists():
            raise ValidationError(
                _("A base with the code '%(code)s' exists already; each base needs its own code."),
                params={"code": code},
            )
        return code

    def clean(self):
        data = super().clean()
        category, subcategory = data.get("category"), data.get("subcategory")
        if category and subcategory:
            owner = reference.SUBCATEGORY_BY_CODE[subcategory].category
            if owner != category:
                allowed = ", ".join(
                    localized(s.name_zh, s.name_en)
                    for s in reference.SUBCATEGORIES
                    if s.category == category
                )
                self.add_error(
                    "subcategory",
                    ValidationError(
                        _(
                            "This subcategory belongs to the category %(owner)s, not to"
                            " %(category)s; the subcategories of %(category)s are: %(allowed)s."
                        ),
                        params={
                            "owner": _category_name(owner),
                            "category": _category_name(category),
                            "allowed": allowed,
                        },
                    ),
                )
        return data

    def clean_batch(self):
        batch = self.cleaned_data["batch"]
        designated = self.base.designated_on if self.base is not None else None
        if designated is not None and batch != designated.year:
            raise ValidationError(
                _(
                    "The base was designated on %(date)s, in batch %(year)s; correct its"
                    " designation below to move it to another batch."
                ),
                params={"date": designated.isoformat(), "year": designated.year},
            )
        return batch

    @classmethod
    def initial_for(cls, base: Base) -> dict:
        return {
            "name_zh": base.name_zh,
            "name_en": base.name_en,
            "category": base.subcategory.category_id,
            "subcategory": base.subcategory_id,
            "province": base.province_id,
            "batch": base.batch,
            "version": base.version,
        }


# --- a base's lifecycle events (the services check the rules; the forms the shapes) ------------


class LifecycleEventForm(forms.Form):
    """The fields every lifecycle event has: the day it took effect, the document that decided
    it (number, title, an optional file) and a reason; ``version`` is the base's, as read."""

    kind: str = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX)
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day it took effect, as the document says."),
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=100,
        required=False,
        help_text=_("e.g. 国办发〔2016〕35号"),
    )
    document_title = forms.CharField(label=_("Document title"), max_length=300, required=False)
    document_file = forms.FileField(
        label=_("Document file"),
        required=False,
        max_length=255,
        help_text=_("Optional: PDF, PNG, JPEG, XLSX or DOCX."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, base: Base, **kwargs):
        kwargs.setdefault("prefix", self.kind)
        kwargs.setdefault("initial", {"version": base.version})
        self.base = base
        super().__init__(*args, **kwargs)

    def clean_document_file(self):
        upload = self.cleaned_data.get("document_file")
        # Checked before the file is read whole.
        if upload is not None and upload.size > settings.EVIDENCE_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size).1f MB; evidence files may be at most %(limit).0f MB."),
                params={"size": upload.size / 1e6, "limit": settings.EVIDENCE_MAX_BYTES / 1e6},
            )
        return upload

    def document(self) -> dict:
        """The document's keyword arguments for a lifecycle service."""
        data = self.cleaned_data
        upload = data.get("document_file")
        return {
            "document_title": data["document_title"],
            "document_number": data["document_number"],
            "document_file_name": upload.name if upload else None,
            "document_file_data": upload.read() if upload else None,
        }


class DesignationForm(LifecycleEventForm):
    kind = BaseEvent.Kind.DESIGNATED

    def __init__(self, *args, base: Base, **kwargs):
        event = base.events.filter(kind=BaseEvent.Kind.DESIGNATED).first()
        if event is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": base.version,
                    "date": event.date,
                    "document_number": event.document_number,
                    "document_title": event.document_title,
                },
            )
        super().__init__(*args, base=base, **kwargs)
        self.fields["document_file"].help_text = _(
            "Optional: PDF, PNG, JPEG, XLSX or DOCX; a file recorded before is kept unless you"
            " give another."
        )


class RenameForm(LifecycleEventForm):
    kind = BaseEvent.Kind.RENAMED
    name_zh = forms.CharField(label=_("New Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("New English name"), max_length=200)
    field_order = ["version", "name_zh", "name_en", "date"]


class MergeForm(LifecycleEventForm):
    kind = BaseEvent.Kind.MERGED
    into = forms.ModelChoiceField(
        label=_("Merged into"), queryset=Base.objects.none(), to_field_name="code"
    )
    field_order = ["version", "into", "date"]

    def __init__(self, *args, base: Base, **kwargs):
        super().__init__(*args, base=base, **kwargs)
        field = self.fields["into"]
        field.queryset = Base.objects.with_status(lifecycle.ACTIVE).exclude(pk=base.pk)
        field.label_from_instance = lambda b: f"{b.code} {localized(b.name_zh, b.name_en)}"


class WithdrawalForm(LifecycleEventForm):
    kind = BaseEvent.Kind.WITHDRAWN

    def __init__(self, *args, base: Base, **kwargs):
        super().__init__(*args, base=base, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].help_text = _("Why the designation is withdrawn (摘牌).")


#: The form of each kind of event, as the page's URL names it.
LIFECYCLE_FORMS = {
    form.kind: form for form in (DesignationForm, RenameForm, MergeForm, WithdrawalForm)
}


def _category_name(code: str) -> str:
    category = reference.CATEGORY_BY_CODE[code]
    return localized(category.name_zh, category.name_en)


class FrameworkVersionForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    unit_zh = forms.CharField(label=_("Unit (Chinese)"), max_length=40, required=False)
    direction = forms.TypedChoiceField(
        label=_("Direction"), coerce=int, choices=Indicator.Direction.choices, initial=1
    )
    stat = forms.ChoiceField(
        label=_("Default statistic"), choices=Indicator.Stat.choices, initial="mean"
    )
    categories = forms.MultipleChoiceField(
        label=_("Applies to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    non_negative = forms.BooleanField(label=_("Never negative"), required=False, initial=True)
    decimals = forms.IntegerField(label=_("Decimals"), min_value=0, max_value=8, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = _category_choices()


class BaseIndicatorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        kept = 0
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            code = form.cleaned_data.get("code")
            if code in seen:
                raise ValidationError(
                    _(
                        "The code '%(code)s' is listed more than once; each indicator needs"
                        " its own code."
                    ),
                    params={"code": code},
                )
            seen.add(code)
            kept += 1
        if kept == 0:
            raise ValidationError(_("A framework needs at least one indicator."))


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True
)
