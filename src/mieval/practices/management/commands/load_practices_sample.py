"""Load the demo reforms, cases and people into a campaign (idempotent: an item already there,
by base and title or name, is left alone)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.collection.models import Campaign
from mieval.demo.practices import sample_practices
from mieval.practices.models import Nomination, PolicyArea, Reform, ReformLink
from mieval.practices.services import (
    consent_record,
    link_decide,
    links_suggest,
    nomination_create,
    nomination_decide,
    reform_classify,
    reform_report,
)


class Command(BaseCommand):
    help = "Load the demo reform measures, typical cases and exemplary people into a campaign."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="the campaign's code, e.g. demo")
        parser.add_argument("--seed", type=int, default=0)

    @transaction.atomic
    def handle(self, *args, campaign, seed, **options):
        try:
            campaign = Campaign.objects.get(code=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"no campaign '{campaign}'") from None
        bases = {b.code: b for b in campaign.bases.select_related("subcategory")}
        if len(bases) < 30:
            raise CommandError(
                f"campaign '{campaign.code}' has {len(bases)} bases; at least 30 needed"
            )
        import pandas as pd

        # The bases' categories and batches: a measure comes from a base of a fitting
        # category, dated in a year the base was a base.
        frame = pd.DataFrame(
            [
                {"code": code, "category": base.subcategory.category_id, "batch": base.batch}
                for code, base in sorted(bases.items())
            ],
            columns=["code", "category", "batch"],
        )
        reforms, nominations = sample_practices(frame, seed)
        areas = {a.code: a for a in PolicyArea.objects.all()}
        added_reforms = added_nominations = 0
        for row in reforms.itertuples(index=False):
            base = bases[row.base_code]
            if Reform.objects.filter(campaign=campaign, base=base, title=row.title).exists():
                continue
            reform = reform_report(
                campaign=campaign,
                base=base,
                title=row.title,
                description=row.description,
                language=row.language,
                title_other=row.title_other,
                description_other=row.description_other,
                introduced_on=row.introduced_on,
                area_reported=areas[row.area],
                scope=row.scope,
            )
            added_reforms += 1
            if row.classified:
                reform_classify(reform=reform, area=areas[row.classified_area], note="演示数据")
        for row in nominations.itertuples(index=False):
            base = bases[row.base_code]
            if Nomination.objects.filter(campaign=campaign, base=base, name=row.name).exists():
                continue
            nomination = nomination_create(
                campaign=campaign,
                base=base,
                kind=row.kind,
                subkind=row.subkind,
                name=row.name,
                story=row.story,
                language=row.language,
                name_other=row.name_other,
                story_other=row.story_other,
                year=int(row.year),
                contact_phone=row.contact_phone,
                contact_email=row.contact_email,
                organisation_title=row.organisation_title,
            )
            added_nominations += 1
            if row.consent:
                consent_record(nomination=nomination, statement="本人（本单位）同意公开发布。")
            if row.status != "nominated":
                nomination_decide(nomination=nomination, status=row.status, reason=row.reason)
        if added_reforms:
            links_suggest(campaign=campaign)
            # The demo confirms the first half of the suggestions, leaves the rest to review.
            suggested = list(
                ReformLink.objects.filter(
                    reform_a__campaign=campaign, status=ReformLink.Status.SUGGESTED
                )
            )
            for link in suggested[: len(suggested) // 2]:
                link_decide(link=link, confirm=True)
        self.stdout.write(
            f"practices: {added_reforms} reform measures, {added_nominations} nominations "
            f"loaded into '{campaign.code}'"
        )
