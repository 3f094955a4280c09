"""``mieval panels``: form expert panels and allocate the bases to them (CP-SAT)."""

import argparse
import json

from mieval.cli.common import EXIT_OK, message, notice, run_guarded, write_output

EXIT_INFEASIBLE = 3


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "panels",
        help="form expert panels and allocate every base to one of them",
        description=(
            "Form expert groups and allocate every base to exactly one group, with OR-Tools "
            "CP-SAT. Hard rules: group size within [min_size, max_size]; at least "
            "min_professional professional and min_operational operational experts; experts "
            "of at least min_org_kinds organisation kinds; at most max_per_organisation experts "
            "of one organisation; no expert with a base of the expert's own province or one the "
            "expert declared a conflict with; bases per group balanced within 1; each expert in "
            "at most max_panels groups. Objective, maximised: for every base and each of its "
            "fields, the group's experts holding that field, counted up to 2. Progress goes to "
            "standard error. Exit status 0 with panels, 2 for unusable input, 3 when the rules "
            "cannot be met (the rule is named). 专家组遴选与基地分配。"
        ),
    )
    parser.add_argument(
        "bases", metavar="BASES", help="bases file (.csv or .xlsx), optional 'fields'"
    )
    parser.add_argument("experts", metavar="EXPERTS", help="experts file (.csv or .xlsx)")
    parser.add_argument(
        "organisations", metavar="ORGANISATIONS", help="organisations file (.csv or .xlsx)"
    )
    parser.add_argument("--conflicts", metavar="FILE", help="declared conflicts (.csv or .xlsx)")
    parser.add_argument(
        "--config",
        metavar="FILE.toml",
        help="settings: groups (default bases/3 rounded up), min_size=5, max_size=7, "
        "min_professional=2, min_operational=1, min_org_kinds=2, max_per_organisation=1, "
        "time_limit=60 (seconds), seed=0; also num_workers=8 and work_limit (deterministic "
        "seconds, for reproducible results)",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--out", metavar="FILE", help="write the result here (default: stdout)")
    return parser


def run(args: argparse.Namespace) -> int:
    return run_guarded(lambda: _run(args))


def _run(args) -> int:
    from mieval.core.panels import roster
    from mieval.core.panels.optimiser import PanelConfig, PanelStatus, panels_explain, panels_form
    from mieval.core.tables import files as tables

    config = roster.panels_config_read(args.config) if args.config else PanelConfig()
    bases = tables.read_bases(args.bases, on_notice=notice)
    organisations = roster.read_organisations(args.organisations, on_notice=notice)
    experts = roster.read_experts(args.experts, organisations=organisations, on_notice=notice)
    conflicts = (
        roster.read_conflicts(args.conflicts, experts=experts, bases=bases, on_notice=notice)
        if args.conflicts
        else None
    )
    groups = config.group_count(len(bases))
    message(
        f"mieval panels: {len(bases)} bases, {len(experts)} experts, {groups} groups;"
        f" searching for up to {config.time_limit:g} s"
    )

    def progress(p) -> None:
        message(f"  {p.seconds:7.1f} s  objective {p.objective:g}  bound {p.bound:g}")

    result = panels_form(bases, experts, organisations, conflicts, config, on_progress=progress)
    solved = result.status in (PanelStatus.OPTIMAL, PanelStatus.FEASIBLE)
    if args.format == "json":
        write_output(
            json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n", args.out
        )
    else:
        explain = panels_explain(result, bases, experts, organisations, config) if solved else None
        write_output(_table(result, bases, experts, organisations, explain), args.out)
    if not solved:
        message(f"mieval panels: {result.status}; no panels formed:")
        for unmet in result.unmet:
            message(f"  {unmet.message}")
        return EXIT_INFEASIBLE
    gap = f"{result.gap:.1%}"
    message(
        f"mieval panels: {result.status}, objective {result.objective}, bound {result.bound},"
        f" gap {gap}, {result.seconds:.1f} s"
    )
    return EXIT_OK


def _table(result, bases, experts, organisations, explain) -> str:
    from mieval.core.panels.vocabulary import KIND_NAMES, ROLE_NAMES, field_name
    from mieval.core.reference import PROVINCE_BY_CODE

    lines = [
        f"状态 Status: {result.status}    目标值 Objective: {result.objective}    "
        f"上界 Bound: {result.bound}"
    ]
    if explain is None:
        lines.append("未能组建专家组 No panels formed:")
        lines += [f"  [{u.rule}] {u.message}" for u in result.unmet]
        return "\n".join(lines) + "\n"
    org = organisations.set_index("code")
    expert = experts.set_index("code")
    base = bases.set_index("code")

    def province(code: str) -> str:
        p = PROVINCE_BY_CODE.get(code)
        return f"{p.name_zh} {p.name_en}" if p else code

    for panel in result.panels:
        lines.append("")
        lines.append(
            f"专家组 Panel {panel.panel}: {len(panel.experts)} 位专家 experts,"
            f" {len(panel.bases)} 个基地 bases"
        )
        lines.append("  专家 Experts:")
        for code in panel.experts:
            row = expert.loc[code]
            o = org.loc[row["organisation"]]
            kind_zh, kind_en = KIND_NAMES.get(o["kind"], (o["kind"], o["kind"]))
            roles = " + ".join(
                f"{ROLE_NAMES[r][0]} {ROLE_NAMES[r][1]}" for r in row["roles"] if r in ROLE_NAMES
            )
            fields = ", ".join(field_name(t) for t in row["fields"]) or "-"
            lines.append(
                f"    {code} {row['name']} | {o['name_zh']} {o['name_en']}"
                f" ({kind_zh} {kind_en}, {province(row['province'])}) | {roles} | {fields}"
            )
        lines.append("  基地 Bases (领域: 覆盖专家 fields: covering experts):")
        rows = explain[explain["panel"] == panel.panel]
        for code in panel.bases:
            b = base.loc[code]
            covered = rows[(rows["base_code"] == code) & (rows["aspect"] == "field")]
            cover = "; ".join(
                f"{field_name(r.code)} ×{r.count}"
                + (f" ({', '.join(r.experts)})" if r.experts else "")
                for r in covered.itertuples(index=False)
            )
            lines.append(f"    {code} {b['name_zh']} | {b['name_en']} | {province(b['province'])}")
            if cover:
                lines.append(f"      {cover}")
        roles = rows[rows["aspect"] == "role"]
        kinds = rows[(rows["aspect"] == "kind") & (rows["count"] > 0)]
        lines.append(
            "  角色 Roles: "
            + ", ".join(
                f"{ROLE_NAMES[r.code][0]} {r.code} {r.count} (≥{r.required})"
                for r in roles.itertuples(index=False)
            )
            + "; 机构类型 Kinds: "
            + ", ".join(
                f"{KIND_NAMES[r.code][0]} {r.code} {r.count}" for r in kinds.itertuples(index=False)
            )
        )
    shortfalls = len(result.unmet)
    lines.append("")
    lines.append(
        f"领域覆盖不足两人的基地领域 Base fields covered by fewer than 2 experts: {shortfalls}"
    )
    return "\n".join(lines) + "\n"
