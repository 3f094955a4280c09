"""Load the demo needs and offers (``demo.exchange.sample_posts``) for a campaign's bases,
with a demo contact for every base of the campaign (so that any demo officer can ask for a
contact at once) and a few contact requests in every status; then, where the expert roster
is loaded (``load_panels_demo``), offers of service providers (the demo organiser's
organisation first, then one organisation of each kind) and their contacts with bases,
followed to outcomes in several states, both sides' reports agreeing or not. Loading twice
changes nothing: posts are keyed by their sample id, requests by their posts, and nothing a
person changed is overwritten."""

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
from mieval.exchange.models import ContactRequest, ExchangeContact, OutcomeReport, Post
from mieval.panels.models import Organisation
from mieval.panels.selectors import demo_expert

#: Demo requests: for the first needs (by sample id), their best offer, left in these statuses.
DEMO_REQUEST_STATUSES = (
    ContactRequest.Status.PROPOSED,
    ContactRequest.Status.CONTACTED,
    ContactRequest.Status.AGREED,
    ContactRequest.Status.DONE,
    ContactRequest.Status.DECLINED,
    ContactRequest.Status.PROPOSED,
)
# status -> (the asked side's step, then the outcome both sides report)
_PATH = {
    ContactRequest.Status.PROPOSED: (None, None),
    ContactRequest.Status.CONTACTED: (ContactRequest.Status.CONTACTED, None),
    ContactRequest.Status.AGREED: (ContactRequest.Status.CONTACTED, OutcomeReport.State.AGREED),
    ContactRequest.Status.DONE: (ContactRequest.Status.CONTACTED, OutcomeReport.State.DONE),
    ContactRequest.Status.DECLINED: (ContactRequest.Status.DECLINED, None),
}
_STATE = OutcomeReport.State
#: Demo offers of service providers: (key, category, language, title, text, tags), and the
#: outcome of the contact on it with a base's need: who asked (the provider or the base) and
#: what the provider and the base report (None: not yet).
PROVIDER_OFFERS = (
    ("D-P-01", "services", "zh", "科技成果转化与专利运营服务",
     "协会组织技术经纪人，为示范基地提供专利评估、许可谈判和科技成果转化对接服务。",
     ("patent", "technology_transfer"), "base", None, _STATE.AGREED),
    ("D-P-02", "talent", "en", "Mentors and training for start-up teams",
     "The society runs mentoring and entrepreneurship training for start-up teams and"
     " incubator staff, with experts from universities and industry.",
     ("mentoring", "training"), "provider", _STATE.UNDER_WAY, _STATE.UNDER_WAY),
    ("D-P-03", "services", "zh", "第三方评估与管理咨询",
     "第三方机构为示范基地和孵化载体提供运营评估、绩效诊断和管理咨询服务。",
     ("consulting", "incubation"), "base", _STATE.DONE, _STATE.DROPPED),
    ("D-P-04", "capital", "en", "Matching start-ups with investors",
     "We organise investor roadshows and match early-stage ventures with angel and venture"
     " capital funds across regions.",
     ("venture_capital", "financing"), "provider", _STATE.DONE, _STATE.DONE),
    ("D-P-05", "markets", "zh", "产学研合作与市场对接",
     "学会组织产学研合作对接会，帮助高校院所成果对接企业和市场需求。",
     ("industry_university", "markets"), "base", _STATE.DROPPED, _STATE.DROPPED),
)  # fmt: skip


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
        providers = self._providers(campaign)
        provider_posts, provider_requests = self._provider_offers(providers, shift.days)
        created += provider_posts
        requests += provider_requests
        self.stdout.write(
            f"Exchange: {created} posts, {contacts} contacts, {requests} contact requests added"
            f" for campaign '{campaign.code}' ({len(posts) - created + provider_posts} posts"
            " were there already)."
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
            step, state = _PATH[status]
            if step is not None:
                request = services.contact_request_step(
                    request=request, base=request.responding_base, user=None, to_status=step
                )
            if state is not None:
                for base in (request.requesting_base, request.responding_base):
                    services.outcome_report(
                        request=request, base=base, user=None, state=state, expected_version=0
                    )
            added += 1
        return added

    def _providers(self, campaign) -> list[Organisation]:
        """The demo organiser's organisation first, then one organisation of each kind."""
        expert = demo_expert(campaign)
        chosen = [expert.organisation] if expert is not None else []
        for kind in Organisation.Kind.values:
            other = Organisation.objects.filter(kind=kind).exclude(pk__in=[o.pk for o in chosen])
            first = other.order_by("code").first()
            if first is not None:
                chosen.append(first)
        return chosen

    def _provider_offers(self, providers, shift_days: int) -> tuple[int, int]:
        if not providers:
            return 0, 0
        today = timezone.localdate()
        posts = requests = 0
        for i, (key, category, lang, title, text, tags, asks, by_provider, by_base) in enumerate(
            PROVIDER_OFFERS
        ):
            organisation = providers[i % len(providers)]
            if not ExchangeContact.objects.filter(organisation=organisation).exists():
                services.contact_save(
                    organisation=organisation,
                    user=None,
                    person=f"演示联系人 Demo contact {organisation.code}",
                    email=f"exchange-{organisation.code.lower()}@example.org",
                    phone="010-00000000",
                )
            offer = Post.objects.filter(sample_key=key).first()
            if offer is None:
                offer = services.post_create(
                    organisation=organisation,
                    user=None,
                    data={
                        "kind": Post.Kind.OFFER,
                        "category": category,
                        "title": title,
                        "text": text,
                        "language": lang,
                        "tags": list(tags),
                        "preferred_regions": [],
                        "expires": SAMPLE_AS_OF + timedelta(days=shift_days + 180),
                    },
                    sample_key=key,
                )
                posts += 1
            if ContactRequest.objects.filter(offer=offer).exists():
                continue
            taken = ContactRequest.objects.values_list("need_id", flat=True)
            found = [
                s
                for s in selectors.post_suggestions(offer, as_of=today, k=10)
                if s.other.pk not in set(taken)
            ]
            if not found:
                continue
            need = found[0].other
            if asks == "provider":
                request = services.contact_request_create(
                    organisation=organisation, my_post=offer, other_post=need, user=None,
                    as_of=today,
                )  # fmt: skip
                request = services.contact_request_accept(
                    request=request, base=need.base, user=None
                )
            else:
                request = services.contact_request_create(
                    base=need.base, my_post=need, other_post=offer, user=None, as_of=today
                )
                request = services.contact_request_accept(
                    request=request, organisation=organisation, user=None
                )
            for party, state in (({"organisation": organisation}, by_provider),
                                 ({"base": need.base}, by_base)):  # fmt: skip
                if state is not None:
                    services.outcome_report(
                        request=request, **party, user=None, state=state, expected_version=0
                    )
            requests += 1
        return posts, requests
