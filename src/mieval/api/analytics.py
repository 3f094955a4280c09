"""``/campaigns/{code}/trends``: the development-trend table of a campaign;
``/programmes/{code}/trends``: the table across a programme's rounds;
``/campaigns/{code}/index-runs/{pk}/audit``: the statistical audit of an index run."""

from ninja import Query, Router
from ninja.errors import HttpError, ValidationError

from mieval.accounts.permissions import can_view_dashboards
from mieval.analytics.selectors import index_run_find
from mieval.api import selectors
from mieval.api.collection import campaign_or_404, campaign_years_check
from mieval.api.schemas import (
    Id,
    IndexAuditOut,
    RoundsTrendsOut,
    RoundsTrendsQuery,
    TrendsOut,
    TrendsQuery,
)
from mieval.core.problems import ProblemCode
from mieval.core.trends.decompose import trend_decomposition
from mieval.core.trends.table import trend_table

router = Router(tags=["analytics"])


@router.get(
    "/campaigns/{code}/trends",
    response=TrendsOut,
    # A row holds "decomposition" only when it was asked for, as in the command's document.
    exclude_unset=True,
    summary="The development-trend table of a campaign",
    description="Per indicator, group and year the statistic over the bases that reported, "
    "their count, and the average annual (compound) growth rate; the same document as "
    "'mieval trends --format json'. With decompose=true each row also holds the composition "
    "effect of every year after the first, as 'mieval trends --decompose'. For the roles that "
    "read dashboards.",
)
def trends(request, code: str, query: Query[TrendsQuery]):
    if not can_view_dashboards(request.auth):
        raise HttpError(403, "Your role does not read campaign-wide dashboards.")
    campaign = campaign_or_404(code)
    campaign_years_check(
        campaign, {("query", "from"): query.year_from, ("query", "to"): query.year_to}
    )
    year_from = campaign.first_year if query.year_from is None else query.year_from
    year_to = campaign.last_year if query.year_to is None else query.year_to
    if year_from > year_to:
        raise ValidationError(
            [
                {
                    "loc": ["query", "from"],
                    "msg": f"from {year_from} is after to {year_to}",
                    "type": ProblemCode.OUT_OF_RANGE.value,
                }
            ]
        )
    bases, values, indicators = selectors.campaign_trend_frames(campaign)
    table = trend_table(
        values,
        bases,
        indicators,
        by=query.by,
        stat=query.stat,
        year_from=year_from,
        year_to=year_to,
        balanced=query.balanced,
    )
    split = None
    if query.decompose:
        split = trend_decomposition(
            values,
            bases,
            indicators,
            by=query.by,
            year_from=year_from,
            year_to=year_to,
            balanced=query.balanced,
        )
    return table.to_json_dict(decomposition=split)


@router.get(
    "/programmes/{code}/trends",
    response=RoundsTrendsOut,
    summary="The development-trend table across the rounds of a programme",
    description="One table across the rounds' years on the newest round's framework version, "
    "older rounds' values mapped through the crosswalk; where two rounds hold a value of the "
    "same base, indicator and year, the later round's value wins. 'unmapped' lists the old "
    "indicators whose values could not be carried over; 'findings' compare the rounds. The "
    "same document as 'mieval trends --programme CODE --format json', with the findings. For "
    "the roles that read dashboards.",
)
def programme_trends(request, code: str, query: Query[RoundsTrendsQuery]):
    from mieval.collection.models import Programme
    from mieval.collection.selectors import programme_campaigns, rounds_combined
    from mieval.core.findings.rounds import rounds_findings
    from mieval.core.trends.rounds import rounds_json, rounds_trend

    if not can_view_dashboards(request.auth):
        raise HttpError(403, "Your role does not read campaign-wide dashboards.")
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise HttpError(404, f"There is no programme '{code}'.")
    campaigns = programme_campaigns(programme)
    if not campaigns:
        raise HttpError(404, f"The programme '{code}' has no campaign yet.")
    combined = rounds_combined(campaigns)
    table = rounds_trend(combined, by=query.by, stat=query.stat, balanced=query.balanced)
    findings = rounds_findings(rounds_trend(combined), combined)
    return {
        **rounds_json(table, combined),
        "findings": [{"key": f.key, "text_zh": f.text_zh, "text_en": f.text_en} for f in findings],
    }


@router.get(
    "/campaigns/{code}/index-runs/{pk}/audit",
    response=IndexAuditOut,
    # "years", "correlation_changes" and "optimised_weights" only where the run computed them,
    # as in the command's document.
    exclude_unset=True,
    summary="The statistical audit of an index run",
    description="The audit stored with the run, the document of 'mieval index --audit FILE' "
    "(DESIGN.md): correlations, Cronbach's alpha, PCA, main effects and importance shares, "
    "removal impacts and the flags of the run's year; for a run over several years of data "
    "also 'years' (every figure per year) and 'correlation_changes'. 404 for a run stored "
    "before the audit existed. For the roles that read dashboards, as the run's page.",
)
def index_run_audit(request, code: str, pk: Id):
    if not can_view_dashboards(request.auth):
        raise HttpError(403, "Your role does not read campaign-wide dashboards.")
    campaign = campaign_or_404(code)
    run = index_run_find(campaign, pk)
    if run is None:
        raise HttpError(404, f"Campaign '{code}' has no index run {pk}.")
    if not run.audit:
        raise HttpError(404, f"Index run {pk} was stored before the statistical audit existed.")
    return run.audit
