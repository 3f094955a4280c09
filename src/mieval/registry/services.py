"""Writes to the registry. Every change to a base is recorded in :class:`BaseChange`; what an
import would change is read first (:func:`~mieval.registry.selectors.bases_plan`)."""

import pandas as pd
from django.db import transaction
from django.utils import timezone

from mieval.registry.models import Base, BaseChange
from mieval.registry.selectors import BasesPlan, bases_plan

BASE_FIELDS = ("name_zh", "name_en", "subcategory_id", "province_id", "batch", "attributes")


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
