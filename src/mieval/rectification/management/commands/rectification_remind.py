"""E-mail the officers of bases whose rectification is overdue (``manage.py rectification_remind``).

Meant for a daily cron job: a rectification is reminded at most once a day, so a second run on
the same day sends nothing. The mail leaves after the transaction commits.
"""

from django.core.management.base import BaseCommand, CommandError

from mieval.collection.models import Campaign
from mieval.rectification.services import rectification_reminders_send


class Command(BaseCommand):
    help = "E-mail the base officers of overdue rectification items, once a day."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="the campaign's code (default: every campaign)")

    def handle(self, *args, **options):
        campaign = None
        if options["campaign"]:
            campaign = Campaign.objects.filter(code=options["campaign"]).first()
            if campaign is None:
                raise CommandError(f"no campaign '{options['campaign']}'")
        done = rectification_reminders_send(campaign=campaign)
        for problem_id, base_code, recipients in done.sent:
            self.stdout.write(f"problem {problem_id} ({base_code}): {', '.join(recipients)}")
        self.stdout.write(
            f"{len(done.sent)} reminded, {len(done.already)} already reminded today, "
            f"{len(done.without_email)} without an e-mail address"
        )
