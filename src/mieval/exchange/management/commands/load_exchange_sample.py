"""Load the demo needs and offers (``demo.exchange.sample_posts``) for a campaign's bases,
with a demo contact for every base of the campaign (so that any demo officer can ask for a
contact at once) and a few contact requests in every status. Loading twice
changes nothing: posts are keyed by their sample id, and nothing a person changed is
overwritten."""

from datetime import timedelta

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mieval.cli.common import bounded_int
from mieval.collection.models import Campaign
from mieval.core.limits import SEED_MAX
from mieval.demo.exchange import SAMPLE_AS_OF, sample_posts
from mieval.exchange import selectors, services
from mieval.exchange.models import ContactRequest, ExchangeContact, Post

#: Demo requests: for the first needs (by sample id), their best offer, left in these statuses.
DEMO_REQUEST_STATUSES = (
    ContactRequest.Status.PROPOSED,
    ContactRequest.Status.CONTACTED,
    ContactRequest.Status.AGREED,
    ContactRequest.Status.DONE,
    ContactRequest.Status.DECLINED,
    ContactRequest.Status.PROPOSED,
)
_PATH = {
    ContactRequest.Status.PROPOSED: (),
    ContactRequest.Status.CONTACTED: (ContactRequest.Status.CONTACTED,),
    ContactRequest.Status.AGREED: (ContactRequest.Status.CONTACTED, ContactRequest.Status.AGREED),
    ContactRequest.Status.DONE: (
        ContactRequest.Status.CONTACTED,
        ContactRequest.Status.AGREED,
        ContactRequest.Status.DONE,
    ),
    ContactRequest.Status.DECLINED: (ContactRequest.Status.DECLINED,),
}


class Command(BaseCommand):
    help = "Load the exchange's demo needs and offers for a campaign's bases (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="campaign code, e.g. demo")
        parser.add_argument(
            "--seed",
            type=bounded_int(0, SEED_MAX),
            default=0,
            help=f"random seed, 0 to {SEED_MAX} (default 0)",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"--campaign: no campaign '{options['campaign']}'")
        bases = {b.code: b for b in campaign.bases.order_by("code")}
        frame = pd.DataFrame(
            [(code, b.province_id) for code, b in bases.items()], columns=["code", "province"]
        )
        try:
            posts = sample_posts(frame, options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        # The sample's "today" becomes the day of loading, so the demo stays current.
        shift = timezone.localdate() - SAMPLE_AS_OF
        existing = set(
            Post.objects.filter(sample_key__in=posts["post_id"]).values_list(
                "sample_key", flat=True
            )
        )
        created = 0
        for row in posts.itertuples(index=False):
            if row.post_id in existing:
                continue
            services.post_create(
                base=bases[row.base_code],
                user=None,
                data={
                    "kind": row.kind,
                    "category": row.category,
                    "title": row.title,
                    "text": row.text,
                    "language": row.language,
                    "tags": list(row.tags),
                    "preferred_regions": list(row.preferred_regions),
                    "expires": row.expires + timedelta(days=shift.days),
                },
                sample_key=row.post_id,
            )
            created += 1
        contacts = 0
        with_contact = set(ExchangeContact.objects.values_list("base__code", flat=True))
        for code in sorted(set(bases) - with_contact):
            services.contact_save(
                base=bases[code],
                user=None,
                person=f"演示联系人 Demo contact {code}",
                email=f"exchange-{code.lower()}@example.org",
                phone="010-00000000",
            )
            contacts += 1
        requests = self._demo_requests()
        self.stdout.write(
            f"Exchange: {created} posts, {contacts} contacts, {requests} contact requests added"
            f" for campaign '{campaign.code}' ({len(posts) - created} posts were there already)."
        )

    def _demo_requests(self) -> int:
        today = timezone.localdate()
        needs = list(
            Post.objects.active(today)
            .filter(kind=Post.Kind.NEED)
            .exclude(sample_key="")
            .order_by("sample_key")[: len(DEMO_REQUEST_STATUSES)]
        )
        added = 0
        for need, status in zip(needs, DEMO_REQUEST_STATUSES, strict=False):
            if ContactRequest.objects.filter(need=need).exists():
                continue
            found = selectors.post_suggestions(need, as_of=today, k=1)
            if not found:
                continue
            request = services.contact_request_create(
                base=need.base, my_post=need, other_post=found[0].other, user=None, as_of=today
            )
            for step in _PATH[status]:
                request = services.contact_request_step(
                    request=request,
                    base=request.responding_base,
                    user=None,
                    to_status=step,
                )
            added += 1
        return added
