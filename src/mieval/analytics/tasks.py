"""Background jobs of the analytics app (registered with ``mieval.jobs``)."""

import pandas as pd
from django.utils.translation import gettext as _

from mieval.analytics.models import IndexFramework
from mieval.analytics.services import index_run_store, index_run_url
from mieval.collection.models import Campaign
from mieval.collection.selectors import campaign_bases_frame, campaign_values_frame
from mieval.core.index.run import index_run_compute
from mieval.jobs.registry import job

STEP_MESSAGES = {
    "build": lambda: _("Building the index"),
    "monte_carlo": lambda: _("Monte Carlo runs"),
    "sensitivity": lambda: _("Sensitivity analysis"),
    "audit": lambda: _("Statistical audit"),
    "store": lambda: _("Storing the results"),
}


def _int(value):
    return None if pd.isna(value) else int(value)


def _float(value):
    return None if pd.isna(value) else float(value)


@job("index_run")
def index_run(params: dict, progress) -> dict:
    campaign = Campaign.objects.get(code=params["campaign"])
    framework = IndexFramework.objects.get(pk=params["framework"])
    year = int(params["year"])
    bases = campaign_bases_frame(campaign)
    bases = bases.loc[bases["category"] == framework.category_id] if len(bases) else bases
    if bases.empty:
        raise ValueError(
            f"campaign '{campaign.code}' has no base of the category '{framework.category_id}'"
        )
    result = index_run_compute(
        campaign_values_frame(campaign),
        bases,
        framework.parsed(),
        year=year,
        runs=int(params.get("runs", 0)),
        noise=float(params.get("noise", 0.0)),
        seed=int(params.get("seed", 0)),
        sensitivity=bool(params.get("sensitivity", False)),
        alt_aggregation=bool(params.get("alt_aggregation", False)),
        progress=lambda fraction, step: progress(fraction, str(STEP_MESSAGES[step]())),
    )
    base_ids = dict(campaign.bases.values_list("code", "pk"))
    scores = [
        {
            "base_id": base_ids[row.unit],
            "code": row.code,
            "level": int(row.level),
            "score": _float(row.score),
            "rank": _int(row.rank),
            "group_rank": _int(row.group_rank),
            "group_size": _int(row.group_size),
            "median_rank": _float(row.median_rank),
            "q05": _float(row.q05),
            "q95": _float(row.q95),
        }
        for row in result.scores.itertuples(index=False)
    ]
    # The worker hands the job row along with ``progress``; absent when called directly.
    job_row = getattr(progress, "job", None)
    run = index_run_store(
        campaign=campaign,
        framework=framework,
        year=year,
        params={k: v for k, v in params.items() if k not in ("campaign", "framework", "year")},
        job=job_row,
        user=job_row.created_by if job_row is not None else None,
        computed={
            "input_hash": result.input_hash,
            "inputs": result.inputs,
            "normalised": result.normalised,
            "dimensions": result.dimensions,
            "weights": result.weights,
            "sensitivity": result.sensitivity,
            "audit": result.audit,
        },
        scores=scores,
    )
    return {"run": run.pk, "url": index_run_url(run)}
