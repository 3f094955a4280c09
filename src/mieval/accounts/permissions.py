"""Who may see and do what. The pages and the API ask these functions and nothing else.

Two kinds of refusal: a role that may not use a page at all gets 403; an object outside what
the user may see (another base's data) is looked up in :func:`bases_visible` and so is simply
not found (404), which does not reveal whether it exists.
"""

from django.db.models import QuerySet

from mieval.accounts.models import Role
from mieval.registry.models import Base

#: Roles that read campaign-wide dashboards (overview, trend table).
DASHBOARD_ROLES = frozenset({Role.ADMIN, Role.ANALYST, Role.VIEWER})
#: Roles that manage the registry, the indicator frameworks and campaigns.
MANAGER_ROLES = frozenset({Role.ADMIN, Role.ANALYST})


def role_of(user) -> Role | None:
    """The user's role; a superuser is an administrator; None when logged out or without one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return Role(profile.role) if profile is not None else None


def can_view_dashboards(user) -> bool:
    return role_of(user) in DASHBOARD_ROLES


def can_manage(user) -> bool:
    return role_of(user) in MANAGER_ROLES


def bases_visible(user) -> QuerySet[Base]:
    """The bases whose own data the user may read."""
    role = role_of(user)
    if role in {Role.ADMIN, Role.ANALYST, Role.VIEWER}:
        return Base.objects.all()
    if role == Role.BASE_OFFICER:
        return Base.objects.filter(pk=user.profile.base_id)
    if role == Role.EXPERT:
        # The bases of the expert's published panels, less those the expert declared a
        # conflict with; organisers see no base data.
        from mieval.panels.models import ConflictDeclaration, PanelBase

        held = PanelBase.objects.filter(
            panel__panel_set__state="published", panel__members__expert__user=user
        ).values("base_id")
        declared = ConflictDeclaration.objects.filter(expert__user=user).values("base_id")
        return Base.objects.filter(pk__in=held).exclude(pk__in=declared)
    return Base.objects.none()


def can_view_base(user, base: Base) -> bool:
    return bases_visible(user).filter(pk=base.pk).exists()


def can_edit_values(user, base: Base, campaign=None) -> bool:
    """Analysts edit any base's values; a base officer only the own base's, and, in a campaign,
    only while its submission is a draft or returned (not while the office reviews it).
    Approved data is locked for everyone: the services refuse it whoever asks."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    if role != Role.BASE_OFFICER or user.profile.base_id != base.pk:
        return False
    if campaign is None:
        return True
    from mieval.collection.models import Submission

    submission = Submission.objects.filter(campaign=campaign, base=base).first()
    return submission is None or submission.is_editable_by_base()


def can_edit_some_values(user) -> bool:
    """Whether the role edits values at all (of some base); :func:`can_edit_values` says which.

    Lets a page or endpoint refuse a role that never edits (403) before looking up the base,
    whose absence from :func:`bases_visible` is answered with 404.
    """
    role = role_of(user)
    return role in MANAGER_ROLES or role == Role.BASE_OFFICER


# --- the review of submitted data ------------------------------------------------------------


def can_review(user) -> bool:
    """The evaluation office reviews data: submissions, queries, evidence, audit, rules."""
    return role_of(user) in MANAGER_ROLES


def can_view_submissions(user) -> bool:
    """The submissions dashboard: the office, and viewers read-only."""
    return role_of(user) in DASHBOARD_ROLES


def can_take_part_in_review(user) -> bool:
    """Whether the role takes part in the review of a base's data at all: the office, and base
    officers for the own base (which :func:`bases_visible` decides; another base is 404).
    Viewers, experts, organisers never do (403)."""
    role = role_of(user)
    return role in MANAGER_ROLES or role == Role.BASE_OFFICER


def can_answer_query(user, query) -> bool:
    """A base officer answers the open (or answered) queries of the own base; a closed one is
    reopened only by the office (a follow-up)."""
    if role_of(user) != Role.BASE_OFFICER or user.profile.base_id != query.base_id:
        return False
    from mieval.collection.models import Query

    return query.status != Query.Status.CLOSED


def can_upload_evidence(user, base: Base) -> bool:
    """The office for any base, a base officer for the own base."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    return role == Role.BASE_OFFICER and user.profile.base_id == base.pk


# --- expert panels ----------------------------------------------------------------------------


def can_form_panels(user) -> bool:
    """The office keeps the roster as a whole, forms and publishes panels, reads the results."""
    return role_of(user) in MANAGER_ROLES


def can_keep_roster(user, organisation) -> bool:
    """The office for every organisation; an organiser for the own one only."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    return role == Role.ORGANISER and user.profile.organisation_id == organisation.pk


def can_keep_some_roster(user) -> bool:
    role = role_of(user)
    return role in MANAGER_ROLES or role == Role.ORGANISER


def is_expert(user) -> bool:
    """Whether the user takes part in scoring at all (403 otherwise); which bases is
    :func:`can_score`'s question (404 otherwise)."""
    return role_of(user) == Role.EXPERT and hasattr(user, "expert")


def bases_to_score(user, campaign) -> QuerySet[Base]:
    """The bases of the expert's published panel in the campaign, less declared conflicts."""
    if not is_expert(user):
        return Base.objects.none()
    from mieval.panels.models import ConflictDeclaration, PanelBase

    held = PanelBase.objects.filter(
        panel__panel_set__campaign=campaign,
        panel__panel_set__state="published",
        panel__members__expert__user=user,
    ).values("base_id")
    declared = ConflictDeclaration.objects.filter(expert__user=user).values("base_id")
    return Base.objects.filter(pk__in=held).exclude(pk__in=declared)


def can_score(user, base: Base, campaign) -> bool:
    return bases_to_score(user, campaign).filter(pk=base.pk).exists()


# --- reports ----------------------------------------------------------------------------------


def can_publish_reports(user) -> bool:
    """Publish snapshots, edit the narrative, start the profiles job: analysts."""
    return role_of(user) in MANAGER_ROLES


def can_read_reports(user) -> bool:
    """Read and download published reports and every base's profile."""
    return role_of(user) in DASHBOARD_ROLES


def can_open_reports_page(user) -> bool:
    """The campaign's reports page: readers, and base officers (for the own base's profile)."""
    return can_read_reports(user) or role_of(user) == Role.BASE_OFFICER


def can_download_profile(user, base: Base) -> bool:
    """A base's profile: readers of reports, or the officer of that base."""
    if can_read_reports(user):
        return True
    return role_of(user) == Role.BASE_OFFICER and user.profile.base_id == base.pk
