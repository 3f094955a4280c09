"""Queue an index run of every index framework (its newest version) over a campaign's bases of
the framework's category, for each year of the campaign: what an analyst does on the index page,
for all frameworks at once (the demo uses it). The runs are jobs: ``run_jobs`` computes them.
A framework version and year that already has a run, or a queued or running job, is skipped.
"""

from django.core.management.base import BaseCommand, CommandError

from mieval.analytics.models import IndexFramework, IndexRun
from mieval.analytics.services import index_run_request
from mieval.cli.common import bounded_float, bounded_int
from mieval.collection.models import Campaign
from mieval.core.limits import NOISE_MAX, RUNS_MAX, SEED_MAX
from mieval.jobs.models import Job


class Command(BaseCommand):
    help = "Queue index runs of every index framework for each year of a campaign."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="campaign code")
        parser.add_argument(
            "--runs",
            type=bounded_int(0, RUNS_MAX),
            default=500,
            help=f"Monte Carlo runs, 0 (none) to {RUNS_MAX}",
        )
        parser.add_argument(
            "--noise",
            type=bounded_float(0, NOISE_MAX),
            default=0.25,
            help=f"weight noise, 0 to {NOISE_MAX:g}",
        )
        parser.add_argument(
            "--seed", type=bounded_int(0, SEED_MAX), default=0, help=f"0 to {SEED_MAX}"
        )
        parser.add_argument(
            "--sensitivity",
            action="store_true",
            help="sensitivity indices in the last year's runs (slower)",
        )

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign '{options['campaign']}'")
        categories = set(campaign.bases.values_list("subcategory__category", flat=True))
        newest: dict[str, IndexFramework] = {}
        for framework in IndexFramework.objects.filter(category__in=categories).order_by(
            "code", "version"
        ):
            newest[framework.code] = framework
        pending = {
            (job.params.get("framework"), job.params.get("year"))
            for job in Job.objects.filter(
                kind="index_run", state__in=["queued", "running"], params__campaign=campaign.code
            )
        }
        queued = 0
        for framework in newest.values():
            for year in range(campaign.first_year, campaign.last_year + 1):
                done = IndexRun.objects.filter(
                    campaign=campaign, framework=framework, year=year
                ).exists()
                if done or (framework.pk, year) in pending:
                    continue
                index_run_request(
                    campaign=campaign,
                    framework=framework,
                    year=year,
                    params={
                        "runs": options["runs"],
                        "noise": options["noise"],
                        "seed": options["seed"],
                        "alt_aggregation": False,
                        "sensitivity": options["sensitivity"] and year == campaign.last_year,
                    },
                    user=None,
                )
                queued += 1
        self.stdout.write(f"{queued} index runs queued for campaign '{campaign.code}'")
