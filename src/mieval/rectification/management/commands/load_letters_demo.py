"""Generate the demo campaign's feedback letters (反馈意见书, ``bin/demo``): one in Chinese for
every base with an accepted panel opinion, from its opinion, grade and confirmed problems, and
send every other one (the first, third, ... by base code), so that the office's list shows
letters in both states and the bases' officers find theirs. Run it after the problems and the
published snapshot, whose content hash the letters keep. Idempotent: a campaign that has
letters is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.collection.models import Campaign
from mieval.rectification.models import FeedbackLetter
from mieval.rectification.services import letter_send, letters_generate


class Command(BaseCommand):
    help = "Generate (and partly send) the demo feedback letters."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", default="demo", help="campaign code (default: demo)")

    @transaction.atomic
    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign '{options['campaign']}'; import it first")
        if FeedbackLetter.objects.filter(campaign=campaign).exists():
            self.stdout.write(f"{campaign.code}: the feedback letters are already loaded")
            return
        made = letters_generate(campaign=campaign, user=None)
        sent = [letter_send(letter=letter, user=None) for letter in made[::2]]
        self.stdout.write(
            f"{campaign.code}: feedback letters generated {len(made)}, sent {len(sent)}"
        )
