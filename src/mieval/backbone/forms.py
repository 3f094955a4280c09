from django import forms
from django.utils.translation import gettext_lazy as _

from mieval.backbone.models import BackboneMember
from mieval.core.limits import (
    BACKBONE_CODE_MAX,
    BACKBONE_EMAIL_MAX,
    BACKBONE_NAME_MAX,
    BACKBONE_NOTES_MAX,
    BACKBONE_PHONE_MAX,
    BACKBONE_POSITION_MAX,
    VERSION_MAX,
)
from mieval.core.reference import REGION_GROUPS
from mieval.lib.i18n import localized
from mieval.panels.models import Organisation
from mieval.registry.models import Base


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {localized(obj.name_zh, obj.name_en)}"


def _version_field():
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX)


class FilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the evaluation"),
        required=False,
        choices=[("", _("all")), *BackboneMember.Role.choices],
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("all")), *BackboneMember.State.choices]
    )
    group = forms.ChoiceField(label=_("Region group"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=BACKBONE_NAME_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("all"))] + [
            (code, localized(*names)) for code, names in REGION_GROUPS.items()
        ]


class _PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=BACKBONE_NAME_MAX)
    position = forms.CharField(
        label=_("Position"), max_length=BACKBONE_POSITION_MAX, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=BACKBONE_PHONE_MAX, required=False)
    email = forms.EmailField(
        label=_("E-mail address"), max_length=BACKBONE_EMAIL_MAX, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=BACKBONE_NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MemberForm(_PersonForm):
    """The office's record and edit form: a person from a base or from an organisation."""

    role = forms.ChoiceField(label=_("Role in the evaluation"), choices=BackboneMember.Role.choices)
    base = _Named(label=_("Base"), queryset=Base.objects.none(), required=False)
    organisation = _Named(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=VERSION_MAX, required=False
    )
    field_order = ["name", "role", "base", "organisation", "position", "phone", "email", "notes"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = campaign.bases.order_by("code")

    def clean(self):
        data = super().clean()
        if bool(data.get("base")) == bool(data.get("organisation")):
            self.add_error("base", _("Choose either a base or an organisation, not both."))
        if data.get("role") == BackboneMember.Role.NOMINATED and not data.get("base"):
            self.add_error("base", _("A nominated person comes from a base."))
        return data


class NominationForm(_PersonForm):
    """A base officer's nomination of one of the own base's staff."""


class InviteForm(forms.Form):
    organisation = _Named(label=_("Roster of"), queryset=Organisation.objects.all())
    code = forms.CharField(label=_("Expert code"), max_length=BACKBONE_CODE_MAX)
    version = _version_field()


class AcceptForm(forms.Form):
    version = _version_field()
