"""Load the demo problem register and rectification into a campaign (``bin/demo``).

Twelve problems of all six poster types from realistic sources, in every state (proposed,
confirmed, dismissed), and rectification plans in every state (planned, in progress, done and
awaiting verification, accepted, not accepted, overdue, no plan yet). Deterministic: the same
bases and texts on every run, dated backwards from the day of loading so that "overdue" is
overdue and every other deadline still lies ahead. A campaign that already has problems is left
alone. The bases are the demo officers' (the exchange demo's oldest waiting contact request,
as ``demo_users`` picks them) and then spread over categories and region groups.
"""

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mieval.collection.models import Campaign
from mieval.rectification.models import EvaluationProblem
from mieval.rectification.services import (
    EvidenceIn,
    problem_confirm,
    problem_dismiss,
    problem_propose,
    rectification_plan,
    rectification_progress,
    rectification_verify,
    value_target,
)

#: Days before the day of loading at which the demo's story begins.
START = 120

# (type, source, severity, final state, rectification, zh title, en title, zh action, en action)
PROBLEMS = (
    ("east_west_exchange", "site_visit", "serious", "confirmed", "accepted",
     "与中西部基地缺少常态化交流渠道",
     "No regular channel of exchange with Central and Western bases",
     "与至少两家中西部基地建立结对交流机制，每年互访。",
     "Pair with at least two Central or Western bases and visit each other every year."),
    ("corporate_credit", "data_check", "moderate", "confirmed", "planned",
     "入驻企业信用信息归集不全", "Credit records of resident enterprises are incomplete",
     "接入地方公共信用信息平台，按季度更新入驻企业信用档案。",
     "Connect to the local public credit platform and update the enterprises' records quarterly."),
    ("service_incentives", "panel_opinion", "moderate", "confirmed", "in_progress",
     "专业服务机构收费补贴政策未落实", "Subsidies for professional service providers are not paid",
     "出台服务机构绩效奖励办法并按年度兑现。",
     "Adopt performance rewards for service providers and pay them every year."),
    ("resource_clustering", "self_evaluation", "moderate", "confirmed", "not_accepted",
     "孵化载体分散，资源共享不足", "Incubators are scattered and share few resources",
     "建立区域孵化载体联盟，统一共享仪器设备与导师资源。",
     "Form an alliance of incubators that shares equipment and mentors."),
    ("institutional_constraints", "expert_comment", "serious", "confirmed", "overdue",
     "科研人员离岗创业审批周期过长", "Approving researchers' leave to start firms takes too long",
     "简化离岗创业审批流程，承诺时限不超过二十个工作日。",
     "Simplify the approval of leave for entrepreneurship to at most twenty working days."),
    ("vitality_livelihoods", "panel_opinion", "serious", "confirmed", "done",
     "新增就业岗位稳定性不足", "New jobs created are not stable",
     "对初创企业吸纳就业给予社保补贴，跟踪一年留存率。",
     "Subsidise start-ups' social insurance for new hires and track one-year retention."),
    ("east_west_exchange", "panel_opinion", "moderate", "confirmed", "none",
     "跨区域项目合作数量偏少", "Few cooperative projects across regions",
     "依托供需对接平台每年发布跨区域合作需求。",
     "Post cross-regional cooperation needs on the exchange every year."),
    ("service_incentives", "site_visit", "minor", "proposed", "none",
     "创业导师激励不足", "Mentors of start-ups have little incentive",
     "", ""),
    ("corporate_credit", "data_check", "minor", "dismissed", "none",
     "专利授权数量异常下降", "Patents granted fell unusually",
     "", ""),
    ("resource_clustering", "site_visit", "serious", "confirmed", "in_progress",
     "中试平台开放共享程度低", "Pilot-scale platforms are rarely opened to others",
     "制定中试平台开放共享目录并公布收费标准。",
     "Publish a catalogue of pilot-scale platforms open to others, with their fees."),
    ("vitality_livelihoods", "self_evaluation", "minor", "confirmed", "accepted",
     "高校毕业生创业存活率偏低", "Graduates' start-ups survive too rarely",
     "为毕业生初创企业提供两年免租工位和跟踪辅导。",
     "Give graduates' start-ups two years of free desks and follow-up coaching."),
    ("institutional_constraints", "panel_opinion", "moderate", "proposed", "none",
     "国有企业内部创业容错机制缺失", "State-owned enterprises lack room for failed ventures",
     "", ""),
)  # fmt: skip


@contextmanager
def _as_of(moment: datetime):
    """Run the services as if on ``moment``: the demo's steps are dated as they would be."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _demo_bases(campaign) -> list:
    from mieval.exchange.models import ContactRequest

    bases = list(campaign.bases.with_reference().order_by("code"))
    first = []
    waiting = (
        ContactRequest.objects.filter(status=ContactRequest.Status.PROPOSED)
        .order_by("requested_at", "pk")
        .first()
    )
    if waiting is not None:
        first = [
            b for b in bases if b.pk in (waiting.responding_base_id, waiting.requesting_base_id)
        ]
    # Then one base after another from each category and region group in turn.
    rest, seen = [], {b.pk for b in first}
    groups: dict[tuple, list] = {}
    for base in bases:
        if base.pk not in seen:
            key = (base.subcategory.category_id, base.province.region_group)
            groups.setdefault(key, []).append(base)
    while any(groups.values()):
        for key in sorted(groups):
            if groups[key]:
                rest.append(groups[key].pop(0))
    return first + rest


class Command(BaseCommand):
    help = "Load the demo problem register and rectification into a campaign."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="the campaign's code, e.g. demo")

    @transaction.atomic
    def handle(self, *args, campaign, **options):
        code, campaign = campaign, Campaign.objects.filter(code=campaign).first()
        if campaign is None:
            raise CommandError(f"no campaign '{code}'")
        if EvaluationProblem.objects.filter(campaign=campaign).exists():
            self.stdout.write(f"{campaign.code}: the problem register is already loaded")
            return
        bases = _demo_bases(campaign)
        # Two officers' bases carry two problems each, then one base per problem.
        order = [0, 1, 0, 1, *range(2, 2 + len(PROBLEMS) - 4)]
        if len(bases) < max(order) + 1:
            raise CommandError(f"campaign '{campaign.code}' has too few bases for the demo")
        today = timezone.localdate()
        start = timezone.make_aware(datetime.combine(today - timedelta(days=START), time(10)))

        def day(n: int) -> datetime:
            return start + timedelta(days=n)

        for position, spec in zip(order, PROBLEMS, strict=True):
            self._load(campaign, bases[position], spec, day)
        self.stdout.write(f"{campaign.code}: {len(PROBLEMS)} problems loaded")

    def _load(self, campaign, base, spec, day) -> None:
        type_code, source, severity, state, plan, title_zh, title_en, action_zh, action_en = spec
        evidence = []
        if source == "data_check":
            year = campaign.last_year
            evidence.append(
                EvidenceIn(
                    "value",
                    value_target(base.code, "patents_granted", year),
                    f"patents_granted {year}",
                )
            )
        with _as_of(day(0)):
            problem = problem_propose(
                campaign=campaign,
                base=base,
                source=source,
                type=type_code,
                severity=severity,
                title_zh=title_zh,
                title_en=title_en,
                action_zh=action_zh,
                action_en=action_en,
                evidence=evidence,
            )
        with _as_of(day(5)):
            if state == "confirmed":
                problem_confirm(problem=problem)
            elif state == "dismissed":
                problem_dismiss(problem=problem, reason="经核实为统计口径调整，不构成问题。")
        if plan == "none":
            return
        # The overdue plan was due 60 days after it was made; the others half a year on.
        deadline = (day(70) if plan == "overdue" else day(190)).date()
        with _as_of(day(10)):
            rectification = rectification_plan(
                problem=problem,
                measures=action_zh,
                owner=f"{base.name_zh}管理办公室",
                deadline=deadline,
            )
        if plan in {"planned", "overdue"}:
            return
        with _as_of(day(40)):
            progress = rectification_progress(
                rectification=rectification,
                text="已制定工作方案并召开专题会议部署。",
                completes=plan in {"done", "accepted", "not_accepted"},
            )
        rectification = progress.rectification
        if plan in {"accepted", "not_accepted"}:
            with _as_of(day(60)):
                rectification_verify(
                    rectification=rectification,
                    accepted=plan == "accepted",
                    note="" if plan == "accepted" else "缺少联盟章程和共享记录，请补充佐证材料。",
                )
