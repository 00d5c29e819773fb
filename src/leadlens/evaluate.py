"""Agreement with gold labels: precision, recall and F1 per class, macro-F1, confusion tables.

Gold sets (``corpora/gold/``):

* ``units.jsonl`` (or ``units.jsonl.gz``, as shipped): real advert units as advert id + character offsets + label;
  the advert text is read from
  the NHS Jobs 2020 data at evaluation time (``--data``, the curated sample, with the whole file beside it for
  adverts outside the sample; never copied into the project). Each advert
  is analysed whole, so sections and context apply, and a unit's predicted pole is the pole of the spans
  starting inside it.
* ``contrast.jsonl``: sentences written for leadlens, each tagged with the phenomenon it tests; each is
  analysed on its own.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

from .analysis import Analyser, PostingResult
from .gold import DATA_ENV, SAMPLE_NAME, default_data_file, read_adverts, source_names  # noqa: F401 (re-exported)
from .scoring import pole_settings

if TYPE_CHECKING:  # pragma: no cover
    from .model.apply import LoadedModel

LABELS = ["L", "M", "N"]
@dataclass
class Scores:
    """Metrics of one gold set."""

    name: str
    n: int
    per_class: dict[str, dict[str, float]]
    macro_f1: float
    kappa: float
    confusion: pd.DataFrame
    by_group: dict[str, dict[str, float]] = field(default_factory=dict)
    data: str = ""
    labels: list[str] = field(default_factory=lambda: list(LABELS))

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "n": self.n, "data": self.data, "per_class": self.per_class,
                "macro_f1": round(self.macro_f1, 4), "kappa": round(self.kappa, 4),
                "confusion": {"rows_gold_cols_pred": list(self.labels), "matrix": self.confusion.values.tolist()},
                "by_group": self.by_group}


def metrics(name: str, gold: list[str], pred: list[str], groups: list[str] | None = None, data: str = "") -> Scores:
    """Per-class P/R/F1, macro-F1, Cohen's kappa and the confusion table (rows gold, columns predicted)."""
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=LABELS, zero_division=0)
    per_class = {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                       "f1": round(float(f[i]), 4), "support": int(s[i])} for i, lab in enumerate(LABELS)}
    cm = pd.DataFrame(confusion_matrix(gold, pred, labels=LABELS), index=[f"gold {x}" for x in LABELS],
                      columns=[f"pred {x}" for x in LABELS])
    by_group: dict[str, dict[str, float]] = {}
    if groups:
        acc: dict[str, list[int]] = defaultdict(list)
        for g, y, yhat in zip(groups, gold, pred):
            acc[g].append(int(y == yhat))
        by_group = {g: {"n": len(v), "accuracy": round(sum(v) / len(v), 4)} for g, v in sorted(acc.items())}
    kappa = float(cohen_kappa_score(gold, pred, labels=LABELS)) if len(set(gold) | set(pred)) > 1 else 1.0
    return Scores(name, len(gold), per_class, float(sum(f) / len(LABELS)), kappa, cm, by_group, data)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file, gzip-compressed when its name ends in ``.gz``."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_files(gold: Path) -> list[Path]:
    """The gold sets in a folder (``contrast.jsonl``, ``units.jsonl``, ``posts.jsonl``, each also as ``.gz``), in
    that order, or ``[gold]`` for a file."""
    gold = Path(gold)
    if gold.is_file():
        return [gold]
    found = []
    for name in ("contrast.jsonl", "units.jsonl", "posts.jsonl"):
        plain, packed = gold / name, gold / f"{name}.gz"
        found += [plain] if plain.is_file() else [packed] if packed.is_file() else []
    return found


def _pole_settings(analyser: Analyser) -> tuple[float, float, float]:
    return pole_settings(analyser.rules.scoring)


def _unit_poles(analyser: Analyser, items: list[tuple[PostingResult, list[tuple[int, int]]]],
                sentence_model: LoadedModel | None) -> list[list[str]]:
    """The final pole of each character range: the rules' (``pole_between``), or the sentence model's decision."""
    if sentence_model is None:
        settings = _pole_settings(analyser)
        return [[r.pole_between(a, b, *settings) for a, b in spans] for r, spans in items]
    from .model.apply import predict_many

    return [[p.pole for p in preds] for preds in predict_many(items, sentence_model)]


def evaluate_contrast(analyser: Analyser, path: Path,
                      sentence_model: LoadedModel | None = None) -> tuple[Scores, pd.DataFrame]:
    """Score the contrast sentences; returns the metrics and a per-sentence table."""
    rows = read_jsonl(path)
    items = [(analyser.analyse(row["text"], title=row.get("title")), [(0, len(row["text"]) + 1)]) for row in rows]
    preds = [p[0] for p in _unit_poles(analyser, items, sentence_model)]
    table = pd.DataFrame([{**r, "pred": p} for r, p in zip(rows, preds)])
    return metrics("contrast", [r["label"] for r in rows], preds, [r["phenomenon"] for r in rows],
                   data=f"{path.name}: {len(rows)} sentences written for leadlens"), table


def load_adverts(data_file: Path, wanted: set[str], gold_file: Path) -> dict[str, dict[str, Any]]:
    """The adverts of ``wanted`` ids from the shared data (:func:`leadlens.gold.read_adverts`)."""
    return read_adverts(data_file, wanted, gold_file)


def evaluate_units(analyser: Analyser, path: Path, data_file: Path, splits: tuple[str, ...] | None = None,
                   sentence_model: LoadedModel | None = None) -> tuple[Scores, pd.DataFrame]:
    """Score the real advert units (of ``splits``, default all) against the adverts read from ``data_file``."""
    units = [u for u in read_jsonl(path) if splits is None or u.get("split") in splits]
    adverts = load_adverts(data_file, {u["advert_id"] for u in units}, path)
    results = {aid: analyser.analyse(rec["description"], title=rec["title"], doc_id=aid)
               for aid, rec in adverts.items()}
    by_advert: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        by_advert.setdefault(u["advert_id"], []).append(i)
    order = list(by_advert)
    poles = _unit_poles(analyser, [(results[a], [(units[i]["start"], units[i]["end"]) for i in by_advert[a]])
                                   for a in order], sentence_model)
    preds = [""] * len(units)
    for a, ps in zip(order, poles):
        for i, p in zip(by_advert[a], ps):
            preds[i] = p
    table = pd.DataFrame([{**u, "text": adverts[u["advert_id"]]["description"][u["start"]:u["end"]], "pred": p}
                          for u, p in zip(units, preds)])
    groups = [adverts[u["advert_id"]].get("stratum", "") for u in units]
    which = "+".join(splits) if splits else "all splits"
    return metrics("units", [u["label"] for u in units], preds, groups,
                   data=f"{path.name} ({which}): {len(units)} units of {len(adverts)} real NHS Jobs 2020 adverts "
                        f"({source_names(adverts)})"), table


VERDICTS = ["leadership", "management", "mixed", "insufficient"]


def evaluate_posts(analyser: Analyser, path: Path, data_file: Path, splits: tuple[str, ...] | None = None,
                   sentence_model: LoadedModel | None = None) -> tuple[Scores, pd.DataFrame]:
    """Post verdicts against the gold posts: per-verdict P/R/F1, Cohen's kappa, and the precision and recall of
    "leader in name only" (a leader-titled post whose verdict is management)."""
    from .titles import title_kind

    posts = [p for p in read_jsonl(path) if splits is None or p.get("split") in splits]
    adverts = load_adverts(data_file, {p["advert_id"] for p in posts}, path)
    rows = []
    results = [analyser.analyse(adverts[p["advert_id"]]["description"], title=adverts[p["advert_id"]]["title"],
                                doc_id=p["advert_id"]) for p in posts]
    if sentence_model is not None:
        from .model.apply import apply_many

        results = [r for r, _ in apply_many(results, sentence_model)]
    for p, res in zip(posts, results):
        rec = adverts[p["advert_id"]]
        kind = title_kind(rec["title"])
        rows.append({"advert_id": p["advert_id"], "title": rec["title"], "title_kind": kind,
                     "gold": p["verdict"], "pred": res.verdict,
                     "gold_share": p.get("leadership_share"), "pred_share": res.leadership_share,
                     "share_low": res.score.share_low, "share_high": res.score.share_high,
                     "gold_lino": kind == "leader" and p["verdict"] == "management",
                     "pred_lino": res.leader_in_name_only})
    table = pd.DataFrame(rows)
    gold, pred = list(table["gold"]), list(table["pred"])
    p_, r_, f_, s_ = precision_recall_fscore_support(gold, pred, labels=VERDICTS, zero_division=0)
    per = {v: {"precision": round(float(p_[i]), 4), "recall": round(float(r_[i]), 4), "f1": round(float(f_[i]), 4),
               "support": int(s_[i])} for i, v in enumerate(VERDICTS)}
    cm = pd.DataFrame(confusion_matrix(gold, pred, labels=VERDICTS), index=[f"gold {v}" for v in VERDICTS],
                      columns=[f"pred {v}" for v in VERDICTS])
    tp = int((table["gold_lino"] & table["pred_lino"]).sum())
    lino = {"n_gold": int(table["gold_lino"].sum()), "n_pred": int(table["pred_lino"].sum()),
            "precision": round(tp / max(int(table["pred_lino"].sum()), 1), 4),
            "recall": round(tp / max(int(table["gold_lino"].sum()), 1), 4)}
    # how often the gold share (annotators' estimate, 0-100) falls inside leadlens's interval on the share
    known = table.dropna(subset=["gold_share", "share_low", "share_high"])
    inside = ((known["gold_share"] / 100 >= known["share_low"]) & (known["gold_share"] / 100 <= known["share_high"]))
    coverage = {"n": int(len(known)), "covered": int(inside.sum()),
                "coverage": round(float(inside.mean()), 4) if len(known) else None}
    which = "+".join(splits) if splits else "all splits"
    sc = Scores("posts", len(table), per, float(sum(f_) / len(VERDICTS)),
                float(cohen_kappa_score(gold, pred)) if len(set(gold) | set(pred)) > 1 else 1.0, cm,
                {"leader_in_name_only": lino, "interval_coverage": coverage},
                data=f"{path.name} ({which}): {len(table)} real NHS Jobs 2020 adverts ({source_names(adverts)})",
                labels=list(VERDICTS))
    return sc, table


def evaluate(gold: Path, analyser: Analyser, data_file: Path | None = None, splits: tuple[str, ...] | None = None,
             sentence_model: LoadedModel | None = None) -> dict[str, tuple[Scores, pd.DataFrame]]:
    """Evaluate every gold set found at ``gold`` (a folder, or one .jsonl or .jsonl.gz file); units and posts of
    ``splits``. With ``sentence_model`` the model may overrule the rules' poles, as in ``leadlens score``."""
    gold = Path(gold)
    out: dict[str, tuple[Scores, pd.DataFrame]] = {}
    for f in gold_files(gold):
        first = read_jsonl(f)[:1]
        if first and "text" in first[0]:
            out["contrast"] = evaluate_contrast(analyser, f, sentence_model)
        elif first and "verdict" in first[0]:
            data_file = data_file or default_data_file()
            if data_file is None:
                raise FileNotFoundError(f"{f} needs the NHS Jobs 2020 sample ({SAMPLE_NAME}); pass --data or set "
                                        f"{DATA_ENV}")
            out["posts"] = evaluate_posts(analyser, f, data_file, splits, sentence_model)
        elif first:
            data_file = data_file or default_data_file()
            if data_file is None:
                raise FileNotFoundError(f"{f} needs the NHS Jobs 2020 sample ({SAMPLE_NAME}); pass --data or set "
                                        f"{DATA_ENV}")
            out["units"] = evaluate_units(analyser, f, data_file, splits, sentence_model)
    return out


def evaluation_markdown(report: dict[str, Any]) -> str:
    """A readable summary of ``evaluation.json`` (the source of docs/EVALUATION.md)."""
    system = (report.get("system") or {}).get("name", "rules")
    lines = ["# leadlens evaluation", "",
             "Generated by `leadlens evaluate` from the gold sets in `corpora/gold/` (see its README for how they",
             f"were made, their agreement and their splits). System: {system}.", ""]
    for name, sc in report.items():
        if name == "system":
            continue
        labels = list(sc["per_class"])
        lines += [f"## {name}", "", f"Data: {sc['data']}", "",
                  f"Macro-F1 **{sc['macro_f1']:.3f}**, Cohen's kappa {sc['kappa']:.3f}, n = {sc['n']}.", "",
                  "| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for lab in labels:
            v = sc["per_class"][lab]
            lines.append(f"| {lab} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |")
        matrix = sc["confusion"]["matrix"]
        lines += ["", "Confusion (rows gold, columns predicted):", "",
                  "| | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
        for lab, row in zip(labels, matrix):
            lines.append(f"| **{lab}** | " + " | ".join(str(x) for x in row) + " |")
        groups = sc.get("by_group") or {}
        if "leader_in_name_only" in groups:
            g = groups["leader_in_name_only"]
            lines += ["", f"Leader in name only: precision {g['precision']:.3f}, recall {g['recall']:.3f} "
                          f"({g['n_pred']} predicted, {g['n_gold']} in gold)."]
            cov = groups.get("interval_coverage") or {}
            if cov.get("n"):
                lines += ["", f"Interval coverage: the annotators' leadership share falls inside leadlens's 80% "
                              f"interval for {cov['covered']} of {cov['n']} posts with evidence on both sides "
                              f"({cov['coverage']:.0%}; nominal 80%)."]
        elif groups and name == "contrast":
            lines += ["", "| phenomenon | n | accuracy |", "|---|---|---|"]
            lines += [f"| {k} | {v['n']} | {v['accuracy']:.3f} |" for k, v in groups.items()]
        lines.append("")
    return "\n".join(lines)


def write_evaluation_html(report: dict[str, Any], path: Path) -> Path:
    """A self-contained, escaped HTML page of the evaluation."""
    import html

    body = []
    for line in evaluation_markdown(report).split("\n"):
        if line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("|") and not line.startswith("|---"):
            cells = [html.escape(c.strip().strip("*")) for c in line.strip("|").split("|")]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        elif line.strip():
            body.append(f"<p>{html.escape(line.replace('**', ''))}</p>")
    out, in_table = [], False
    for b in body:
        if b.startswith("<tr>") and not in_table:
            out.append("<table>")
            in_table = True
        if not b.startswith("<tr>") and in_table:
            out.append("</table>")
            in_table = False
        out.append(b)
    if in_table:
        out.append("</table>")
    page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>leadlens evaluation</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            "table{border-collapse:collapse;margin:.5rem 0}td{border:1px solid #ccc;padding:.2rem .6rem}"
            "</style></head><body>" + "\n".join(out) + "</body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path
