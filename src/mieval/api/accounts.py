"""``/me`` and ``/tokens``: who is calling, and their API tokens."""

from django.http import HttpResponse
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mieval.accounts.models import ApiToken
from mieval.accounts.permissions import role_of
from mieval.accounts.services import api_token_create, api_token_revoke
from mieval.api.auth import ANY_ACCOUNT
from mieval.api.pagination import Page
from mieval.api.schemas import Id, MeOut, TokenCreatedOut, TokenIn, TokenOut

router = Router(tags=["accounts"])


@router.get(
    "/me",
    response=MeOut,
    auth=ANY_ACCOUNT,
    summary="Who is calling",
    description="The account's user name, role, and the base or organisation it is bound to. "
    "Open to every logged-in account, even one without a role.",
)
def me(request):
    user = request.auth
    role = role_of(user)
    profile = getattr(user, "profile", None)
    return {
        "username": user.get_username(),
        "role": role.value if role else None,
        "base_code": profile.base.code if profile and profile.base_id else None,
        "organisation_code": (
            profile.organisation.code if profile and profile.organisation_id else None
        ),
    }


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    summary="Create an API token for yourself",
    description="Returns the token's key once; only its hash is kept. Send it as "
    "'Authorization: Bearer <key>'. A token made with a token expires no later than the "
    "token that made it.",
)
def token_create(request, payload: TokenIn):
    token, key = api_token_create(
        user=request.auth,
        name=payload.name,
        days=payload.days,
        made_with=getattr(request, "api_token", None),
    )
    token.key = key
    return Status(201, token)


@router.get(
    "/tokens",
    response=list[TokenOut],
    summary="List your API tokens",
    description="Your tokens, newest first, revoked and expired ones included; never the key.",
)
@paginate(Page)
def token_list(request):
    return ApiToken.objects.filter(user=request.auth).order_by("-created_at", "-id")


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    summary="Revoke one of your API tokens",
    description="The token stops working at once. Another account's token is not found (404).",
)
def token_revoke(request, token_id: Id):
    token = ApiToken.objects.filter(user=request.auth, pk=token_id).first()
    if token is None:
        raise HttpError(404, f"You have no API token with id {token_id}.")
    if token.revoked_at is None:
        api_token_revoke(token=token)
    return HttpResponse(status=204)
