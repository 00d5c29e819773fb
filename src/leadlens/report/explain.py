"""Per-post explanation pages: the advert with every tagged span highlighted by pole and axis.

The advert text is not in ``documents.csv``; it is rebuilt sentence by sentence from ``sentences.csv``. A
sentence row holds the stripped sentence text and the character offsets of the unstripped sentence in the
original text, and a span's offsets index the original text too, so a span sits at ``span.start -
sentence.start - lead`` in the sentence text, ``lead`` being the whitespace stripped from the sentence's start
(found by checking the span texts; a span that still does not line up is placed by searching its text).

The look follows displaCy's span style: a coloured bar under each tagged word with a small label at the start
of the span, overlapping spans on separate tracks. Excluded spans (``status`` other than ``counted``) are
struck through with a dashed bar, and their reason is in the ``title`` (hover) and in the label, so it
survives printing. Layout: one row per line of the advert (a new row where the original had a line break,
inferred from the whitespace the sentence offsets cover), the section in the margin.

File names come from :func:`safe_name`: an ASCII slug of the doc id plus a hash of the full id, so any doc id
(``../../x``, ``CON``, 300 characters of emoji) maps to one distinct, harmless name inside ``explain/``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from ..rules import Axis
from .html import render_explanation
from .tables import STATUS_REASONS

EXPLAIN_DIR = "explain"
# Blues for the leadership pole, oranges/browns for management: one shade per axis, in the seed's axis order.
L_SHADES = ["#0072B2", "#1f5f99", "#3a7dbf", "#00796b", "#2b8cbe", "#3d5a98", "#0a6e8a", "#4a6fa5", "#005b7f"]
M_SHADES = ["#D55E00", "#b3541e", "#c77700", "#a0522d", "#d2691e", "#b8621b", "#9c4a00", "#cf5a2e", "#a86400"]
SECTION_LABELS = {
    "unknown": "Top", "summary": "Overview", "duties": "Duties", "person_spec": "Person spec",
    "person_spec_desirable": "Person spec (desirable)", "about_org": "About us", "benefits": "Benefits",
    "equality": "Equality", "apply": "How to apply", "terms": "Terms",
}
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def safe_name(doc_id: str) -> str:
    """A file name for ``doc_id``'s page: a lower-case ASCII slug (at most 60 characters) and 12 hex digits of
    the SHA-256 of the exact id, so two ids never share a name even on a case-insensitive file system.

    >>> safe_name("../../etc/passwd")
    'etc-passwd-3754d6cb3a38.html'
    """
    slug = unicodedata.normalize("NFKD", str(doc_id)).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG.sub("-", slug).strip("-").lower()[:60].strip("-") or "post"
    digest = hashlib.sha256(str(doc_id).encode("utf-8")).hexdigest()[:12]
    return f"{slug}-{digest}.html"


def axis_colours(axes: dict[str, Axis]) -> dict[tuple[str, str], str]:
    """Colour of every (axis, pole)."""
    out = {}
    for k, name in enumerate(axes):
        out[(name, "L")] = L_SHADES[k % len(L_SHADES)]
        out[(name, "M")] = M_SHADES[k % len(M_SHADES)]
    return out


@dataclass
class SpanView:
    """A span placed in its sentence's text."""

    start: int
    end: int
    axis: str
    pole: str
    status: str
    rule_id: str
    weight: float
    section: str
    track: int = 0

    @property
    def counted(self) -> bool:
        return self.status == "counted"


def _f(x: Any, default: float = 0.0) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(v) else v


def place_spans(text: str, sent_start: int, sent_end: int, matches: Iterable[dict[str, Any]]) -> list[SpanView]:
    """Spans of one sentence with offsets relative to its (stripped) ``text``; see the module docstring."""
    matches = list(matches)
    extra = max(0, (sent_end - sent_start) - len(text))

    def fits(m: dict[str, Any], lead: int) -> bool:
        rel = int(m["start"]) - sent_start - lead
        t = str(m.get("text", ""))
        return bool(t) and text[rel:rel + len(t)] == t

    lead = max(range(extra + 1), key=lambda k: (sum(fits(m, k) for m in matches), -k)) if matches else 0
    out = []
    for m in matches:
        length = max(1, int(m["end"]) - int(m["start"]))
        rel = int(m["start"]) - sent_start - lead
        t = str(m.get("text", ""))
        if not fits(m, lead) and t:
            found = [i.start() for i in re.finditer(re.escape(t), text)]
            if found:
                rel = min(found, key=lambda i: abs(i - rel))
                length = len(t)
        rel = min(max(rel, 0), len(text))
        end = min(len(text), rel + length)
        if end <= rel:
            continue
        out.append(SpanView(rel, end, str(m.get("axis", "")), str(m.get("pole", "")),
                            str(m.get("status") or "counted"), str(m.get("rule_id", "")), _f(m.get("weight")),
                            str(m.get("section", ""))))
    return assign_tracks(out)


def assign_tracks(spans: list[SpanView]) -> list[SpanView]:
    """Give overlapping spans different tracks (greedy interval colouring, longest first at a tie)."""
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    ends: list[int] = []
    for s in spans:
        for t, e in enumerate(ends):
            if e <= s.start:
                s.track, ends[t] = t, s.end
                break
        else:
            s.track = len(ends)
            ends.append(s.end)
    return spans


def _describe(s: SpanView, axes: dict[str, Axis]) -> str:
    ax = axes.get(s.axis)
    label = (ax.label_L if s.pole == "L" else ax.label_M) if ax else s.pole
    pole = "leadership" if s.pole == "L" else "management" if s.pole == "M" else s.pole
    reason = STATUS_REASONS.get(s.status, f"excluded: {s.status}")
    return f"{s.axis} · {pole} ({label}) — {reason}; rule {s.rule_id}, weight {s.weight:g}, section {s.section}"


def sentence_markup(text: str, spans: list[SpanView], axes: dict[str, Axis],
                    colours: dict[tuple[str, str], str]) -> Markup:
    """The escaped sentence with its spans drawn (word by word, so lines still wrap)."""
    if not spans:
        return escape(text)
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    n_tracks = max(s.track for s in spans) + 1
    labelled: set[int] = set()
    parts: list[Markup] = []
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b]
        cover = [s for s in spans if s.start <= a and b <= s.end]
        if not cover:
            parts.append(escape(piece))
            continue
        offset = a
        for word in re.split(r"(\s+)", piece):
            if not word:
                continue
            if word.isspace():
                parts.append(escape(word))
                offset += len(word)
                continue
            bars = []
            for s in cover:
                colour = colours.get((s.axis, s.pole), "#777777")
                x = "" if s.counted else " x"
                bars.append(Markup('<span class="bar{}" style="--t:{};--c:{}"></span>').format(x, s.track, colour))
                if id(s) not in labelled and offset >= s.start:
                    labelled.add(id(s))
                    tag = f"{s.axis} {s.pole}" + ("" if s.counted else f" · {s.status}")
                    bars.append(Markup('<span class="lbl{}" style="--t:{};--c:{}">{}</span>').format(
                        x, s.track, colour, tag))
            cls = "tok " + ("on" if any(s.counted for s in cover) else "x")
            title = "\n".join(_describe(s, axes) for s in cover)
            parts.append(Markup('<span class="{}" style="--n:{}" title="{}"><span class="w">{}</span>{}</span>')
                         .format(cls, n_tracks, title, word, Markup("").join(bars)))
            offset += len(word)
    return Markup("").join(parts)


def advert_rows(sentences: list[dict[str, Any]], matches: list[dict[str, Any]], axes: dict[str, Axis],
                section_weights: dict[str, float]) -> list[dict[str, Any]]:
    """Rows (lines) of the rebuilt advert: section, whether a blank line precedes, and the markup."""
    colours = axis_colours(axes)
    sentences = sorted(sentences, key=lambda s: (_f(s.get("start")), _f(s.get("sent_id"))))
    by_sent: dict[int, list[dict[str, Any]]] = defaultdict(list)
    loose = []
    known = {int(_f(s.get("sent_id"), -1)) for s in sentences}
    for m in matches:
        sid = int(_f(m.get("sent_id"), -1))
        (by_sent[sid] if sid in known else loose).append(m)
    for m in loose:  # no usable sent_id: put the span in the sentence that holds its start
        for s in sentences:
            if _f(s["start"]) <= _f(m["start"]) < _f(s["end"]):
                by_sent[int(_f(s.get("sent_id"), -1))].append(m)
                break
    rows: list[dict[str, Any]] = []
    prev_end, prev_extra, prev_section = None, 0, None
    for s in sentences:
        text = str(s.get("text") or "")
        start, end = int(_f(s.get("start"))), int(_f(s.get("end")))
        section = str(s.get("section") or "unknown")
        spans = place_spans(text, start, end, by_sent.get(int(_f(s.get("sent_id"), -1)), []))
        pole = str(s.get("pole") or "N")
        body = sentence_markup(text, spans, axes, colours)
        if pole in ("L", "M"):
            body = Markup('<span class="sp {}" title="sentence pole: {}">{}</span>').format(
                pole, "leadership" if pole == "L" else "management", pole) + body
        rule_pole = str(s.get("rule_pole") or "")
        if rule_pole and rule_pole != pole:
            p = _f(s.get(f"p_{pole}"), float("nan"))
            why = (f"the sentence model overruled the rules here: the rules said {rule_pole}, the model gives "
                   f"{pole} a probability of {p:.2f}")
            body = Markup('<span class="sp ov" title="{}">model: {}</span>').format(why, pole) + body
        gap_chars = (start - prev_end) if prev_end is not None else 0
        new_line = prev_end is None or prev_extra > 0 or gap_chars > 1 or section != prev_section
        if new_line or not rows:
            rows.append({"section": section, "section_label": SECTION_LABELS.get(section, section.replace("_", " ")),
                         "first": section != prev_section, "gap": prev_extra >= 2 or gap_chars > 2,
                         "off": section_weights.get(section, 1.0) == 0, "parts": [body]})
        else:
            rows[-1]["parts"].append(body)
        prev_end, prev_extra, prev_section = end, max(0, (end - start) - len(text)), section
    for r in rows:
        r["html"] = Markup(" ").join(r.pop("parts"))
    if rows:
        rows[0]["gap"] = False
    return rows


def _interval(low: Any, high: Any) -> tuple[bool, str]:
    lo, hi = _f(low, math.nan), _f(high, math.nan)
    if math.isnan(lo) or math.isnan(hi):
        return False, "–"
    return True, f"{lo * 100:.0f}%–{hi * 100:.0f}%"


def doc_view(doc: dict[str, Any]) -> dict[str, Any]:
    """The fields of a documents.csv row that the pages show, cleaned of NaN."""
    share = _f(doc.get("leadership_share"), math.nan)
    ok, interval = _interval(doc.get("share_low"), doc.get("share_high"))
    return {"doc_id": str(doc.get("doc_id", "")), "title": str(doc.get("title") or ""),
            "source": str(doc.get("source") or ""), "title_kind": str(doc.get("title_kind") or ""),
            "words": _f(doc.get("words"), math.nan), "verdict": str(doc.get("verdict") or ""),
            "confidence": _f(doc.get("verdict_confidence"), math.nan),
            "lino": bool(doc.get("leader_in_name_only")), "share": share,
            "low": _f(doc.get("share_low"), math.nan), "high": _f(doc.get("share_high"), math.nan),
            "has_share": ok and not math.isnan(share), "interval": interval,
            "L": _f(doc.get("leadership")), "M": _f(doc.get("management")), "error": str(doc.get("error") or "")}


def write_explanations(folder: Path, documents: pd.DataFrame, sentences: pd.DataFrame, matches: pd.DataFrame,
                       doc_ids: Iterable[str], axes: dict[str, Axis], settings: dict[str, Any]) -> dict[str, str]:
    """Write ``folder/explain/<safe name>`` for each of ``doc_ids``; return {doc_id: relative href}.

    Stale pages of an earlier report in ``explain/`` are removed. ``settings`` holds the verdict thresholds
    and interval level shown on every page (see ``report.build``).
    """
    target = (folder / EXPLAIN_DIR)
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    wanted = list(dict.fromkeys(str(d) for d in doc_ids))
    docs = {str(r["doc_id"]): r for r in documents[documents["doc_id"].isin(set(wanted))].to_dict("records")}
    # A duplicate posting has no rows of its own: show the text and spans of the posting it duplicates.
    text_of = {d: (str(r.get("duplicate_of") or "") or d) for d, r in docs.items()}
    need = set(text_of.values())
    sent_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in sentences[sentences["doc_id"].isin(need)].to_dict("records"):
        sent_by[rec["doc_id"]].append(rec)
    match_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in matches[matches["doc_id"].isin(need)].to_dict("records"):
        match_by[rec["doc_id"]].append(rec)
    section_weights = settings.get("section_weights", {})
    legend = [{"axis": name, "label_L": ax.label_L, "label_M": ax.label_M,
               "cL": axis_colours(axes)[(name, "L")], "cM": axis_colours(axes)[(name, "M")]}
              for name, ax in axes.items()]
    hrefs: dict[str, str] = {}
    written: set[str] = set()
    for doc_id in wanted:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        name = safe_name(doc_id)
        path = (root / name).resolve()
        if path.parent != root:  # cannot happen with safe_name; a guard all the same
            continue
        ms = match_by.get(text_of[doc_id], [])
        axis_rows = [{"axis": a, "label_L": ax.label_L, "label_M": ax.label_M, "L": _f(doc.get(f"L_{a}")),
                      "M": _f(doc.get(f"M_{a}"))} for a, ax in axes.items()]
        axis_rows = [r for r in axis_rows if r["L"] or r["M"]]
        status = pd.Series([m.get("status") or "counted" for m in ms], dtype=object).value_counts()
        page = render_explanation({
            "version": settings.get("version", ""), "d": doc_view(doc), "level": settings["level"],
            "thr_L": settings["thr_L"], "thr_M": settings["thr_M"], "min_ev": settings["min_ev"],
            "verdict_rule": settings.get("verdict_rule", "thresholds"),
            "axis_rows": axis_rows, "status_rows": [(k, int(v)) for k, v in status.items()], "legend": legend,
            "rows": advert_rows(sent_by.get(text_of[doc_id], []), ms, axes, section_weights),
        })
        path.write_text(page, encoding="utf-8")
        written.add(name)
        hrefs[doc_id] = f"{EXPLAIN_DIR}/{name}"
    for old in root.glob("*.html"):
        if old.name not in written:
            old.unlink()
    return hrefs
