"""An independent checker of a panel solution: every hard rule of ``DESIGN.md`` ("`mieval
panels`") and the objective, recomputed from the frames without the optimiser's code."""

import math

import pandas as pd


def tags(value) -> set[str]:
    if isinstance(value, tuple | list):
        return {str(v) for v in value if str(v).strip()}
    return {t.strip() for t in str(value).split(";") if t.strip()}


def violations(panels, bases, experts, organisations, conflicts, config) -> list[str]:
    """Every broken hard rule as a sentence; [] when the panels meet them all."""
    out = []
    kind = dict(zip(organisations["code"], organisations["kind"], strict=True))
    expert = {row["code"]: row for row in experts.to_dict("records")}
    base = {row["code"]: row for row in bases.to_dict("records")}
    declared = set()
    if conflicts is not None:
        declared = set(zip(conflicts["expert_code"], conflicts["base_code"], strict=True))
    groups = config.groups or math.ceil(len(bases) / 3)
    if len(panels) != groups:
        out.append(f"{len(panels)} panels, {groups} wanted")
    allocated = [b for p in panels for b in p["bases"]]
    if sorted(allocated) != sorted(base):
        out.append("not every base is in exactly one panel")
    sizes = [len(p["bases"]) for p in panels]
    if sizes and max(sizes) - min(sizes) > 1:
        out.append(f"bases per panel not balanced: {sizes}")
    seats: dict[str, int] = {}
    for p in panels:
        members = p["experts"]
        if len(set(members)) != len(members):
            out.append(f"panel {p['panel']}: an expert twice")
        if not config.min_size <= len(members) <= config.max_size:
            out.append(f"panel {p['panel']}: size {len(members)}")
        roles = [tags(expert[e]["roles"]) for e in members]
        if sum("professional" in r for r in roles) < config.min_professional:
            out.append(f"panel {p['panel']}: too few professional experts")
        if sum("operational" in r for r in roles) < config.min_operational:
            out.append(f"panel {p['panel']}: too few operational experts")
        if len({kind[expert[e]["organisation"]] for e in members}) < config.min_org_kinds:
            out.append(f"panel {p['panel']}: too few organisation kinds")
        per_org = pd.Series([expert[e]["organisation"] for e in members]).value_counts()
        if len(per_org) and per_org.max() > config.max_per_organisation:
            out.append(f"panel {p['panel']}: too many experts of one organisation")
        for e in members:
            seats[e] = seats.get(e, 0) + 1
            for b in p["bases"]:
                if str(expert[e]["province"]) == str(base[b]["province"]):
                    out.append(f"panel {p['panel']}: {e} sits with {b} of the same province")
                if (e, b) in declared:
                    out.append(f"panel {p['panel']}: {e} sits with {b} despite a conflict")
    for e, count in seats.items():
        if count > int(expert[e]["max_panels"]):
            out.append(f"{e} sits on {count} panels, max_panels {expert[e]['max_panels']}")
    return out


def objective(panels, bases, experts) -> int:
    """Sum over bases and their fields of the panel's experts holding the field, up to 2."""
    expert_tags = {row["code"]: tags(row["fields"]) for row in experts.to_dict("records")}
    base_tags = {row["code"]: tags(row.get("fields", "")) for row in bases.to_dict("records")}
    total = 0
    for p in panels:
        for b in p["bases"]:
            for t in base_tags[b]:
                total += min(2, sum(t in expert_tags[e] for e in p["experts"]))
    return total
