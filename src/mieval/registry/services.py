"""Writes to the registry. Every change to a base is recorded in :class:`BaseChange`."""

from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction
from django.utils import timezone

from mieval.registry.models import Base, BaseChange

BASE_FIELDS = ("name_zh", "name_en", "subcategory_id", "province_id", "batch", "attributes")
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


@transaction.atomic
def bases_apply(*, plan: BasesPlan, user=None, actor: str, reason: str = "") -> None:
    """Write a :class:`BasesPlan`: new bases created, changed ones updated and recorded."""
    now = timezone.now()
    Base.objects.bulk_create(plan.create)
    for base, changes in plan.update:
        base.save(update_fields=[*changes, "updated_at"])
    BaseChange.objects.bulk_create(
        [
            BaseChange(
                base=base,
                changes={"created": [None, base.code]},
                user=user,
                actor=actor,
                at=now,
                reason=reason,
            )
            for base in Base.objects.filter(code__in=[b.code for b in plan.create])
        ]
        + [
            BaseChange(base=base, changes=changes, user=user, actor=actor, at=now, reason=reason)
            for base, changes in plan.update
        ]
    )


def _one_base_frame(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    subcategory: str,
    province: str,
    batch: int,
    attributes: dict[str, str],
) -> pd.DataFrame:
    from mieval.core.reference import SUBCATEGORY_BY_CODE

    row = {
        "code": code,
        "name_zh": name_zh,
        "name_en": name_en,
        "category": SUBCATEGORY_BY_CODE[subcategory].category,
        "subcategory": subcategory,
        "province": province,
        "batch": int(batch),
    }
    # Further attributes travel as extra columns, as in a file, so that they are kept.
    row.update({key: value for key, value in attributes.items() if key not in row})
    return pd.DataFrame([row])


@transaction.atomic
def base_create(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    subcategory: str,
    province: str,
    batch: int,
    user=None,
    actor: str,
    reason: str = "",
) -> Base:
    """A new base, recorded in :class:`BaseChange` like a file import records it.

    ``subcategory`` and ``province`` are validated codes (the form checks them as the file
    reader does).
    """
    if Base.objects.filter(code=code).exists():
        raise ValueError(f"a base with code {code!r} already exists")
    frame = _one_base_frame(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        subcategory=subcategory,
        province=province,
        batch=batch,
        attributes={},
    )
    bases_apply(plan=bases_plan(frame), user=user, actor=actor, reason=reason)
    return Base.objects.get(code=code)


@transaction.atomic
def base_update(
    *,
    base: Base,
    name_zh: str,
    name_en: str,
    subcategory: str,
    province: str,
    batch: int,
    user=None,
    actor: str,
    reason: str = "",
) -> dict[str, list]:
    """Change a base's registry entry; returns the changes (field: [old, new]), recorded in
    :class:`BaseChange` when there are any. The code and further attributes stay as they are."""
    frame = _one_base_frame(
        code=base.code,
        name_zh=name_zh,
        name_en=name_en,
        subcategory=subcategory,
        province=province,
        batch=batch,
        attributes={key: str(value) for key, value in base.attributes.items()},
    )
    plan = bases_plan(frame)
    bases_apply(plan=plan, user=user, actor=actor, reason=reason)
    base.refresh_from_db()
    return plan.update[0][1] if plan.update else {}
