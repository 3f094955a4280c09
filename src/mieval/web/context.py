"""What every page's layout needs: the user's role and the links it may follow."""

from mieval.accounts.models import Role
from mieval.accounts.permissions import (
    can_manage,
    can_post_some_exchange,
    can_use_exchange,
    can_view_dashboards,
    role_of,
)


def navigation(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    if role is None:
        return {"nav_role": None}
    return {
        "nav_role": role,
        "nav_role_label": Role(role).label,
        "nav_dashboards": can_view_dashboards(user),
        "nav_manage": can_manage(user),
        "nav_own_base": role == Role.BASE_OFFICER,
        "nav_admin": user.is_staff,
        "nav_expert": role == Role.EXPERT,
        "nav_exchange": can_use_exchange(user),
        "nav_exchange_post": can_post_some_exchange(user),
        "nav_organisation": user.profile.organisation.code if role == Role.ORGANISER else None,
    }
