"""Forms of the self-evaluation pages. Length limits are the services' to check (they name the
section and the limit); these forms bound what reaches them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.core.limits import (
    SELFEVAL_COMMENT_CHARS_MAX,
    SELFEVAL_QUERY_CHARS_MAX,
    SELFEVAL_SECTION_CHARS_MAX,
    SELFEVAL_SECTIONS_MAX,
    VERSION_MAX,
)
from mieval.lib.i18n import localized
from mieval.selfeval.services import SECTION_FIELDS

#: A posted section may exceed its limit (the service says by how much), not this.
POSTED_TEXT_MAX = 2 * SELFEVAL_SECTION_CHARS_MAX


def _version_field():
    return forms.IntegerField(min_value=0, max_value=VERSION_MAX, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    """One textarea per section of the template (``text_<code>``) and the version read."""

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = _version_field()
        for view in sections:
            self.fields[f"text_{view.section.code}"] = forms.CharField(
                label=view.title,
                required=False,
                strip=False,
                max_length=POSTED_TEXT_MAX,
                initial=view.text,
                widget=forms.Textarea(attrs={"rows": 10, "data-max-chars": view.section.max_chars}),
            )
        self.sections = sections

    def texts(self) -> dict[str, str]:
        return {v.section.code: self.cleaned_data[f"text_{v.section.code}"] for v in self.sections}


class VersionForm(forms.Form):
    version = _version_field()


class ReviewForm(forms.Form):
    """The office's decision on a submitted report with its comments."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("return", _("Return it for changes")), ("accept", _("Accept it"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=SELFEVAL_COMMENT_CHARS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = _version_field()
        for view in sections:
            self.fields[f"comment_{view.section.code}"] = forms.CharField(
                label=_("Comment on “%(title)s”") % {"title": view.title},
                required=False,
                max_length=SELFEVAL_COMMENT_CHARS_MAX,
                initial=view.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.sections = sections

    def section_comments(self) -> dict[str, str]:
        return {
            v.section.code: self.cleaned_data[f"comment_{v.section.code}"] for v in self.sections
        }


class FileForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the reports"), max_length=SELFEVAL_QUERY_CHARS_MAX, required=False
    )


class ExportForm(forms.Form):
    lang = forms.ChoiceField(choices=[("zh", "中文"), ("en", "English")], required=False)


def template_rows_posted(data) -> list[dict]:
    """The sections a template form posted (``<field>_<row>``, rows 0..), leaving out the
    rows left wholly empty (the spare row for a new section)."""
    rows = []
    for index in range(SELFEVAL_SECTIONS_MAX + 1):
        row = {name: (data.get(f"{name}_{index}") or "").strip() for name in SECTION_FIELDS}
        row["required"] = bool(data.get(f"required_{index}"))
        if not any(row[name] for name in SECTION_FIELDS if name != "required"):
            continue
        rows.append(row)
    return rows


def template_rows_shown(template) -> list[dict]:
    """A template's sections as the form's rows, plus one empty row for a new section."""
    rows = [
        {name: getattr(s, name) for name in SECTION_FIELDS}
        | {"title": localized(s.title_zh, s.title_en)}
        for s in (template.sections.all() if template is not None else [])
    ]
    return [*rows, dict.fromkeys(SECTION_FIELDS, "") | {"required": True, "title": ""}]
