"""Load the demo campaign's site visits and panel opinions: a leader for every published panel
(the proposal; panel 1 is led by the demo's expert login, so that it can draft opinions), a
visit plan for every base, records for most (some with a photo) and opinions in every state
(``mieval.demo.visits``). Idempotent: a campaign that has visits is left as it is.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mieval.collection.models import Campaign
from mieval.demo.visits import demo_photo, demo_visits
from mieval.panels.models import Expert, PanelBase
from mieval.panels.selectors import demo_expert, panel_set_published
from mieval.visits import services
from mieval.visits.models import Visit
from mieval.visits.selectors import leader_proposals, panel_members


class Command(BaseCommand):
    help = "Load demo panel leaders, site visits, visit records and panel opinions."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", default="demo", help="campaign code (default: demo)")

    @transaction.atomic
    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(code=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"no campaign '{options['campaign']}'; import it first")
        panel_set = panel_set_published(campaign)
        if panel_set is None:
            raise CommandError("the campaign has no published panels; run load_panels_demo first")
        if Visit.objects.filter(campaign=campaign).exists():
            self.stdout.write("visits: already loaded")
            return
        panels = list(panel_set.panels.order_by("number"))
        proposals = leader_proposals(campaign, panels)
        login = demo_expert(campaign)
        counts = {"records": 0, "photos": 0, "opinions": 0}
        first = 0
        for panel in panels:
            code = login.code if panel.number == 1 and login else proposals[panel.pk]
            if code is None:
                continue
            leader = Expert.objects.get(code=code)
            services.leader_set(panel=panel, expert=leader, user=None)
            members = panel_members(panel)
            held = [
                h.base
                for h in PanelBase.objects.filter(panel=panel)
                .select_related("base")
                .order_by("base__code")
            ]
            by_code = {b.code: b for b in held}
            plans = demo_visits(
                panel.number, [(b.code, b.name_zh) for b in held], campaign.last_year + 1, first
            )
            first += len(held)
            for plan in plans:
                self._load(campaign, panel, by_code[plan.base], plan, leader, members, counts)
        self.stdout.write(
            f"visits: {len(panels)} leaders, {counts['records']} records "
            f"({counts['photos']} with a photo), {counts['opinions']} opinions"
        )

    def _load(self, campaign, panel, base, plan, leader, members, counts):
        visit = services.visit_plan_save(
            campaign=campaign,
            panel=panel,
            base=base,
            visit_date=plan.date,
            itinerary=plan.itinerary,
            contacts=[plan.contact],
            members=members,
            user=None,
        )
        if not plan.recorded:
            return
        record = services.visit_record_save(
            visit=visit,
            members_present=members,
            base_attendees=plan.base_attendees,
            checked=list(plan.checked),
            checked_notes=plan.checked_notes,
            findings=plan.findings,
            user=None,
        )
        counts["records"] += 1
        if plan.photo:
            services.visit_file_add(
                record=record, name=f"{base.code}-site.png", data=demo_photo(base.code), user=None
            )
            counts["photos"] += 1
        if plan.opinion_state is None:
            return
        opinion = services.opinion_save(
            campaign=campaign,
            panel=panel,
            base=base,
            text=plan.opinion,
            recommendations=plan.recommendations,
            user=None,
        )
        counts["opinions"] += 1
        if plan.opinion_state == "draft":
            return
        opinion = services.opinion_circulate(opinion=opinion, user=None)
        others = [m for m in members if m.pk != leader.pk]
        for number, member in enumerate(others):
            dissents = plan.opinion_state == "dissent" and number == 0
            services.opinion_answer(
                opinion=opinion,
                expert=member,
                agrees=not dissents,
                dissent=plan.dissent if dissents else "",
                user=None,
            )
        if plan.opinion_state == "agreed":
            return
        opinion = services.opinion_submit(opinion=opinion, user=None)
        if plan.opinion_state == "accepted":
            services.opinion_accept(opinion=opinion, user=None, note="同意专家组意见。")
