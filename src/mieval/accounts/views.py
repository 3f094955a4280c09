"""The pages of accounts that are not Django's: one's own API tokens; the office's list of
locked logins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieval.accounts.forms import TokenCreateForm, UnlockForm
from mieval.accounts.models import ApiToken
from mieval.accounts.permissions import can_unlock_logins, role_of
from mieval.accounts.selectors import logins_locked
from mieval.accounts.services import api_token_create, api_token_revoke, login_unlock
from mieval.lib.pages import require


@login_required
def tokens(request):
    """The user's API tokens; a new token's key is shown once, in the response that made it."""
    require(role_of(request.user) is not None)
    new_key = None
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenCreateForm()
    rows = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": rows, "new_key": new_key},
    )


@require_POST
@login_required
def token_revoke(request, pk: int):
    require(role_of(request.user) is not None)
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("tokens")


@login_required
def lockouts(request):
    """The logins locked out now (a user name everywhere, or from one address), each with a
    button that lifts the lock (the office)."""
    require(can_unlock_logins(request.user))
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            username = form.cleaned_data["username"]
            ip_address = form.cleaned_data["ip_address"] or None
            login_unlock(username=username, ip_address=ip_address, actor=request.user)
            if ip_address:
                message = _("The user name %(name)s can log in again from %(address)s.") % {
                    "name": username,
                    "address": ip_address,
                }
            else:
                message = _("The user name %(name)s can log in again.") % {"name": username}
            messages.success(request, message)
            return redirect("lockouts")
        return render(
            request, "accounts/lockouts.html", {"locks": logins_locked(), "form": form}, status=400
        )
    return render(request, "accounts/lockouts.html", {"locks": logins_locked(), "form": None})
