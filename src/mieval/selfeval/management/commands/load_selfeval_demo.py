# ruff: noqa: E501 -- the demo texts are data, one sentence a line.
"""Load demo self-evaluation reports into a campaign: the default template, then one report
per base written from its own data (``mieval.demo.selfeval``), taken through the services to
its state (submitted, returned with comments, accepted, some after one return), so that the
history is the real one. Idempotent: a base that has a report is left alone."""

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.collection.models import Campaign, Value
from mieval.demo.selfeval import sample_self_evaluations
from mieval.selfeval.models import SelfEvaluation
from mieval.selfeval.services import (
    report_accept,
    report_return,
    report_save,
    report_submit,
    template_default_load,
)

ACCEPT_NOTE = {
    "zh": "材料齐全，内容翔实，予以通过。",
    "en": "Complete and well documented; accepted.",
}
FIX_NOTE = {
    "zh": "经与填报数据逐项核对，已更正相关数据并补充了问题分析。",
    "en": "Checked item by item against the reported data; figures corrected and the analysis of problems extended.",
}


class Command(BaseCommand):
    help = "Load demo self-evaluation reports (自评报告) into a campaign."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="the campaign's code, e.g. demo")
        parser.add_argument("--seed", type=int, default=0)

    @transaction.atomic
    def handle(self, *args, campaign, seed, **options):
        try:
            campaign = Campaign.objects.get(code=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"no campaign '{campaign}'") from None
        template_default_load(campaign=campaign)
        bases = {b.code: b for b in campaign.bases.select_related("subcategory__category")}
        if not bases:
            raise CommandError(f"campaign '{campaign.code}' has no bases")
        frame = pd.DataFrame(
            [
                {
                    "code": b.code,
                    "name_zh": b.name_zh,
                    "name_en": b.name_en,
                    "category": b.subcategory.category.code,
                }
                for b in bases.values()
            ]
        )
        values = pd.DataFrame(
            list(
                Value.objects.filter(campaign=campaign).values_list(
                    "base__code", "indicator__code", "year", "value"
                )
            ),
            columns=["base_code", "indicator_code", "year", "value"],
        ).astype({"value": float})
        done = set(
            SelfEvaluation.objects.filter(campaign=campaign).values_list("base__code", flat=True)
        )
        added = 0
        for demo in sample_self_evaluations(frame, values, seed):
            if demo.base_code in done:
                continue
            self._load(campaign, bases[demo.base_code], demo)
            added += 1
        counts = {
            state: SelfEvaluation.objects.filter(campaign=campaign, state=state).count()
            for state in SelfEvaluation.State.values
        }
        self.stdout.write(
            f"campaign '{campaign.code}': {added} self-evaluation reports added; "
            + ", ".join(f"{n} {state}" for state, n in counts.items())
        )

    def _load(self, campaign, base, demo):
        texts = dict(demo.texts)
        if demo.returned_once:
            # The first version the office returned: the problems not yet analysed.
            first = dict(texts, problems=texts["problems"].split("二是")[0])
            report = report_save(campaign=campaign, base=base, texts=first, expected_version=0)
            report = report_submit(report=report, expected_version=report.version)
            report = report_return(
                report=report, expected_version=report.version, comment=demo.comment
            )
            texts["problems"] = texts["problems"] + (
                FIX_NOTE[demo.language] if demo.language == "zh" else " " + FIX_NOTE["en"]
            )
            report = report_save(
                campaign=campaign, base=base, texts=texts, expected_version=report.version
            )
        else:
            report = report_save(campaign=campaign, base=base, texts=texts, expected_version=0)
        if demo.state == "draft":
            return
        report = report_submit(report=report, expected_version=report.version)
        if demo.state == "returned":
            report_return(
                report=report,
                expected_version=report.version,
                comment=demo.comment,
                section_comments=demo.section_comments,
            )
        elif demo.state == "accepted":
            report_accept(
                report=report, expected_version=report.version, comment=ACCEPT_NOTE[demo.language]
            )
