"""Read a leadlens output folder back, and summarise it as small tables.

Everything here is pandas in, pandas out, and prints nothing; the HTML report, the XLSX summary and the
notebooks all build on these functions. :func:`load_output` undoes what the writer did for spreadsheet safety
(a leading apostrophe before text cells starting with ``= + - @ tab CR``), so offsets line up with the text
again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import LeadlensError
from ..rules import Axis, load_axes

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TITLE_KINDS = ("leader", "manager", "other")
VERDICTS = ("leadership", "mixed", "management", "insufficient")
STATUS_REASONS = {
    "counted": "counted: a duty of the post holder, weighted by its section",
    "sense": "excluded: clinical or technical sense of the word (e.g. 'pain management')",
    "heading": "excluded: part of a heading or the title line",
    "boilerplate": "excluded: boilerplate (about the organisation, benefits, equality, how to apply)",
    "title": "excluded: a job title or reporting line named as a noun",
    "negated": "excluded: the duty is negated or denied",
    "hypothetical": "excluded: only a possibility ('may be asked to')",
    "organisation": "excluded: the organisation, not the post holder, is the subject",
    "overruled": "excluded: the sentence model overruled the rules' pole of this sentence (see its probabilities)",
}
BASE_DOC_COLUMNS = ["doc_id", "source", "title", "title_kind", "words", "leadership", "management",
                    "leadership_share", "share_low", "share_high", "verdict", "verdict_confidence",
                    "leader_in_name_only", "error", "duplicate_of"]
DOC_NUMERIC = ["words", "leadership", "management", "leadership_share", "share_low", "share_high",
               "verdict_confidence"]
SENT_NUMERIC = ["sent_id", "start", "end", "leadership", "management", "p_L", "p_M", "p_N"]
MATCH_NUMERIC = ["sent_id", "start", "end", "weight", "rule_weight"]
MATCH_BOOL = ["negated", "hypothetical", "boilerplate", "title_mention", "heading", "main_verb"]
_AXIS_COL = re.compile(r"^[LM]_[a-z_]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


class R(str, Enum):
    """Error codes of the report (same shape as :class:`leadlens.errors.E`)."""

    R001 = "{file}: not found. Pass the folder written by `leadlens score INPUT --out DIR`."
    R002 = "{file}: missing column(s) {columns}; this is not a leadlens output table (see DESIGN.md)."
    R003 = "{file}: cannot read: {reason}"

    def format(self, **kwargs: object) -> str:  # type: ignore[override]
        return f"[{self.name}] " + self.value.format(**kwargs)


class ReportError(LeadlensError):
    """The output folder cannot be reported on."""


@dataclass
class Output:
    """The tables of one output folder, as written by ``leadlens score``.

    ``sentences`` is empty when it was not loaded (see :func:`load_output`).
    """

    folder: Path
    documents: pd.DataFrame
    sentences: pd.DataFrame
    matches: pd.DataFrame
    run: dict[str, Any] = field(default_factory=dict)

    @property
    def scored(self) -> pd.DataFrame:
        """Documents that were read and scored (no error)."""
        return self.documents[self.documents["error"] == ""]

    @property
    def failed(self) -> pd.DataFrame:
        """Documents that could not be read, with their error."""
        return self.documents[self.documents["error"] != ""]


def unescape_cell(value: Any) -> Any:
    """Undo the writer's formula guard: ``"'=x"`` back to ``"=x"`` (other values unchanged)."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def neutralise_cell(value: Any) -> Any:
    """Guard a text cell against spreadsheet formulas (OWASP CSV injection): prefix an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _read_csv(path: Path, required: Iterable[str], numeric: Iterable[str], usecols: list[str] | None = None,
              chunks_of: set[str] | None = None) -> pd.DataFrame:
    if not path.is_file():
        raise ReportError(R.R001, file=str(path))  # type: ignore[arg-type]
    try:
        header = pd.read_csv(path, nrows=0).columns.tolist()
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ReportError(R.R003, file=str(path), reason=str(exc)) from exc  # type: ignore[arg-type]
    missing = [c for c in required if c not in header]
    if missing:
        raise ReportError(R.R002, file=str(path), columns=missing)  # type: ignore[arg-type]
    cols = [c for c in (usecols or header) if c in header]
    numeric = [c for c in numeric if c in cols]
    # Everything is read as text (a title "NA" or a doc_id "001" must survive), then numbers are converted.
    kwargs: dict[str, Any] = {"dtype": str, "keep_default_na": False, "usecols": cols}
    if chunks_of is None:
        df = pd.read_csv(path, **kwargs)
    else:
        parts = [c[c["doc_id"].isin(chunks_of)] for c in pd.read_csv(path, chunksize=200_000, **kwargs)]
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    for c in cols:
        if c in numeric:
            df[c] = pd.to_numeric(df[c], errors="coerce")
        else:
            df[c] = df[c].map(unescape_cell)
    return df


def _to_bool(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])


def read_documents(folder: Path) -> pd.DataFrame:
    """``documents.csv`` with numbers as numbers and ``leader_in_name_only`` as bool."""
    df = _read_csv(folder / "documents.csv", ["doc_id", "title", "title_kind", "verdict"],
                   DOC_NUMERIC)
    header = df.columns.tolist()
    for c in header:
        if _AXIS_COL.match(c):
            df[c] = pd.to_numeric(df[c], errors="coerce").fillna(0.0)
    for c in BASE_DOC_COLUMNS:
        if c not in df.columns:
            df[c] = pd.NA if c in DOC_NUMERIC else ""
    df["leader_in_name_only"] = _to_bool(df["leader_in_name_only"])
    df["error"] = df["error"].fillna("").astype(str)
    return df


def read_matches(folder: Path, usecols: list[str] | None = None) -> pd.DataFrame:
    """``matches.csv`` (all spans, excluded ones with their ``status``)."""
    df = _read_csv(folder / "matches.csv", ["doc_id", "start", "end", "axis", "pole", "rule_id"], MATCH_NUMERIC,
                   usecols=usecols)
    for c in MATCH_BOOL:
        if c in df.columns:
            df[c] = _to_bool(df[c])
    if "status" not in df.columns:
        df["status"] = "counted"
    df["status"] = df["status"].replace("", "counted")
    if "rule_id" in df.columns:
        df["theme"] = df["rule_id"].str.split(".", n=1).str[0]
    return df


def read_sentences(folder: Path, doc_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """``sentences.csv``, only the rows of ``doc_ids`` when given (read in chunks, so a large run fits)."""
    wanted = None if doc_ids is None else set(doc_ids)
    return _read_csv(folder / "sentences.csv", ["doc_id", "sent_id", "start", "end", "text"], SENT_NUMERIC,
                     chunks_of=wanted)


def read_run(folder: Path) -> dict[str, Any]:
    """``run.json`` (an empty dict when absent or unreadable: the report says so)."""
    try:
        data = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def load_output(folder: str | Path, sentences: bool = True) -> Output:
    """Load an output folder. With ``sentences=False`` the (largest) sentences table is skipped.

    >>> out = load_output("results")              # doctest: +SKIP
    >>> out.scored[["title", "verdict"]]          # doctest: +SKIP
    """
    folder = Path(folder)
    docs = read_documents(folder)
    matches = read_matches(folder)
    sents = read_sentences(folder) if sentences else pd.DataFrame(
        columns=["doc_id", "sent_id", "start", "end", "section", "pole", "leadership", "management", "text"])
    return Output(folder, docs, sents, matches, read_run(folder))


# --- summaries ---------------------------------------------------------------------------------------------


def axes() -> dict[str, Axis]:
    """The nine axes in the seed's order, with their pole labels."""
    return load_axes()


def carried_columns(documents: pd.DataFrame, max_values: int = 30, max_columns: int = 8) -> list[str]:
    """Extra columns (beyond the output contract) worth a breakdown: 2 to ``max_values`` distinct short values,
    fewer distinct values than rows."""
    out = []
    docs = documents[documents["error"] == ""] if "error" in documents else documents
    for c in documents.columns:
        if c in BASE_DOC_COLUMNS or _AXIS_COL.match(c):
            continue
        vals = docs[c].dropna().astype(str).str.strip()
        vals = vals[vals != ""]
        n = vals.nunique()
        if vals.str.match(_DATE).mean() > 0.5:  # dates and timestamps are not categories
            continue
        if 2 <= n <= max_values and n < len(vals) and vals.str.len().mean() <= 60:
            out.append(c)
        if len(out) >= max_columns:
            break
    return out


def headline(out: Output) -> dict[str, Any]:
    """The numbers of the report's first paragraph."""
    docs, ok = out.documents, out.scored
    leaders = ok[ok["title_kind"] == "leader"]
    lino = int(leaders["leader_in_name_only"].sum())
    return {
        "posts": int(len(docs)), "scored": int(len(ok)), "failed": int(len(docs) - len(ok)),
        "leader_titled": int(len(leaders)), "leader_in_name_only": lino,
        "lino_pct": (100.0 * lino / len(leaders)) if len(leaders) else None,
        "leader_judged": int((leaders["verdict"] != "insufficient").sum()),
        "verdicts": {v: int((ok["verdict"] == v).sum()) for v in VERDICTS},
        "with_evidence": int((ok["leadership_share"].notna()).sum()),
        "spans": int(len(out.matches)), "counted": int((out.matches["status"] == "counted").sum()),
    }


def verdicts_by_title_kind(documents: pd.DataFrame) -> pd.DataFrame:
    """Counts of each verdict per title kind (rows: title kinds present; columns: verdicts, total)."""
    ok = documents[documents["error"] == ""]
    kinds = [k for k in TITLE_KINDS if (ok["title_kind"] == k).any()] + \
        sorted(set(ok["title_kind"]) - set(TITLE_KINDS) - {""})
    table = pd.crosstab(ok["title_kind"], ok["verdict"]).reindex(index=kinds, columns=list(VERDICTS),
                                                                  fill_value=0)
    table["total"] = table.sum(axis=1)
    return table


def share_by_title_kind(documents: pd.DataFrame) -> pd.DataFrame:
    """Per title kind: posts, posts with evidence, quartiles of the leadership share, leaders in name only."""
    ok = documents[documents["error"] == ""]
    rows = []
    for kind in [k for k in TITLE_KINDS if (ok["title_kind"] == k).any()]:
        g = ok[ok["title_kind"] == kind]
        s = g["leadership_share"].dropna()
        rows.append({"title_kind": kind, "posts": len(g), "with_evidence": len(s),
                     "q1": s.quantile(0.25) if len(s) else None, "median": s.median() if len(s) else None,
                     "q3": s.quantile(0.75) if len(s) else None,
                     "leader_in_name_only": int(g["leader_in_name_only"].sum())})
    return pd.DataFrame(rows, columns=["title_kind", "posts", "with_evidence", "q1", "median", "q3",
                                       "leader_in_name_only"])


def axis_profile(documents: pd.DataFrame, axes_: dict[str, Axis] | None = None) -> pd.DataFrame:
    """The collection's nine-axis profile, both poles: total and mean weighted evidence per scored post, and
    how many posts show any evidence on each pole."""
    axes_ = axes_ or axes()
    ok = documents[documents["error"] == ""]
    n = max(len(ok), 1)
    rows = []
    for name, ax in axes_.items():
        lc, mc = f"L_{name}", f"M_{name}"
        lv = ok[lc] if lc in ok else pd.Series(dtype=float)
        mv = ok[mc] if mc in ok else pd.Series(dtype=float)
        rows.append({"axis": name, "label_L": ax.label_L, "label_M": ax.label_M,
                     "L_total": float(lv.sum()), "M_total": float(mv.sum()),
                     "L_mean": float(lv.sum()) / n, "M_mean": float(mv.sum()) / n,
                     "L_posts": int((lv > 0).sum()), "M_posts": int((mv > 0).sum())})
    return pd.DataFrame(rows)


def status_counts(matches: pd.DataFrame) -> pd.DataFrame:
    """How many spans were counted, and how many were excluded for each reason."""
    counts = matches["status"].value_counts()
    order = [s for s in STATUS_REASONS if s in counts.index] + [s for s in counts.index if s not in STATUS_REASONS]
    return pd.DataFrame({"status": order, "spans": [int(counts[s]) for s in order],
                         "meaning": [STATUS_REASONS.get(s, "") for s in order]})


def themes(matches: pd.DataFrame, top: int = 12, examples: int = 3) -> dict[str, pd.DataFrame]:
    """The most frequent themes (``rule_id`` before the first dot) per pole, over counted spans: spans, weight,
    posts, and the most frequent rules and matched words of each."""
    counted = matches[matches["status"] == "counted"]
    out: dict[str, pd.DataFrame] = {}
    for pole in ("L", "M"):
        m = counted[counted["pole"] == pole]
        rows = []
        if len(m):
            grouped = m.groupby("theme")
            summary = grouped.agg(spans=("theme", "size"), weight=("weight", "sum"),
                                  posts=("doc_id", "nunique"), first_axis=("axis", "first"))
            summary = summary.sort_values(["spans", "weight"], ascending=False)
            for theme, r in summary.head(top).iterrows():
                g = m[m["theme"] == theme]
                rules = g["rule_id"].value_counts().head(examples)
                words = g["lemma"].value_counts().head(examples) if "lemma" in g else pd.Series(dtype=int)
                rows.append({"theme": theme, "axis": r["first_axis"], "spans": int(r["spans"]),
                             "weight": round(float(r["weight"]), 2), "posts": int(r["posts"]),
                             "top_rules": ", ".join(f"{k} ({v})" for k, v in rules.items()),
                             "top_words": ", ".join(f"{k} ({v})" for k, v in words.items())})
        out[pole] = pd.DataFrame(rows, columns=["theme", "axis", "spans", "weight", "posts", "top_rules",
                                                "top_words"])
    return out


def breakdown(documents: pd.DataFrame, column: str, max_values: int = 15) -> pd.DataFrame:
    """Per value of a carried column: posts, leader-titled, leaders in name only, median share, verdict counts.
    Values beyond the ``max_values`` most frequent are pooled as "(other)"; blanks as "(blank)"."""
    ok = documents[documents["error"] == ""].copy()
    vals = ok[column].map(lambda v: "(blank)" if v is None or (isinstance(v, float) and v != v)
                          or str(v).strip() == "" else str(v).strip())
    keep = vals.value_counts().head(max_values).index
    ok["_value"] = vals.where(vals.isin(keep), "(other)")
    rows = []
    for value, g in ok.groupby("_value", sort=False):
        row = {"value": value, "posts": len(g), "leader_titled": int((g["title_kind"] == "leader").sum()),
               "leader_in_name_only": int(g["leader_in_name_only"].sum()),
               "median_share": g["leadership_share"].dropna().median() if g["leadership_share"].notna().any() else None}
        row.update({v: int((g["verdict"] == v).sum()) for v in VERDICTS})
        rows.append(row)
    df = pd.DataFrame(rows)
    if not len(df):
        return df
    df["_key"] = df["value"].map(_natural_key)
    df["_last"] = df["value"].isin(["(other)", "(blank)"])
    return df.sort_values(["_last", "_key"]).drop(columns=["_key", "_last"]).reset_index(drop=True)


def _natural_key(s: str) -> tuple:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.findall(r"\d+|\D+", s))


def leaders_in_name_only(documents: pd.DataFrame) -> pd.DataFrame:
    """Leader-titled posts whose verdict is management, most management-heavy first."""
    ok = documents[(documents["error"] == "") & documents["leader_in_name_only"]]
    return ok.sort_values(["leadership_share", "management"], ascending=[True, False], na_position="last")


def top_themes_per_doc(matches: pd.DataFrame, pole: str = "M", n: int = 3) -> pd.Series:
    """The ``n`` heaviest counted themes of ``pole`` for each document, as "theme, theme" strings."""
    m = matches[(matches["status"] == "counted") & (matches["pole"] == pole)]
    if not len(m):
        return pd.Series(dtype=str)
    w = m.groupby(["doc_id", "theme"])["weight"].sum().reset_index()
    w = w.sort_values(["doc_id", "weight"], ascending=[True, False])
    return w.groupby("doc_id")["theme"].apply(lambda s: ", ".join(s.head(n)))


def axes_sheet(documents: pd.DataFrame, axes_: dict[str, Axis] | None = None) -> pd.DataFrame:
    """The axis profile overall and per title kind (one row per axis and group), for the XLSX summary."""
    axes_ = axes_ or axes()
    ok = documents[documents["error"] == ""]
    frames = []
    groups = [("all", ok)] + [(k, ok[ok["title_kind"] == k]) for k in TITLE_KINDS if (ok["title_kind"] == k).any()]
    for name, g in groups:
        p = axis_profile(g, axes_)
        p.insert(0, "posts", len(g))
        p.insert(0, "group", name)
        frames.append(p)
    return pd.concat(frames, ignore_index=True)


def separating_words(documents: pd.DataFrame, matches: pd.DataFrame, group_a: str = "leader",
                     group_b: str = "manager", by: str = "title_kind", min_posts: int = 2) -> pd.DataFrame:
    """Which tagged words (span lemmas) separate two groups of posts (default leader- from manager-titled).

    For each lemma of a counted span: in how many posts of each group it occurs, and the log odds ratio of
    those post proportions (add-half smoothing) with its z score (the ratio over its standard error). Positive
    means more typical of ``group_a``. Lemmas found in fewer than ``min_posts`` posts overall are left out.
    """
    ok = documents[documents["error"] == ""]
    ids_a = set(ok.loc[ok[by] == group_a, "doc_id"])
    ids_b = set(ok.loc[ok[by] == group_b, "doc_id"])
    m = matches[(matches["status"] == "counted") & matches["doc_id"].isin(ids_a | ids_b)]
    cols = ["lemma", "axis", "pole", f"posts_{group_a}", f"posts_{group_b}", f"share_{group_a}",
            f"share_{group_b}", "log_odds", "z"]
    if not len(m) or not ids_a or not ids_b:
        return pd.DataFrame(columns=cols)
    per = m.drop_duplicates(["doc_id", "lemma"])
    a = per[per["doc_id"].isin(ids_a)].groupby("lemma").size()
    b = per[per["doc_id"].isin(ids_b)].groupby("lemma").size()
    df = pd.DataFrame({"a": a, "b": b}).fillna(0)
    df = df[(df["a"] + df["b"]) >= min_posts]
    na, nb = len(ids_a), len(ids_b)
    pa, pb = df["a"] + 0.5, df["b"] + 0.5
    qa, qb = na - df["a"] + 0.5, nb - df["b"] + 0.5
    lor = (pa / qa).map(math.log) - (pb / qb).map(math.log)
    se = (1 / pa + 1 / qa + 1 / pb + 1 / qb) ** 0.5
    first = m.groupby("lemma")[["axis", "pole"]].agg(lambda s: s.mode().iloc[0])
    out = pd.DataFrame({"lemma": df.index, "axis": first.reindex(df.index)["axis"].values,
                        "pole": first.reindex(df.index)["pole"].values,
                        f"posts_{group_a}": df["a"].astype(int).values, f"posts_{group_b}": df["b"].astype(int).values,
                        f"share_{group_a}": (df["a"] / na).round(3).values,
                        f"share_{group_b}": (df["b"] / nb).round(3).values,
                        "log_odds": lor.round(3).values, "z": (lor / se).round(2).values})
    return out.sort_values("z", ascending=False).reset_index(drop=True)
