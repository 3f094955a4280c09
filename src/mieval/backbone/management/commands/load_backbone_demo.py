"""Load the demo campaign's grassroots operational backbone: the operational members of its
published panels and its site visits' contacts (:func:`~mieval.backbone.services.backbone_import`),
and one nomination each from the first three bases (by code), recorded by the office as the
bases sent them. Deterministic and idempotent: a campaign with a backbone is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.backbone.models import BackboneMember
from mieval.backbone.services import backbone_import, member_record
from mieval.collection.models import Campaign

#: (name, position, phone) of the nominated people, one per base in code order.
NOMINEES = (
    ("王丽", "科普部主任", "010-6500-0001"),
    ("陈刚", "运营专员", "010-6500-0002"),
    ("刘洋", "综合办公室副主任", "010-6500-0003"),
)


class Command(BaseCommand):
    help = "Load the demo backbone: imported from panels and visits, plus a few nominations."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", default="demo", help="campaign code (default: demo)")

    @transaction.atomic
    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign '{options['campaign']}'; import it first")
        if BackboneMember.objects.filter(campaign=campaign).exists():
            self.stdout.write("backbone: already loaded")
            return
        imported = backbone_import(campaign=campaign, user=None)
        bases = list(campaign.bases.order_by("code")[: len(NOMINEES)])
        for base, (name, position, phone) in zip(bases, NOMINEES, strict=False):
            member_record(
                campaign=campaign,
                name=name,
                role=BackboneMember.Role.NOMINATED,
                base=base,
                position=position,
                phone=phone,
                notes=f"由{base.name_zh}推荐。",
                user=None,
            )
        self.stdout.write(
            f"backbone: {imported.panel_members} panel members, "
            f"{imported.visit_contacts} visit contacts, {len(bases)} nominations"
        )
