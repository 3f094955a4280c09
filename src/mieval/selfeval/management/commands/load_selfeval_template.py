"""Load the shipped self-evaluation template (five sections) into a campaign; a campaign
that has a template already keeps it."""

from django.core.management.base import BaseCommand, CommandError

from mieval.collection.models import Campaign
from mieval.selfeval.services import template_default_load


class Command(BaseCommand):
    help = "Load the default self-evaluation template into a campaign (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="the campaign's code, e.g. demo")

    def handle(self, *args, campaign, **options):
        try:
            campaign = Campaign.objects.get(code=campaign)
        except Campaign.DoesNotExist:
            raise CommandError(f"no campaign '{campaign}'") from None
        template = template_default_load(campaign=campaign)
        self.stdout.write(
            f"campaign '{campaign.code}': self-evaluation template version {template.version}, "
            f"{template.sections.count()} sections"
        )
