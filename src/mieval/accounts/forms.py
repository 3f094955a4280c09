from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form; its own messages, so that the page reads as one voice."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name and password do not match an account. Both are case-sensitive."
        ),
    }


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example the name of a script."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[
            (30, _("30 days")),
            (90, _("90 days")),
            (365, _("one year")),
        ],
        initial=365,
    )


class UnlockForm(forms.Form):
    """Which lock to lift: a user name everywhere, or from one address."""

    username = forms.CharField(label=_("User name"), max_length=255)
    ip_address = forms.GenericIPAddressField(label=_("Address"), required=False)
