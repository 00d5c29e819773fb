"""``write_report``: from an output folder to ``report.html``, ``explain/*.html`` and ``summary.xlsx``.

Size is bounded whatever the run's size: plots are aggregates, the leaders-in-name-only table shows at most
:data:`LINO_CAP` rows, the all-posts table appears only for runs of at most :data:`ALL_POSTS_MAX` posts,
failures are cut at :data:`FAILED_CAP`. Explanation pages are written for the posts in those tables (all
scored posts with ``explain_all``), each its own file, so the report itself never holds advert text.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..batch import atomic_write_text
from . import plots, tables
from .explain import write_explanations
from .html import render_report
from .xlsx import MATCHES_CAP, write_xlsx

XLSX_MATCH_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "lemma", "axis", "pole", "theme", "rule_id",
                      "section", "status", "weight", "negated", "hypothetical", "agent"]
LINO_CAP = 500
ALL_POSTS_MAX = 300
FAILED_CAP = 200
SHARE_HEADERS = {"title_kind": "title kind", "with_evidence": "with evidence", "q1": "lower quartile",
                 "q3": "upper quartile", "leader_in_name_only": "leaders in name only"}
DEFAULT_SETTINGS = {"interval_level": 0.8, "prior": 0.5,
                    "verdict": {"min_evidence": 2.0, "leadership_at_least": 0.6, "management_at_most": 0.4}}


def settings_from_run(run: dict[str, Any]) -> dict[str, Any]:
    """Thresholds, interval level and section weights of the run (defaults when run.json lacks them)."""
    scoring = run.get("scoring") if isinstance(run.get("scoring"), dict) else {}
    v = {**DEFAULT_SETTINGS["verdict"], **(scoring.get("verdict") or {})}
    level = float(scoring.get("interval_level", DEFAULT_SETTINGS["interval_level"]))
    return {"level": f"{level:.0%}", "prior": scoring.get("prior", DEFAULT_SETTINGS["prior"]),
            "thr_L": float(v["leadership_at_least"]), "thr_M": float(v["management_at_most"]),
            "min_ev": float(v["min_evidence"]), "section_weights": scoring.get("section_weights") or {},
            "verdict_rule": str(scoring.get("verdict_rule") or "thresholds"),
            "version": __version__}


def _run_facts(run: dict[str, Any]) -> list[tuple[str, str]]:
    if not run:
        return [("run.json", "missing or unreadable: versions and rule hashes unknown")]
    facts = [("leadlens version", str(run.get("leadlens", "?")))]
    pipe = run.get("spacy_pipeline") or {}
    settings = run.get("settings") or {}
    model = str(run.get("model", "?"))
    version = settings.get("model_version") or pipe.get("version")
    if version:
        model += f" {version}"
    if settings.get("spacy"):
        model += f" (spaCy {settings['spacy']})"
    if pipe.get("components"):
        model += f"; components {', '.join(pipe['components'])}"
    facts.append(("spaCy model", model))
    facts.append(("lexicon hash (SHA-256 of all rule files)", str(run.get("lexicon_hash", "?"))))
    rules = run.get("rules") or {}
    if rules:
        facts.append(("rules", f"{rules.get('rules', '?')} lexicon rules, {rules.get('senses', '?')} sense "
                               f"exclusions, {rules.get('context_rules', '?')} context rules, "
                               f"{rules.get('section_rules', '?')} section rules"))
    if "sentence_model" in run:
        sm = run["sentence_model"]
        if isinstance(sm, dict):
            facts.append(("sentence model", f"{sm.get('path', '?')} (overrules a sentence's pole at probability "
                                            f"≥ {sm.get('threshold', '?')}"
                                            + (f"; probabilities averaged with a text classifier at weight "
                                               f"{sm['text_classifier_weight']:g}"
                                               if sm.get("text_classifier_weight") else "")
                                            + f"; digest {str(sm.get('digest', ''))[:12]}"
                                            + ("" if sm.get("rules_match", True) else "; trained on other rules")
                                            + ")"))
        else:
            facts.append(("sentence model", "none: the rules alone (--rules-only, or no model found)"))
    scoring = run.get("scoring") or {}
    if scoring.get("section_weights"):
        facts.append(("section weights", ", ".join(f"{k} {v:g}" if isinstance(v, (int, float)) else f"{k} {v}"
                                                   for k, v in scoring["section_weights"].items())))
    if "main_verb_bonus" in scoring:
        facts.append(("main-verb bonus", f"{scoring['main_verb_bonus']:g}"))
    inputs = [str(x) for x in run.get("inputs") or []]
    if inputs:
        facts.append(("inputs", ", ".join(inputs[:10]) + (f" … and {len(inputs) - 10} more" if len(inputs) > 10
                                                          else "")))
    if run.get("options"):
        facts.append(("options", ", ".join(f"{k}={v}" for k, v in run["options"].items())))
    if isinstance(run.get("counts"), dict):
        facts.append(("counts", ", ".join(f"{k} {v}" for k, v in run["counts"].items()
                                          if isinstance(v, (int, float)))))
    if "seconds" in run:
        facts.append(("scoring time", f"{run['seconds']} s"))
    if "python" in run:
        facts.append(("Python", str(run["python"])))
    return facts


def evaluation_view(evaluation: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Normalise evaluation figures for the methods section.

    Accepts ``leadlens.evaluate.evaluate``'s result ({name: (Scores, table)}), a {name: Scores} or
    {name: Scores.as_dict()} mapping (``evaluation.json``), or one ``as_dict()``; anything else is shown as
    name/value pairs.
    """
    if not evaluation:
        return []
    if "macro_f1" in evaluation or "per_class" in evaluation:
        evaluation = {str(evaluation.get("name", "evaluation")): evaluation}
    system = evaluation.get("system")
    system_name = system.get("name") if isinstance(system, dict) else None
    out = []
    for name, val in evaluation.items():
        if name == "system" and system_name:
            continue
        if isinstance(val, tuple) and val:
            val = val[0]
        if hasattr(val, "as_dict"):
            val = val.as_dict()
        if not isinstance(val, dict):
            out.append({"name": str(name), "data": "", "figures": [("value", str(val))], "per_class": None,
                        "confusion": None})
            continue
        figures = []
        for key, label in (("n", "n"), ("macro_f1", "macro-F1"), ("kappa", "Cohen's kappa"),
                           ("accuracy", "accuracy")):
            if isinstance(val.get(key), (int, float)):
                figures.append((label, f"{val[key]:.3f}" if isinstance(val[key], float) else str(val[key])))
        if not figures:
            figures = [(str(k), str(v)) for k, v in val.items() if isinstance(v, (int, float, str))][:12]
        per_class = None
        if isinstance(val.get("per_class"), dict):
            per_class = pd.DataFrame([{"class": k, "precision": v.get("precision"), "recall": v.get("recall"),
                                       "F1": v.get("f1"), "support": v.get("support")}
                                      for k, v in val["per_class"].items() if isinstance(v, dict)])
        confusion = None
        conf = val.get("confusion")
        if isinstance(conf, dict) and conf.get("matrix"):
            labels = conf.get("rows_gold_cols_pred") or [str(i) for i in range(len(conf["matrix"]))]
            confusion = pd.DataFrame(conf["matrix"], columns=[f"pred {x}" for x in labels])
            confusion.insert(0, "gold", labels)
        data = str(val.get("data", ""))
        if system_name:
            data = f"{data} System: {system_name}." if data else f"System: {system_name}."
        out.append({"name": str(name), "data": data, "figures": figures,
                    "per_class": per_class, "confusion": confusion})
    return out


def _post_rows(docs: pd.DataFrame, hrefs: dict[str, str], themes: pd.Series, cols: list[str]) -> list[dict]:
    rows = []
    for d in docs.to_dict("records"):
        low, high = d.get("share_low"), d.get("share_high")
        ok = all(isinstance(x, (int, float)) and not math.isnan(x) for x in (low, high))
        doc_id = str(d["doc_id"])
        rows.append({"doc_id": doc_id, "title": str(d.get("title") or ""), "href": hrefs.get(doc_id),
                     "title_kind": d.get("title_kind", ""), "verdict": d.get("verdict", ""),
                     "lino": bool(d.get("leader_in_name_only")), "share": d.get("leadership_share"),
                     "low": low, "high": high,
                     "interval": f"{low * 100:.0f}%–{high * 100:.0f}%" if ok else "–",
                     "L": d.get("leadership"), "M": d.get("management"), "words": d.get("words"),
                     "themes": themes.get(str(d["doc_id"]), ""), "extra": {c: d.get(c) for c in cols}})
    return rows


def write_report(out_dir: Path, explain_all: bool = False, evaluation: dict | None = None) -> Path:
    """Write ``report.html``, ``explain/*.html`` and ``summary.xlsx`` into the output folder ``out_dir``.

    Args:
        out_dir: a folder written by ``leadlens score`` (documents.csv, sentences.csv, matches.csv, run.json).
        explain_all: write an explanation page for every scored post, not only those in the report's tables.
        evaluation: evaluation figures for the methods section (see :func:`evaluation_view`).

    Returns:
        The path of ``report.html``.

    Raises:
        ReportError: a table is missing or is not a leadlens output table.
    """
    out_dir = Path(out_dir)
    out = tables.load_output(out_dir, sentences=False)
    docs, matches, run = out.documents, out.matches, out.run
    settings = settings_from_run(run)
    axes = tables.axes()
    h = tables.headline(out)
    carried = tables.carried_columns(docs)
    ok = out.scored

    verdict_table = tables.verdicts_by_title_kind(docs)
    share_table = tables.share_by_title_kind(docs)
    profile = tables.axis_profile(docs, axes)
    theme_tables = tables.themes(matches)
    m_themes = tables.top_themes_per_doc(matches, "M")

    lino_all = tables.leaders_in_name_only(docs)
    lino = lino_all.head(LINO_CAP)
    all_posts = ok if len(ok) <= ALL_POSTS_MAX else None
    in_tables = list(lino["doc_id"]) + (list(all_posts["doc_id"]) if all_posts is not None else [])
    explained = list(ok["doc_id"]) if explain_all else in_tables
    dups = docs.loc[docs["doc_id"].isin(set(explained)), "duplicate_of"]
    sentences = tables.read_sentences(out_dir, doc_ids=set(explained) | set(dups[dups != ""]))
    hrefs = write_explanations(out_dir, docs, sentences, matches, explained, axes, settings)

    plot_set = {
        "verdicts": plots.verdicts_by_title_kind(verdict_table),
        "share": plots.share_by_title_kind(docs, (settings["thr_M"], settings["thr_L"])),
        "axes": plots.axis_profile(profile),
        "themes": plots.themes(theme_tables),
    }
    breakdowns = []
    for col in carried:
        b = tables.breakdown(docs, col)
        if len(b):
            shown = b.rename(columns={"value": col, "leader_titled": "leader-titled",
                                      "leader_in_name_only": "leaders in name only",
                                      "median_share": "median share"})
            breakdowns.append({"column": col, "table": shown, "plot": plots.breakdown(b, col),
                               "numeric": [c for c in shown.columns[1:] if c != "median share"]})
    axis_table = pd.DataFrame({
        "axis": profile["axis"], "leadership pole": profile["label_L"], "L evidence": profile["L_total"],
        "L mean/post": profile["L_mean"], "L posts": profile["L_posts"], "management pole": profile["label_M"],
        "M evidence": profile["M_total"], "M mean/post": profile["M_mean"], "M posts": profile["M_posts"]})
    failed = out.failed[["doc_id", "source", "error"]].head(FAILED_CAP)
    context = {
        "version": __version__, "folder": str(out_dir), "h": h,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "plots": plot_set, "verdict_table": verdict_table.reset_index().rename(columns={"title_kind": "title kind"}),
        "share_table": share_table.rename(columns=SHARE_HEADERS), "axis_table": axis_table,
        "status_table": tables.status_counts(matches),
        "lino_rows": _post_rows(lino, hrefs, m_themes, carried), "lino_cols": carried,
        "lino_shown": len(lino), "lino_total": len(lino_all), "lino_more": len(lino_all) > len(lino),
        "posts": _post_rows(all_posts, hrefs, m_themes, carried) if all_posts is not None else None,
        "breakdowns": breakdowns, "themes_L": theme_tables["L"], "themes_M": theme_tables["M"],
        "failed": failed, "failed_more": h["failed"] > len(failed),
        "run_facts": _run_facts(run), "evaluation": evaluation_view(evaluation),
        "level": settings["level"], "prior": settings["prior"], "thr_L": settings["thr_L"],
        "thr_M": settings["thr_M"], "min_ev": settings["min_ev"], "verdict_rule": settings["verdict_rule"],
    }
    report = out_dir / "report.html"
    atomic_write_text(report, render_report(context))
    write_xlsx(out_dir / "summary.xlsx", {
        "documents": docs,
        "axes": tables.axes_sheet(docs, axes),
        "matches": matches[[c for c in XLSX_MATCH_COLUMNS if c in matches.columns]],
    }, caps={"matches": MATCHES_CAP})
    return report
