"""How the API knows who calls: a bearer token (scripts) or the Django session (the site's pages).

A request that carries an ``Authorization`` header is judged by the token alone: a wrong,
revoked or expired token is 401 even if a session cookie came along, so that a script never
acts with someone's browser session by accident. Session requests that change data need the
CSRF token, as every form of the site does.

Every endpoint except ``GET /me`` also needs a role: a logged-in account without one gets 403.
"""

from django.conf import settings
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer

from mieval.accounts.permissions import role_of
from mieval.accounts.services import api_token_find

CSRF_FAILED = (
    "CSRF check failed: a change made with the session needs the X-CSRFToken header "
    "(or use an API token)."
)
UNAUTHENTICATED = "Log in, or send the header 'Authorization: Bearer <token>'."
NO_ROLE = "Your account has no role yet; ask the evaluation office to assign one."


class BadTokenError(AuthenticationError):
    """An Authorization header that names no active token."""


class TokenAuth(HttpBearer):
    def __init__(self, *, role_required: bool = True) -> None:
        self.role_required = role_required
        super().__init__()

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise BadTokenError(401, "The Authorization header must read 'Bearer <token>'.")
        return self.authenticate(request, key.strip())

    def authenticate(self, request, token):
        found = api_token_find(token)
        if found is None:
            raise BadTokenError(401, "The API token is unknown, revoked or expired.")
        # Kept for the endpoints that care which token called (a token made with a token).
        request.api_token = found
        return _checked(found.user, self.role_required)


class SessionAuth(APIKeyCookie):
    """The Django session; the CSRF check runs only when the session is what authenticates."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, role_required: bool = True) -> None:
        self.role_required = role_required
        super().__init__(csrf=True)

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, CSRF_FAILED) from None

    def authenticate(self, request, key):
        return _checked(request.user, self.role_required)


def _checked(user, role_required: bool):
    if role_required and role_of(user) is None:
        raise HttpError(403, NO_ROLE)
    return user


#: Every endpoint but ``GET /me``.
WITH_ROLE = [TokenAuth(), SessionAuth()]
#: ``GET /me``: any logged-in account.
ANY_ACCOUNT = [TokenAuth(role_required=False), SessionAuth(role_required=False)]
