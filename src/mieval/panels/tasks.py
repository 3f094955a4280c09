"""Background jobs of the expert-panel app (registered with ``mieval.jobs``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mieval.collection.models import Campaign
from mieval.core.panels.optimiser import PanelConfig, Progress
from mieval.jobs.registry import job
from mieval.panels.services import panels_propose


def progress_message(found: int, progress: Progress) -> str:
    """What the job's page shows while the optimiser runs."""
    return _(
        "Solutions found: %(found)s; objective %(objective)s, bound %(bound)s;"
        " %(seconds)s s elapsed."
    ) % {
        "found": found,
        "objective": f"{progress.objective:g}",
        "bound": f"{progress.bound:g}",
        "seconds": f"{progress.seconds:.1f}",
    }


@job("panels_form")
def panels_form_job(params: dict, progress) -> dict:
    """Form the campaign's panels with ``params["config"]`` (a :class:`PanelConfig` as a
    dict); the progress is the share of the time limit used, with the last improving
    solution's objective and bound."""
    campaign = Campaign.objects.get(code=params["campaign"])
    config = PanelConfig(**params["config"])
    found = 0

    def on_progress(p: Progress) -> None:
        nonlocal found
        found += 1
        # The optimiser may stop early (proved optimal) but never runs much past its limit.
        progress(min(0.99, p.seconds / config.time_limit), progress_message(found, p))

    progress(0.0, _("Forming the expert panels"))
    job_row = getattr(progress, "job", None)
    panel_set = panels_propose(
        campaign=campaign,
        config=config,
        user=job_row.created_by if job_row is not None else None,
        on_progress=on_progress,
    )
    url = f"{reverse('panels_formation', args=[campaign.code])}?set={panel_set.pk}"
    return {
        "panel_set": panel_set.pk,
        "status": panel_set.status,
        "objective": panel_set.objective,
        "bound": panel_set.bound,
        "solutions": found,
        "url": url,
    }
