"""The JSON API, version 1, mounted at ``/api/v1/``; OpenAPI at ``openapi.json``, docs at ``docs``.

Endpoints are thin: they check access with :mod:`mieval.accounts.permissions`, read through
:mod:`mieval.api.selectors` and write through the apps' services. Errors are
``{"detail": "..."}`` (422: ``{"detail": [{"loc", "msg", "type"}, ...]}``).
"""

from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger

from mieval.api import (
    accounts,
    analytics,
    backbone,
    collection,
    exchange,
    indicators,
    rectification,
    registry,
    reports,
    selfeval,
    visits,
)
from mieval.api.auth import UNAUTHENTICATED, WITH_ROLE

api = NinjaAPI(
    title="mieval API",
    version="1",
    description="Third-party evaluation of mass innovation and entrepreneurship demonstration "
    "bases: registry, indicator frameworks, campaigns, values and the development-trend "
    "table. Authenticate with 'Authorization: Bearer <token>' (create one at POST /tokens) or "
    "with the site's session; changes made with the session need the X-CSRFToken header.",
    auth=WITH_ROLE,
    urls_namespace="api-v1",
    # ninja's own template: the Swagger UI scripts and styles come from this site's static
    # files and the settings are a JSON data block, so the page runs under script-src 'self'.
    docs=Swagger(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    message = UNAUTHENTICATED if error.message == "Unauthorized" else error.message
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="mieval"'
    return response


api.add_router("", accounts.router)
api.add_router("", registry.router)
api.add_router("", indicators.router)
api.add_router("", collection.router)
api.add_router("", analytics.router)
api.add_router("", exchange.router)
api.add_router("", reports.router)
api.add_router("", rectification.router)
api.add_router("", selfeval.router)
api.add_router("", visits.router)
api.add_router("", backbone.router)
