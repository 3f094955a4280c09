"""The campaign report's charts as SVG (vector graphics in the PDF and the browser).

Matplotlib with the Agg-free SVG backend; deterministic output: a fixed ``svg.hashsalt``, no
date in the metadata, glyphs drawn as paths (so the SVG needs no font where it is shown).
"""

import io
import re
import threading
from functools import cache

NOTO_CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
_LOCK = threading.Lock()  # pyplot's state is global


@cache
def _pyplot():
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    try:
        font_manager.fontManager.addfont(NOTO_CJK)
        family = ["Noto Sans CJK SC", "DejaVu Sans"]
    except (FileNotFoundError, RuntimeError):
        family = ["DejaVu Sans"]
    matplotlib.rcParams.update(
        {
            "font.family": family,
            "svg.hashsalt": "mieval-report",
            "svg.fonttype": "path",
            "axes.unicode_minus": False,
            "font.size": 8,
        }
    )
    return plt


def _svg(fig, prefix: str) -> str:
    """The figure as SVG, its element ids prefixed so that two charts in one page differ."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    # Drop the XML prolog and doctype: the SVG is embedded in HTML.
    text = text[text.index("<svg") :]
    text = re.sub(r'\bid="', f'id="{prefix}-', text)
    text = text.replace('href="#', f'href="#{prefix}-').replace("url(#", f"url(#{prefix}-")
    return text


def trend_chart_svg(trend: dict, lang: str) -> str:
    """Small multiples: each indicator's yearly figure, the first year with a value = 100."""
    rows = [r for r in trend["rows"] if any(c["value"] for c in r["cells"])]
    if not rows:
        return ""
    with _LOCK:
        plt = _pyplot()
        columns = 4
        lines = (len(rows) + columns - 1) // columns
        fig, axes = plt.subplots(
            lines, columns, figsize=(7.2, 1.55 * lines), squeeze=False, sharex=True
        )
        years = trend["years"]
        for position, ax in enumerate(axes.flat):
            if position >= len(rows):
                ax.axis("off")
                continue
            row = rows[position]
            values = [c["value"] for c in row["cells"]]
            first = next((v for v in values if v), None)
            points = [
                (y, v / first * 100)
                for y, v in zip(years, values, strict=True)
                if v is not None and first
            ]
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker="o",
                ms=2.5,
                color="#b22222",
                lw=1.2,
            )
            label = row["label"]
            ax.set_title(label if len(label) <= 22 else label[:21] + "…", fontsize=6.5)
            ax.set_xticks(years)
            ax.set_xticklabels([str(y) for y in years], fontsize=6)
            ax.tick_params(axis="y", labelsize=6)
            ax.grid(True, lw=0.3, color="#ccc")
        fig.tight_layout()
        svg = _svg(fig, "trend")
        plt.close(fig)
    return svg


def reforms_chart_svg(practices: dict) -> str:
    """Horizontal bars: classified reforms per policy area, stacked by base category."""
    rows = practices["rows"]
    if not rows:
        return ""
    with _LOCK:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(rows) + 0.9))
        labels = [r["name"] for r in rows][::-1]
        left = [0] * len(rows)
        colours = ["#b22222", "#4682b4", "#daa520"]
        for position, category in enumerate(practices["categories"]):
            counts = [r["counts"][position] for r in rows][::-1]
            ax.barh(
                labels,
                counts,
                left=left,
                color=colours[position % len(colours)],
                label=category,
                height=0.6,
            )
            left = [a + b for a, b in zip(left, counts, strict=True)]
        ax.legend(fontsize=7, frameon=False, loc="lower right")
        ax.tick_params(labelsize=7)
        ax.grid(True, axis="x", lw=0.3, color="#ccc")
        fig.tight_layout()
        svg = _svg(fig, "reforms")
        plt.close(fig)
    return svg


def classes_chart_svg(classification: dict, lang: str) -> str:
    """Horizontal bars: bases per subcategory, stacked by batch."""
    rows = classification["rows"]
    if not rows:
        return ""
    with _LOCK:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(6.5, 0.28 * len(rows) + 0.8))
        labels = [r["subcategory"] for r in rows][::-1]
        left = [0] * len(rows)
        colours = ["#b22222", "#e9967a", "#4682b4", "#8fbc8f", "#daa520"]
        for position, batch in enumerate(classification["batches"]):
            counts = [r["counts"][position] for r in rows][::-1]
            ax.barh(
                labels,
                counts,
                left=left,
                color=colours[position % len(colours)],
                label=str(batch),
                height=0.6,
            )
            left = [a + b for a, b in zip(left, counts, strict=True)]
        ax.legend(fontsize=7, frameon=False, loc="lower right")
        ax.tick_params(labelsize=7)
        ax.grid(True, axis="x", lw=0.3, color="#ccc")
        fig.tight_layout()
        svg = _svg(fig, "classes")
        plt.close(fig)
    return svg
