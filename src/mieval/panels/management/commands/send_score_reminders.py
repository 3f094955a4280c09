"""Email the experts who still have bases to score (``manage.py send_score_reminders``).

Meant for a daily cron job before the scoring deadline: ``--within DAYS`` reminds only when the
deadline is that close. A campaign whose deadline has passed, or without a published set of
panels, is skipped with a message.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mieval.cli.common import bounded_int
from mieval.collection.models import Campaign
from mieval.core.limits import REMINDER_DAYS_MAX
from mieval.panels.selectors import evaluation_settings
from mieval.panels.services import score_reminders_send


class Command(BaseCommand):
    help = "Email the experts with unscored bases in the published panels, before the deadline."

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign", help="the campaign's code (default: every campaign with panels)"
        )
        parser.add_argument(
            "--within",
            type=bounded_int(0, REMINDER_DAYS_MAX),
            metavar="DAYS",
            help="remind only when the scoring deadline is at most this many days away "
            f"(0 to {REMINDER_DAYS_MAX})",
        )

    def handle(self, *args, **options):
        campaigns = Campaign.objects.filter(panel_sets__state="published").distinct()
        if options["campaign"]:
            campaigns = Campaign.objects.filter(code=options["campaign"])
            if not campaigns.exists():
                raise CommandError(f"no campaign '{options['campaign']}'")
        now = timezone.now()
        for campaign in campaigns.order_by("code"):
            deadline = evaluation_settings(campaign).scoring_deadline
            within = options["within"]
            if within is not None and (deadline is None or deadline - now > timedelta(days=within)):
                self.stderr.write(f"{campaign.code}: the deadline is not within {within} days")
                continue
            try:
                done = score_reminders_send(campaign=campaign, now=now)
            except ValidationError as error:
                self.stderr.write(f"{campaign.code}: {' '.join(error.messages)}")
                continue
            self.stdout.write(
                f"{campaign.code}: {len(done.sent)} reminded"
                + (f"; no email for {', '.join(done.without_email)}" if done.without_email else "")
            )
