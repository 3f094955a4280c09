from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.core.reference import REGION_GROUPS, REGIONS
from mieval.exchange.models import ExchangeContact, OutcomeReport, Post
from mieval.lib.i18n import localized


def _place_choices():
    """Regions, then the region groups that are not regions too (``east`` and ``northeast``
    are both), named in the request's language."""
    choices = {r.code: localized(r.name_zh, r.name_en) for r in REGIONS}
    for code, (zh, en) in REGION_GROUPS.items():
        choices.setdefault(code, localized(zh, en))
    return list(choices.items())


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Need or offer"), choices=Post.Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Post.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    language = forms.ChoiceField(label=_("Language"), choices=Post.Language.choices)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by semicolons, e.g. patent; new_energy"),
    )
    preferred_regions = forms.MultipleChoiceField(
        label=_("Preferred regions of the partner"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expires = forms.DateField(label=_("Open until"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, post: Post | None = None, provider: bool = False, **kwargs):
        if post is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": post.kind,
                "category": post.category,
                "title": post.title,
                "text": post.text,
                "language": post.language,
                "tags": "; ".join(post.tags),
                "preferred_regions": post.preferred_regions,
                "expires": post.expires,
                "version": post.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["preferred_regions"].choices = _place_choices()
        if provider:
            # A service provider offers; it answers the bases' needs from their pages.
            self.fields["kind"].choices = [(Post.Kind.OFFER, Post.Kind.OFFER.label)]

    def post_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ExchangeContact
        fields = ["person", "email", "phone"]


class PostFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Need or offer"), required=False, choices=[("", _("All")), *Post.Kind.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Post.Category.choices]
    )
    region = forms.ChoiceField(label=_("Region of the base"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All")), *Post.Language.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All")), *_place_choices()]


class OutcomeForm(forms.Form):
    state = forms.ChoiceField(label=_("Outcome"), choices=OutcomeReport.State.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("What was agreed or done, or why not")}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
