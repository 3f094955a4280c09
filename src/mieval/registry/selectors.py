"""Reads of the registry, as the frames the functional core takes, and what importing a bases
file would change (:func:`bases_plan`; ``services.bases_apply`` writes it)."""

from dataclasses import dataclass, field

import pandas as pd

from mieval.registry.models import Base

BASE_COLUMNS = ["code", "name_zh", "name_en", "category", "subcategory", "province", "batch"]


def bases_frame(bases) -> pd.DataFrame:
    """A ``bases`` frame (interchange columns plus one column per further attribute) for a
    queryset of bases, in one query."""
    rows = []
    for base in bases.select_related("subcategory").order_by("code"):
        row = {
            "code": base.code,
            "name_zh": base.name_zh,
            "name_en": base.name_en,
            "category": base.subcategory.category_id,
            "subcategory": base.subcategory_id,
            "province": base.province_id,
            "batch": base.batch,
        }
        for key, value in sorted(base.attributes.items()):
            row.setdefault(key, value)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=BASE_COLUMNS)
    frame["batch"] = frame["batch"].astype("int64")
    return frame


def all_bases_frame() -> pd.DataFrame:
    return bases_frame(Base.objects.all())


INTERCHANGE_COLUMNS = {"code", "name_zh", "name_en", "category", "subcategory", "province"}
INTERCHANGE_COLUMNS |= {"batch", "line"}


@dataclass
class BasesPlan:
    """What importing a bases frame would do."""

    create: list[Base] = field(default_factory=list)
    update: list[tuple[Base, dict[str, list]]] = field(default_factory=list)
    unchanged: list[Base] = field(default_factory=list)

    @property
    def all_codes(self) -> list[str]:
        bases = self.create + [b for b, _ in self.update] + self.unchanged
        return [b.code for b in bases]


def _attributes(row: pd.Series, columns: list[str]) -> dict[str, str]:
    return {c: str(row[c]) for c in columns if pd.notna(row[c]) and str(row[c]) != ""}


def bases_plan(frame: pd.DataFrame) -> BasesPlan:
    """Compare a validated bases frame with the registry (one query), without writing."""
    extra = [c for c in frame.columns if c not in INTERCHANGE_COLUMNS]
    existing = {b.code: b for b in Base.objects.filter(code__in=list(frame["code"]))}
    plan = BasesPlan()
    for row in frame.itertuples(index=False):
        row = pd.Series(row._asdict())
        wanted = {
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "subcategory_id": row["subcategory"],
            "province_id": row["province"],
            "batch": int(row["batch"]),
            "attributes": _attributes(row, extra),
        }
        base = existing.get(row["code"])
        if base is None:
            plan.create.append(Base(code=row["code"], **wanted))
            continue
        changes = {
            name: [getattr(base, name), value]
            for name, value in wanted.items()
            if getattr(base, name) != value
        }
        if changes:
            for name, (_, value) in changes.items():
                setattr(base, name, value)
            plan.update.append((base, changes))
        else:
            plan.unchanged.append(base)
    return plan
