"""Generate the demo campaign's feedback letters (反馈意见书, ``bin/demo``).

The office first accepts the submitted panel opinions on the bases with confirmed problems (the
demo officers' bases among them, so that their officers find a letter with problems), then
generates a Chinese letter for every base with an accepted opinion, from its opinion, grade and
confirmed problems, and sends the letters of the bases with problems and every other one of
the rest, so that the office's list shows letters in both states. Run it after the problems and
the published snapshot, whose content hash the letters keep. Idempotent: a campaign that has
letters is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.collection.models import Campaign
from mieval.rectification.models import EvaluationProblem, FeedbackLetter
from mieval.rectification.services import letter_send, letters_generate
from mieval.visits.models import Opinion
from mieval.visits.services import opinion_accept


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
        with_problems = set(
            EvaluationProblem.objects.filter(campaign=campaign)
            .confirmed()
            .values_list("base_id", flat=True)
        )
        for opinion in Opinion.objects.filter(
            campaign=campaign, state=Opinion.State.SUBMITTED, base_id__in=with_problems
        ).order_by("base__code"):
            opinion_accept(opinion=opinion, user=None, note="同意专家组意见。")
        made = letters_generate(campaign=campaign, user=None)
        rest = [letter for letter in made if letter.base_id not in with_problems]
        to_send = [letter for letter in made if letter.base_id in with_problems] + rest[::2]
        for letter in to_send:
            letter_send(letter=letter, user=None)
        self.stdout.write(
            f"{campaign.code}: feedback letters generated {len(made)}, sent {len(to_send)}"
        )
