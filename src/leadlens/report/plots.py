"""The report's plots, drawn with matplotlib and returned as SVG text to inline in the HTML.

Why matplotlib: it draws offline with no JavaScript and no network (its Agg and SVG renderers need neither a
display nor a browser), its SVG is vector so the report prints sharply, and the same figures show in the
notebooks. Figures are made with the object API (``matplotlib.figure.Figure``), never through pyplot: no
global backend is switched (a notebook keeps its own), no figure is left open, and it is safe in threads.
JavaScript charting libraries would need a CDN or a large inlined bundle; both break "one file that opens
offline" or the size budget.

Every plot is aggregated (histogram bins, sums per axis, counts per theme), so its size does not grow with
the number of postings. Every plot has a title and labelled axes; the HTML adds a caption. Text from the data
(theme names, carried column values) is drawn with mathtext off, so a ``$`` in a value stays a ``$``, and the
SVG writer escapes ``<`` and ``&``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

import matplotlib
import numpy as np
import pandas as pd
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .tables import VERDICTS

L_COLOUR = "#0072B2"   # Okabe-Ito blue: leadership
M_COLOUR = "#D55E00"   # Okabe-Ito vermillion: management
VERDICT_COLOURS = {"leadership": L_COLOUR, "mixed": "#CC79A7", "management": M_COLOUR, "insufficient": "#BBBBBB"}
RC = {
    "svg.fonttype": "none",          # text stays text: smaller, searchable, selectable
    "svg.hashsalt": "leadlens",      # deterministic ids
    "text.parse_math": False,        # a "$" in data is a dollar sign
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}
_ids = count(1)


@dataclass
class Plot:
    """One figure: its SVG text (ready to inline), title and caption."""

    key: str
    title: str
    caption: str
    svg: Markup

    def _repr_svg_(self) -> str:  # shown as a picture in notebooks
        return str(self.svg)


def to_svg(fig: Figure, prefix: str, title: str) -> str:
    """Serialise ``fig`` to SVG for inlining: no XML prolog or metadata, ids made unique with ``prefix`` (several
    SVGs share one HTML document), sized by CSS, with an accessible name."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{prefix}-\1)', svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    svg = re.sub(r'\bhref="#([^"]+)"', rf'href="#{prefix}-\1"', svg)
    svg = re.sub(r'(<svg\b[^>]*?)\s(width|height)="[^"]*"', r"\1", svg, count=1)
    svg = re.sub(r'(<svg\b[^>]*?)\s(width|height)="[^"]*"', r"\1", svg, count=1)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{safe_title}" class="plot" ', 1)
    return svg.strip()


def _plot(key: str, title: str, caption: str, draw: Callable[[], Figure]) -> Plot:
    with matplotlib.rc_context(RC):
        fig = draw()
        # Trusted markup: made by matplotlib, whose SVG writer escapes the text it draws.
        return Plot(key, title, caption, Markup(to_svg(fig, f"{key}{next(_ids)}", title)))


def _empty(ax: Axes, message: str = "no evidence to show") -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666666")


def share_by_title_kind(documents: pd.DataFrame, thresholds: tuple[float, float] | None = None) -> Plot:
    """Histograms of the leadership share, one panel per title kind."""
    ok = documents[documents["error"] == ""]
    kinds = [k for k in ("leader", "manager", "other") if (ok["title_kind"] == k).any()] or ["leader"]
    no_ev = int(ok["leadership_share"].isna().sum())
    title = "Leadership share by title kind"

    def draw() -> Figure:
        fig = Figure(figsize=(2.6 * len(kinds) + 0.6, 2.8))
        axs = fig.subplots(1, len(kinds), sharey=True, squeeze=False)
        bins = np.linspace(0, 1, 11)
        for ax, kind in zip(axs[0], kinds):
            s = ok.loc[ok["title_kind"] == kind, "leadership_share"].dropna().clip(0, 1)
            counts, _ = np.histogram(s, bins=bins)
            centres = (bins[:-1] + bins[1:]) / 2
            colours = [L_COLOUR if c >= 0.5 else M_COLOUR for c in centres]
            ax.bar(centres, counts, width=0.095, color=colours, alpha=0.85)
            if thresholds:
                for t in thresholds:
                    ax.axvline(t, color="#444444", lw=0.8, ls="--")
            ax.set_xlim(0, 1)
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
            ax.set_title(f"{kind} ({len(s)} with evidence)", fontsize=9, fontweight="normal")
            ax.set_xlabel("leadership share L/(L+M)")
            if not len(s):
                _empty(ax)
        axs[0][0].set_ylabel("posts")
        fig.suptitle(title, fontweight="bold", fontsize=10)
        fig.tight_layout()
        return fig

    caption = ("How many posts of each title kind have each leadership share (the weighted leadership evidence "
               "over all evidence; 0% is all management, 100% all leadership). Bars left of 50% are orange, right "
               "blue. Dashed lines: the verdict thresholds (at or below the left one a post with enough evidence "
               f"is 'management'; at or above the right one 'leadership'). {no_ev} post(s) with no evidence at "
               "all are not drawn.")
    return _plot("share", title, caption, draw)


def verdicts_by_title_kind(table: pd.DataFrame) -> Plot:
    """Stacked bars: the verdict mix of each title kind, in percent of its posts."""
    title = "Verdicts by title kind"

    def draw() -> Figure:
        kinds = list(table.index) or ["(none)"]
        fig = Figure(figsize=(7.2, 0.55 * len(kinds) + 1.3))
        ax = fig.subplots()
        _verdict_bars(ax, kinds, table, "total", height=0.6, counts=True)
        ax.invert_yaxis()
        ax.set_xlabel("share of the title kind's posts (%); numbers are counts of posts")
        ax.set_ylabel("title kind")
        ax.set_title(title)
        ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(kinds) < 3 else -0.22),
                  frameon=False)
        if not len(table):
            _empty(ax, "no scored posts")
        fig.tight_layout()
        return fig

    caption = ("For each title kind, the share of its posts with each verdict. 'Leader in name only' posts are "
               "the orange (management) part of the 'leader' bar. 'Insufficient' means too little evidence to "
               "judge.")
    return _plot("verdicts", title, caption, draw)


def axis_profile(profile: pd.DataFrame) -> Plot:
    """Diverging bars: mean weighted evidence per post on each axis, management to the left, leadership right."""
    title = "Nine-axis profile of the collection"

    def draw() -> Figure:
        fig = Figure(figsize=(7.2, 3.8))
        ax = fig.subplots()
        y = np.arange(len(profile))
        ax.barh(y, -profile["M_mean"], color=M_COLOUR, height=0.6, label="management pole")
        ax.barh(y, profile["L_mean"], color=L_COLOUR, height=0.6, label="leadership pole")
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(y, [f"{a}: {m} | {l_}" for a, m, l_ in
                          zip(profile["axis"], profile["label_M"], profile["label_L"])])
        ax.invert_yaxis()
        lim = float(max(profile["L_mean"].max(), profile["M_mean"].max(), 0) or 1) * 1.1
        ax.set_xlim(-lim, lim)
        ticks = ax.get_xticks()
        ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
        ax.set_xlim(-lim, lim)
        ax.set_xlabel("mean weighted evidence per post  (← management pole | leadership pole →)")
        ax.set_ylabel("axis: management | leadership")
        ax.set_title(title)
        ax.legend(ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, fontsize=8)
        if float(profile["L_mean"].sum() + profile["M_mean"].sum()) == 0:
            _empty(ax)
        fig.tight_layout()
        return fig

    caption = ("For each of the nine axes, the average weighted evidence per scored post for the management pole "
               "(orange, left) and the leadership pole (blue, right). Excluded spans (negated, boilerplate, "
               "clinical senses…) weigh nothing and are not drawn.")
    return _plot("axes", title, caption, draw)


def themes(tables: dict[str, pd.DataFrame]) -> Plot:
    """Two panels: the most frequent counted themes of each pole."""
    title = "Most frequent themes per pole"

    def draw() -> Figure:
        n = max(len(tables.get("L", [])), len(tables.get("M", [])), 3)
        fig = Figure(figsize=(7.2, 0.28 * n + 1.4))
        axs = fig.subplots(1, 2)
        for ax, pole, colour, name in ((axs[0], "L", L_COLOUR, "leadership"),
                                       (axs[1], "M", M_COLOUR, "management")):
            t = tables.get(pole)
            if t is not None and len(t):
                ax.barh(list(t["theme"]), t["spans"], color=colour, height=0.6)
                ax.invert_yaxis()
            else:
                ax.set_yticks([])
                _empty(ax)
            ax.set_title(f"{name} pole", fontsize=9, fontweight="normal")
            ax.set_xlabel("counted spans")
        axs[0].set_ylabel("theme")
        fig.suptitle(title, fontweight="bold", fontsize=10)
        fig.tight_layout()
        return fig

    caption = ("How often each theme (the part of a lexicon rule id before the first dot, e.g. 'vision' in "
               "'vision.set_direction') was found and counted, per pole, over all scored posts.")
    return _plot("themes", title, caption, draw)


def breakdown(table: pd.DataFrame, column: str) -> Plot:
    """Stacked bars: the verdict mix per value of a carried column."""
    title = f"Verdicts by {column}"

    def draw() -> Figure:
        values: Sequence[str] = list(table["value"]) if len(table) else ["(none)"]
        fig = Figure(figsize=(7.2, 0.32 * len(values) + 1.5))
        ax = fig.subplots()
        _verdict_bars(ax, [_short(x) for x in values], table, "posts", height=0.65, counts=False)
        ax.invert_yaxis()
        ax.set_xlabel("share of posts (%)")
        ax.set_ylabel(_short(column, 30))
        ax.set_title(title)
        ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, -1.2 / (0.32 * len(values) + 1.5)),
                  frameon=False, fontsize=8)
        fig.tight_layout()
        return fig

    caption = (f"For each value of the input column '{column}', the share of its scored posts with each verdict "
               "(leadership blue, mixed pink, management orange, insufficient grey). Counts are in the table.")
    return _plot("breakdown", title, caption, draw)


def _verdict_bars(ax, labels: Sequence[str], table: pd.DataFrame, total_col: str, height: float,  # noqa: ANN001
                  counts: bool) -> None:
    """Horizontal bars stacked by verdict, in percent of each row's ``total_col``; optionally with counts."""
    left = np.zeros(len(labels))
    totals = table[total_col].to_numpy(dtype=float) if len(table) else np.zeros(1)
    for v in VERDICTS:
        vals = table[v].to_numpy(dtype=float) if len(table) else np.zeros(1)
        pct = np.divide(100 * vals, totals, out=np.zeros_like(vals), where=totals > 0)
        ax.barh(labels, pct, left=left, color=VERDICT_COLOURS[v], label=v, height=height)
        if counts:
            for y, (x0, w, n) in enumerate(zip(left, pct, vals)):
                if w >= 7:
                    ax.text(x0 + w / 2, y, f"{int(n)}", ha="center", va="center", fontsize=8,
                            color="white" if v != "insufficient" else "#333333")
        left += pct
    ax.set_xlim(0, 100)


def _short(s: str, n: int = 40) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"
