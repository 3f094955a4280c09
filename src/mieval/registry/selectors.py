"""Reads of the registry, as the frames the functional core takes."""

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
