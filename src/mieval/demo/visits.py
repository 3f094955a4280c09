"""The demo campaign's site visits and panel opinions: dates, texts and the state each opinion
is left in. Plain Python, no Django; ``load_visits_demo`` writes it through the services.

Deterministic: everything follows from the bases' order over the campaign (by panel, then
code). One base in five is left without a record (the visit is still to come); the opinions
cycle through :data:`OPINION_STATES` in the same order, so that the demo shows every state:
drafted, with the members (all agreeing), sent to the office with one member's dissent, sent
to the office with all agreeing, accepted, and none yet.
"""

import io
from dataclasses import dataclass
from datetime import date, timedelta

#: The state the demo leaves an opinion in, by position among a panel's recorded bases.
OPINION_STATES = ("accepted", "draft", "agreed", "dissent", "submitted", None)

CHECKS = ("space", "platforms", "policies", "ledgers", "enterprises", "funds")


@dataclass(frozen=True)
class DemoVisit:
    base: str
    date: date
    itinerary: str
    contact: dict
    recorded: bool
    checked: tuple[str, ...]
    base_attendees: str
    checked_notes: str
    findings: str
    photo: bool
    opinion_state: str | None
    opinion: str
    recommendations: str
    dissent: str


def demo_visits(
    panel_number: int, bases: list[tuple[str, str]], year: int, first: int = 0
) -> list[DemoVisit]:
    """The demo visits of one panel: ``bases`` is ``[(code, name_zh), ...]`` in code order;
    ``year`` the year of the visits (the one after the campaign's last); ``first`` the number of
    bases of the panels before this one."""
    start = date(year, 4, 7) + timedelta(weeks=panel_number - 1)
    visits = []
    for index, (code, name) in enumerate(bases):
        day = start + timedelta(days=index)
        position = first + index
        recorded = position % 5 != 4
        state = OPINION_STATES[position % len(OPINION_STATES)] if recorded else None
        checked = tuple(CHECKS[(index + k) % len(CHECKS)] for k in range(3))
        visits.append(
            DemoVisit(
                base=code,
                date=day,
                itinerary=(
                    f"09:00 听取{name}工作汇报\n10:30 实地查看孵化载体和服务平台\n"
                    "14:00 企业和创业者座谈\n16:00 查阅台账，反馈初步意见"
                ),
                contact={
                    "name": f"{name}联络员",
                    "role": "基地办公室",
                    "phone": f"010-8{panel_number:03d}{index:04d}",
                    "email": f"contact-{code.lower()}@example.org",
                },
                recorded=recorded,
                checked=checked if recorded else (),
                base_attendees=f"{name}负责人\n{name}办公室主任" if recorded else "",
                checked_notes=(
                    f"查看了{name}的孵化场地、服务平台运行记录和统计台账，抽查了三家入驻企业。"
                    if recorded
                    else ""
                ),
                findings=(
                    ("台账与填报数据基本一致；" if index % 3 else "部分年度台账缺少原始凭证；")
                    + (
                        "服务平台运行良好，入驻企业评价积极。"
                        if index % 2
                        else "专项资金使用规范，但东西部交流合作偏少。"
                    )
                    if recorded
                    else ""
                ),
                photo=recorded and position % 3 == 0,
                opinion_state=state,
                opinion=(
                    f"专家组经实地考察认为，{name}双创工作组织有力，孵化载体建设和服务体系较为完善，"
                    "示范带动作用明显。"
                ),
                recommendations="加强与中西部基地的交流合作；完善统计台账和原始凭证管理。",
                dissent="对示范带动作用的评价偏高，建议结合数据进一步核实。",
            )
        )
    return visits


def demo_photo(code: str) -> bytes:
    """A small PNG standing for a site photo (Pillow): a colour from the base's code and a
    lighter band, 480 x 320 pixels."""
    from PIL import Image, ImageDraw

    seed = sum(ord(c) for c in code)
    colour = (60 + seed * 37 % 150, 80 + seed * 53 % 120, 90 + seed * 29 % 130)
    image = Image.new("RGB", (480, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 210, 480, 320), fill=tuple(min(255, c + 70) for c in colour))
    draw.rectangle((40, 90, 200, 210), fill=(240, 240, 235))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
