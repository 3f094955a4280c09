"""Forms of data collection: the entry form of one base and the Excel upload."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mieval.collection.services import ValueEdit
from mieval.core.limits import ENTRY_TEMPLATE_LIMITS
from mieval.core.values import value_check

#: The largest Excel upload accepted (the template's other limits apply when it is read).
UPLOAD_MAX_BYTES = ENTRY_TEMPLATE_LIMITS.max_bytes


@dataclass(frozen=True)
class EntryCell:
    """One input of the entry form as posted: the text typed, what it means, and what the
    form was showing when it was loaded (``was``, at ``version``; 0: no value then)."""

    indicator_code: str
    year: int
    text: str
    raw: str | None  # the number normalised (value_check); None: empty or not a number
    valid: bool
    was: str
    version: int

    @property
    def changed(self) -> bool:
        if not self.valid:
            return False
        if self.raw is None or not self.was:
            return (self.raw is None) != (not self.was)
        # ``was`` comes back from a hidden input: any text, read by the same checker.
        return Decimal(self.raw) != value_check(self.was, storable=False).number

    def edit(self) -> ValueEdit:
        return ValueEdit(self.indicator_code, self.year, self.raw, self.version)


def field_name(indicator_code: str, year: int, prefix: str = "v") -> str:
    return f"{prefix}-{indicator_code}-{year}"


class EntryForm(forms.Form):
    """One text input per applicable indicator and campaign year (``v-<code>-<year>``), each
    with two hidden inputs: the value's version (``ver-``) and text (``was-``) as loaded, which
    tell a change by this editor from one by someone else meanwhile.

    ``indicators``: dicts with ``code``, ``name`` and ``non_negative``; ``stored``:
    (code, year) -> (raw, version) of the values stored now (the initial data).
    """

    def __init__(self, data=None, *, indicators: list[dict], years: list[int], stored: dict):
        super().__init__(data)
        self.indicators = indicators
        self.years = years
        for indicator in indicators:
            for year in years:
                raw, version = stored.get((indicator["code"], year), ("", 0))
                name = field_name(indicator["code"], year)
                self.fields[name] = forms.CharField(
                    required=False,
                    # No max_length: the value checker says more than "too long".
                    initial=raw,
                    label=f"{indicator['name']} {year}",
                    widget=forms.TextInput(
                        attrs={
                            "class": "value-input",
                            "aria-label": f"{indicator['name']} {year}",
                            "inputmode": "decimal",
                            "autocomplete": "off",
                            "aria-describedby": field_name(indicator["code"], year, "p"),
                            "data-was": raw,
                        }
                    ),
                )
                self.fields[field_name(indicator["code"], year, "ver")] = forms.IntegerField(
                    min_value=0, initial=version, widget=forms.HiddenInput
                )
                self.fields[field_name(indicator["code"], year, "was")] = forms.CharField(
                    required=False, initial=raw, widget=forms.HiddenInput
                )

    def clean(self):
        cleaned = super().clean()
        self.cells: dict[tuple[str, int], EntryCell] = {}
        for indicator in self.indicators:
            for year in self.years:
                name = field_name(indicator["code"], year)
                text = cleaned.get(name, self.data.get(name, "")) or ""
                raw, message = _raw_and_message(text, indicator["non_negative"])
                if message:
                    self.add_error(name, message)
                self.cells[(indicator["code"], year)] = EntryCell(
                    indicator_code=indicator["code"],
                    year=year,
                    text=text,
                    raw=raw,
                    valid=not message and name not in self.errors,
                    was=cleaned.get(field_name(indicator["code"], year, "was")) or "",
                    version=cleaned.get(field_name(indicator["code"], year, "ver")) or 0,
                )
        return cleaned

    def changed_cells(self) -> list[EntryCell]:
        return [cell for cell in self.cells.values() if cell.changed]


def _raw_and_message(text: str, non_negative: bool) -> tuple[str | None, str]:
    """The normalised text of the number typed into a field (None: empty or not a number) and
    why it cannot be saved (empty: it can)."""
    checked = value_check(text, non_negative=non_negative)
    return checked.raw or None, " ".join(p.localized(gettext) for p in checked.problems)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in Excel template (.xlsx)"),
        help_text=_("At most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size).1f MB; an upload may be at most 5 MB.")
                % {"size": upload.size / 1024 / 1024}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(gettext("Upload the Excel template as an .xlsx workbook."))
        return upload
