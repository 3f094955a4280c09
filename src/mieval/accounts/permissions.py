"""Who may see and do what. The pages and the API ask these functions and nothing else.

Two kinds of refusal: a role that may not use a page at all gets 403; an object outside what
the user may see (another base's data) is looked up in :func:`bases_visible` and so is simply
not found (404), which does not reveal whether it exists.
"""

from django.db import models
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


def can_unlock_logins(user) -> bool:
    """The office lifts login lockouts (and sees which names and addresses are locked)."""
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


def can_confirm_expert_logins(user) -> bool:
    """Who signs in as an expert is the office's decision: an organiser asks for an expert's
    login, the office confirms it (and is the only one to see whether the account exists)."""
    return role_of(user) in MANAGER_ROLES


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


# --- the exchange of needs and offers ---------------------------------------------------------

#: Roles that read the exchange: base officers and organisers (for their service provider)
#: take part, the office and viewers read it.
EXCHANGE_ROLES = frozenset(
    {Role.ADMIN, Role.ANALYST, Role.BASE_OFFICER, Role.ORGANISER, Role.VIEWER}
)
#: Roles that act for a party of the exchange: a base officer for the base, an organiser for
#: the organisation (a service provider).
EXCHANGE_PARTY_ROLES = frozenset({Role.BASE_OFFICER, Role.ORGANISER})


def can_use_exchange(user) -> bool:
    """Whether the role opens the exchange at all (403 otherwise): experts do not."""
    return role_of(user) in EXCHANGE_ROLES


def exchange_base_of(user):
    """The base a user acts for in the exchange: a base officer's own base, else None."""
    if role_of(user) == Role.BASE_OFFICER:
        return user.profile.base
    return None


def exchange_party_of(user):
    """The party a user acts for in the exchange: a base officer's base, an organiser's
    organisation (a service provider), else None."""
    role = role_of(user)
    if role == Role.BASE_OFFICER:
        return user.profile.base
    if role == Role.ORGANISER:
        return user.profile.organisation
    return None


def exchange_party_kwargs(user) -> dict:
    """``{"base": ...}`` or ``{"organisation": ...}`` for the exchange's services."""
    party = exchange_party_of(user)
    return {"organisation" if role_of(user) == Role.ORGANISER else "base": party}


def _party_filter(user, prefix: str = "") -> models.Q:
    if role_of(user) == Role.ORGANISER:
        return models.Q(**{f"{prefix}organisation_id": user.profile.organisation_id})
    return models.Q(**{f"{prefix}base_id": user.profile.base_id})


def can_post_exchange(user, owner) -> bool:
    """Only a party's own people post, edit and close its needs and offers, keep its contact
    details, ask for or answer contact and report outcomes: a base's officers, an
    organisation's organisers. The office reads everything but acts for no party."""
    party = exchange_party_of(user)
    return (
        party is not None
        and owner is not None
        and party._meta.model_name == owner._meta.model_name
        and party.pk == owner.pk
    )


def can_post_some_exchange(user) -> bool:
    return role_of(user) in EXCHANGE_PARTY_ROLES


def exchange_posts_visible(user, as_of):
    """The posts a user may read: every open, unexpired post for whoever uses the exchange;
    closed and expired posts only for their own party and for the office."""
    from mieval.exchange.models import Post

    role = role_of(user)
    if role in MANAGER_ROLES:
        return Post.objects.all()
    if role not in EXCHANGE_ROLES:
        return Post.objects.none()
    visible = Post.objects.active(as_of)
    if role in EXCHANGE_PARTY_ROLES:
        visible = visible | Post.objects.filter(_party_filter(user))
    return visible


def exchange_requests_visible(user):
    """Contact requests: the office sees all (read only); a base officer or an organiser
    those of the own party (either side); viewers none."""
    from mieval.exchange.models import ContactRequest

    role = role_of(user)
    if role in MANAGER_ROLES:
        return ContactRequest.objects.all()
    if role in EXCHANGE_PARTY_ROLES:
        return ContactRequest.objects.filter(
            _party_filter(user, "requesting_") | _party_filter(user, "responding_")
        )
    return ContactRequest.objects.none()


def can_see_exchange_contact(user, request) -> bool:
    """The other party's contact details: only to a person of one of the two parties, and
    only once both sides have accepted (the request is contacted, agreed or done). Not even
    the office sees them: they are shared between the two parties."""
    party = exchange_party_of(user)
    if party is None or not request.is_mutual():
        return False
    return request.side_of(party) is not None


def can_view_exchange_counts(user) -> bool:
    """The status counts of contact requests and the network figures (for the campaign
    report): the office."""
    return role_of(user) in MANAGER_ROLES


# --- reforms, typical cases and exemplary people (practices) ----------------------------------
#
# Base officers report reforms and nominate cases and people for the own base and see the own
# base's items; the office sees everything and classifies and selects; viewers see classified
# reforms and published nominations (selected, with consent) only, never personal contact data;
# experts, organisers and accounts without a role see nothing (403).


def can_browse_practices(user) -> bool:
    """The search and browse pages of reforms, cases and people."""
    role = role_of(user)
    return role in DASHBOARD_ROLES or role == Role.BASE_OFFICER


def can_report_practices(user) -> bool:
    """A base officer reports reforms and nominates cases and people (for the own base)."""
    return role_of(user) == Role.BASE_OFFICER and user.profile.base_id is not None


def can_review_practices(user) -> bool:
    """The office classifies reforms, confirms same-measure links, selects nominations."""
    return role_of(user) in MANAGER_ROLES


def reforms_visible(user):
    """The reforms the user may read."""
    from mieval.practices.models import Reform

    role = role_of(user)
    if role in MANAGER_ROLES:
        return Reform.objects.all()
    if role == Role.BASE_OFFICER:
        return Reform.objects.filter(base_id=user.profile.base_id)
    if role == Role.VIEWER:
        return Reform.objects.filter(status=Reform.Status.CLASSIFIED)
    return Reform.objects.none()


def nominations_visible(user):
    """The nominations the user may read: a viewer only published ones (selected, consented)."""
    from mieval.practices.models import Nomination

    role = role_of(user)
    if role in MANAGER_ROLES:
        return Nomination.objects.all()
    if role == Role.BASE_OFFICER:
        return Nomination.objects.filter(base_id=user.profile.base_id)
    if role == Role.VIEWER:
        return Nomination.objects.filter(
            status=Nomination.Status.SELECTED, consent_at__isnull=False
        )
    return Nomination.objects.none()


def can_see_personal_data(user, nomination) -> bool:
    """Contact details and organisation title of a nominated person: the office and the own
    base's officers only."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    return role == Role.BASE_OFFICER and user.profile.base_id == nomination.base_id


def can_record_consent(user, nomination) -> bool:
    """The own base's officers (who hold the person's consent) and the office."""
    return can_see_personal_data(user, nomination)


def can_edit_practice(user, item) -> bool:
    """The own base's officer changes a reform or nomination until the office has reviewed it."""
    if role_of(user) != Role.BASE_OFFICER or user.profile.base_id != item.base_id:
        return False
    return item.status in {"reported", "nominated"}


def can_view_practices_report(user) -> bool:
    """The campaign's evidence report (only classified reforms and published nominations)."""
    return role_of(user) in DASHBOARD_ROLES


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


# --- the problem register (问题清单) and rectification (整改) -------------------------------
#
# The office sees and decides everything; a base officer sees only the own base's confirmed
# problems (never proposed or dismissed ones) and answers them with a rectification plan; an
# expert reads the problems (proposed and confirmed) of the own panel's bases; organisers,
# viewers and accounts without a role see nothing (403).


def can_decide_problems(user) -> bool:
    """Propose, confirm and dismiss problems, verify rectification, keep the taxonomy, read
    the counts and the overdue list: the office."""
    return role_of(user) in MANAGER_ROLES


def can_view_problems(user) -> bool:
    """Whether the role reads problems at all (403 otherwise); which ones is
    :func:`problems_visible`'s answer (404 otherwise)."""
    return role_of(user) in MANAGER_ROLES or role_of(user) in {Role.BASE_OFFICER, Role.EXPERT}


def can_view_register(user) -> bool:
    """The campaign's register page: the office, and experts (their panel's bases)."""
    return role_of(user) in MANAGER_ROLES or role_of(user) == Role.EXPERT


def problems_visible(user, campaign):
    """The campaign's problems the user may read."""
    from mieval.rectification.models import EvaluationProblem

    problems = EvaluationProblem.objects.filter(campaign=campaign)
    role = role_of(user)
    if role in MANAGER_ROLES:
        return problems
    if role == Role.BASE_OFFICER:
        return problems.filter(base_id=user.profile.base_id, state="confirmed")
    if role == Role.EXPERT:
        return problems.filter(base__in=bases_to_score(user, campaign)).exclude(state="dismissed")
    return problems.none()


def can_rectify(user, problem) -> bool:
    """The own base's officers answer a confirmed problem with a plan and report progress."""
    return (
        role_of(user) == Role.BASE_OFFICER
        and user.profile.base_id == problem.base_id
        and problem.state == "confirmed"
    )


def can_view_base_rectification(user, base, campaign) -> bool:
    """A base's rectification page: the office, the base's officers, its panel's experts."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    if role == Role.BASE_OFFICER:
        return user.profile.base_id == base.pk
    return bases_to_score(user, campaign).filter(pk=base.pk).exists()


# --- self-evaluation reports (selfeval) ---------------------------------------------------------
#
# A base officer writes and reads the own base's report; an expert reads those of the own
# panel's bases (before scoring) once the base submitted them (a draft is the base's own until
# then); the office reads, reviews, searches and exports all of them. Viewers, organisers and
# accounts without a role see none (403).


def can_read_self_evaluations(user) -> bool:
    """Whether the role reads self-evaluation reports at all (403 otherwise); which bases is
    :func:`self_evaluation_bases`' question (404 otherwise)."""
    role = role_of(user)
    return role in MANAGER_ROLES or role == Role.BASE_OFFICER or is_expert(user)


def self_evaluation_bases(user, campaign) -> QuerySet[Base]:
    """The bases of the campaign whose report the user may read."""
    role = role_of(user)
    in_campaign = campaign.bases.all()
    if role in MANAGER_ROLES:
        return in_campaign
    if role == Role.BASE_OFFICER:
        return in_campaign.filter(pk=user.profile.base_id)
    if is_expert(user):
        return in_campaign.filter(pk__in=bases_to_score(user, campaign).values("pk"))
    return Base.objects.none()


def can_read_self_evaluation(user, report) -> bool:
    """Whether the user reads the text and files of ``report``, the report of one of
    :func:`self_evaluation_bases`: the office and the base's officers in every state, an expert
    once the base submitted it (as the scoring page shows it); to an expert a draft is a report
    not written yet."""
    return not is_expert(user) or report.state != "draft"


def can_write_self_evaluation(user, base: Base) -> bool:
    """Only the base's own officers write, attach evidence to and submit its report."""
    return role_of(user) == Role.BASE_OFFICER and user.profile.base_id == base.pk


def can_review_self_evaluations(user) -> bool:
    """The office returns and accepts reports, searches and exports them, keeps the template."""
    return role_of(user) in MANAGER_ROLES


# --- site visits and panel opinions (visits) --------------------------------------------------
#
# The office chooses panel leaders, plans every visit, reads every record and opinion and
# accepts or returns opinions. An expert acts only on the bases of the own published panel
# (less declared conflicts, as :func:`bases_to_score`): members record visits and answer the
# opinion; the panel's leader also plans its visits and drafts its opinions. A base officer reads
# the own base's visit date and itinerary and, once accepted, the opinion. Organisers, viewers and
# accounts without a role see nothing of it (403).


def can_use_visits(user) -> bool:
    """Whether the role opens the site-visit pages at all (403 otherwise)."""
    role = role_of(user)
    return role in MANAGER_ROLES or role == Role.BASE_OFFICER or is_expert(user)


def can_manage_visits(user) -> bool:
    """The office: chooses leaders, plans any visit, accepts or returns opinions."""
    return role_of(user) in MANAGER_ROLES


def is_panel_leader(user, panel) -> bool:
    """Whether the user is the expert the office chose to lead ``panel``."""
    if not is_expert(user):
        return False
    from mieval.visits.models import PanelLeader

    return PanelLeader.objects.filter(panel=panel, expert__user=user).exists()


def can_plan_visit(user, panel) -> bool:
    """The office for any panel; a leader for the own panel only."""
    return can_manage_visits(user) or is_panel_leader(user, panel)


def can_record_visit(user, base: Base, campaign) -> bool:
    """The leader or a member of the panel that visits the base (not the office: it was not
    there)."""
    return can_score(user, base, campaign)


def can_read_visit_record(user, base: Base, campaign) -> bool:
    return can_manage_visits(user) or can_score(user, base, campaign)


def can_draft_opinion(user, panel, base: Base, campaign) -> bool:
    """The leader of the panel that evaluates the base."""
    return is_panel_leader(user, panel) and can_score(user, base, campaign)


# --- feedback letters (反馈意见书) --------------------------------------------------------------
#
# The office generates and sends every letter and reads it at any time; a base officer reads
# and downloads the own base's letter once it was sent. Experts, organisers, viewers and accounts
# without a role never see letters (403); another base's letter, or one not sent yet, is not
# found (404).


def can_send_letters(user) -> bool:
    """Generate, regenerate and send feedback letters: the office."""
    return role_of(user) in MANAGER_ROLES


def can_read_letters(user) -> bool:
    """Whether the role reads feedback letters at all (403 otherwise)."""
    return role_of(user) in MANAGER_ROLES or role_of(user) == Role.BASE_OFFICER


def can_read_letter(user, letter) -> bool:
    """The office any letter; a base officer the own base's letter once it was sent."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    return (
        role == Role.BASE_OFFICER
        and user.profile.base_id == letter.base_id
        and letter.state == "sent"
    )


# --- a base's history across rounds -----------------------------------------------------------
# The page of a base's rounds: whoever may read the base's own data (the office, viewers, the
# base's officers; another base is not found). Its values and index ranks are for all of them;
# its grades and the panel's accepted opinion for the office, and for the base's officers once
# the round's feedback letter was sent to them; its problems as the register shows them
# (:func:`problems_visible`).


def can_read_base_judgement(user, base: Base, *, letter_sent: bool) -> bool:
    """A base's grade and the panel's accepted opinion in one round."""
    role = role_of(user)
    if role in MANAGER_ROLES:
        return True
    return role == Role.BASE_OFFICER and user.profile.base_id == base.pk and letter_sent


# --- the grassroots operational backbone (基层业务骨干) -----------------------------------------
# The office records, changes, imports and invites the people and alone reads their phone and
# e-mail; a base officer nominates the own base's staff (another base's page: 404). Experts,
# organisers, viewers and accounts without a role see none of it (403).


def can_manage_backbone(user) -> bool:
    """The office's list of the backbone, its counts, and every write but a nomination."""
    return role_of(user) in MANAGER_ROLES


def can_nominate_backbone(user) -> bool:
    """Whether the role opens a nomination page at all; which base's: :func:`bases_visible`."""
    return role_of(user) == Role.BASE_OFFICER
