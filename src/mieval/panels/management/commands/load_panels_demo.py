"""Load the demo campaign's expert evaluation: the roster written by ``mieval sample``, the demo
rubric, panels formed by the optimiser and published, drawn scores of every expert but the
demo login's (``demo_expert``), who has bases left to score, and the grading settings.
Idempotent: a step already done (rubric, published panels, scores, settings) is left as it is.

The demo's grading weighs the expert score 0.7 and the composite index score 0.3, with the
thresholds 70 (excellent), 60 (good) and 50 (qualified): the demo index is min-max normalised
within each category (a median near 20 of 100), so the defaults (0.5 each; 90, 80, 60) would
leave most demo bases unqualified.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mieval.cli.common import bounded_float, bounded_int
from mieval.collection.models import Campaign
from mieval.core.panels.optimiser import CONFIG_MAXIMA, PanelConfig
from mieval.demo.panels import DEMO_RUBRIC, sample_scores
from mieval.panels.models import EvaluationSettings, Rubric, Score
from mieval.panels.selectors import demo_expert, panel_assignments, panel_set_published
from mieval.panels.services import (
    evaluation_settings_save,
    panels_propose,
    panels_publish,
    roster_import,
    rubric_create,
    scores_record,
)


class Command(BaseCommand):
    help = "Load the demo roster, rubric, published panels and sample scores into a campaign."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", default="demo", help="campaign code (default: demo)")
        parser.add_argument(
            "--dir",
            required=True,
            help="folder of mieval sample's organisations/experts/conflicts.csv",
        )
        parser.add_argument(
            "--time-limit",
            type=bounded_float(1, CONFIG_MAXIMA["time_limit"]),
            default=20.0,
            help=f"solver seconds, 1 to {CONFIG_MAXIMA['time_limit']}",
        )
        parser.add_argument(
            "--seed",
            type=bounded_int(0, CONFIG_MAXIMA["seed"]),
            default=0,
            help=f"0 to {CONFIG_MAXIMA['seed']}",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign '{options['campaign']}'; import it first")
        folder = Path(options["dir"])
        roster = roster_import(
            organisations_path=folder / "organisations.csv",
            experts_path=folder / "experts.csv",
            conflicts_path=folder / "conflicts.csv",
        )
        self.stdout.write(
            f"roster: {roster.organisations} organisations, {roster.experts} experts, "
            f"{roster.conflicts} new declared conflicts"
        )
        if not Rubric.objects.filter(campaign=campaign).exists():
            rubric_create(campaign=campaign, criteria=DEMO_RUBRIC)
        panel_set = panel_set_published(campaign)
        if panel_set is None:
            config = PanelConfig(time_limit=options["time_limit"], seed=options["seed"])
            panel_set = panels_publish(
                panel_set=panels_propose(campaign=campaign, config=config, user=None)
            )
        self.stdout.write(
            f"panels: {panel_set.panels.count()} published ({panel_set.status}, "
            f"objective {panel_set.objective}, bound {panel_set.bound})"
        )
        if not EvaluationSettings.objects.filter(campaign=campaign).exists():
            evaluation_settings_save(
                campaign=campaign,
                data={
                    "expert_weight": Decimal("0.7"),
                    "index_weight": Decimal("0.3"),
                    "excellent": Decimal(70),
                    "good": Decimal(60),
                    "qualified": Decimal(50),
                    "scoring_deadline": timezone.now() + timedelta(days=30),
                },
                user=None,
            )
        if Score.objects.filter(campaign=campaign).exists():
            return
        keep_free = demo_expert(campaign)
        assignments = panel_assignments(panel_set)
        assignments = assignments[assignments["expert_code"] != keep_free.code]
        rubric = Rubric.objects.filter(campaign=campaign).order_by("-version").first()
        criteria = pd.DataFrame(
            list(rubric.criteria.order_by("order").values("code", "scale_min", "scale_max"))
        )
        recorded = scores_record(
            campaign=campaign, scores=sample_scores(assignments, criteria, options["seed"])
        )
        self.stdout.write(f"scores: {recorded} recorded; {keep_free.code} left to score")
