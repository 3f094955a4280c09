from django.core.management.base import BaseCommand, CommandError

from mieval.collection.models import Campaign
from mieval.reports.services import snapshot_publish


class Command(BaseCommand):
    help = "Publish a snapshot of a campaign (its data and results, frozen) and print its hash."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--note", default="", help="what the snapshot is for")

    def handle(self, *args, campaign, note, **options):
        found = Campaign.objects.select_related("framework").filter(code=campaign).first()
        if found is None:
            raise CommandError(f"there is no campaign '{campaign}'")
        snapshot = snapshot_publish(campaign=found, note=note)
        self.stdout.write(f"snapshot {snapshot.sequence} of {found.code}: {snapshot.content_hash}")
