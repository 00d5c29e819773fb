"""Training the sentence model on the gold units, with an honest comparison against the rules.

Protocol (:func:`train`):

1. The adverts of the gold units are read from the NHS Jobs 2020 sample and analysed whole, so sections and
   context apply; a unit's features come from :mod:`leadlens.model.features`, its rules' pole from
   :meth:`PostingResult.pole_between` with the scoring settings (as :mod:`leadlens.evaluate` computes it).
2. **Model choice on the train split only**, by nested cross-validation grouped by advert (``GroupKFold``):
   in each of the 5 outer folds, an inner 5-fold CV on the outer training part picks ``C`` from the grid and
   the override threshold (:func:`leadlens.model.sentence_model.fit_threshold`) from out-of-fold probabilities;
   the outer test part is then scored with the rules alone, the naive stem baseline
   (:mod:`leadlens.model.baseline`), the model alone and the model overruling the rules. These outer-fold
   figures are the CV figures: no choice saw the units they are measured on.
3. The same inner procedure on the whole train split fixes ``C`` and the threshold; the final model is fitted on
   the whole train split.
4. The dev split (read by the rule developers, never used for fitting) is scored as a check; the test split is
   scored once, after everything is fixed, when ``evaluate_test`` is set.
5. ``out_dir`` receives ``model.json`` (the weights, :mod:`leadlens.model.linear`), ``meta.json`` and ``MODEL_CARD.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from .. import __version__, gold
from ..evaluate import LABELS, metrics, read_jsonl
from ..scoring import pole_settings
from .baseline import naive_pole
from .card import model_card
from .features import FeatureConfig, FeatureExtractor
from .interval import fit_interval_scale
from .linear import export
from .textcat import DEFAULT_WEIGHT as DEFAULT_TEXTCAT_WEIGHT
from .textcat import TEXTCAT_DIR, TextClassifier, blend, folder_sha256
from .verdict import VerdictClassifier, compare_verdict_rules, fit_verdict, post_features
from .verdict import summary as verdict_summary
from .verdict import summary_of as verdict_summary_of
from .sentence_model import fit_threshold, macro_f1, make_pipeline

if TYPE_CHECKING:  # pragma: no cover
    from sklearn.pipeline import Pipeline

    from ..analysis import Analyser

MODEL_FILE = "model.json"
DEFAULT_MIN_ADVERTS = 3
# A crafted sentence counts as three real units. Chosen by leaving each of the five crafted training sets out in
# turn (the model trained on the real train units and the other four sets, C=0.3, threshold 0.5): held-out crafted
# macro-F1, mean of the five, 0.948 at weight 1, 0.965 at 2, 0.973 at 3, 0.977 at 5, 0.981 at 10; real train
# units out of fold (5-fold GroupKFold) 0.809, 0.809, 0.807, 0.806, 0.805. Three is the largest weight whose cost
# on real units stays within 0.002 of the best (fifth session, 2026-11-28, on 1,051 train adverts).
DEFAULT_SENTENCE_WEIGHT = 3.0
META_FILE = "meta.json"
CARD_FILE = "MODEL_CARD.md"
DEFAULT_GRID: tuple[dict[str, Any], ...] = ({"C": 0.3}, {"C": 1.0}, {"C": 3.0})
SYSTEMS = ("rules", "naive", "model", "model+rules")  # as in card.SYSTEM_NAMES
Progress = Callable[[str], None]


@dataclass
class UnitData:
    """The gold units of some adverts with their features, rules' poles and naive poles (rows aligned), and each
    unit's weight in a fit (1 for real units; see :func:`build_sentences`)."""

    advert_ids: np.ndarray
    spans: list[tuple[int, int]]
    y: np.ndarray
    features: list[dict[str, float]]
    rule_pole: np.ndarray
    naive_pole: np.ndarray
    texts: list[str]
    weight: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.weight is None:
            self.weight = np.ones(len(self.y))

    def __len__(self) -> int:
        return len(self.y)

    def take(self, idx: Sequence[int] | np.ndarray) -> UnitData:
        idx = np.asarray(idx, dtype=int)
        return UnitData(self.advert_ids[idx], [self.spans[i] for i in idx], self.y[idx],
                        [self.features[i] for i in idx], self.rule_pole[idx], self.naive_pole[idx],
                        [self.texts[i] for i in idx], self.weight[idx])

    def __add__(self, other: UnitData | None) -> UnitData:
        if other is None or not len(other):
            return self
        return UnitData(np.concatenate([self.advert_ids, other.advert_ids]), self.spans + other.spans,
                        np.concatenate([self.y, other.y]), self.features + other.features,
                        np.concatenate([self.rule_pole, other.rule_pole]),
                        np.concatenate([self.naive_pole, other.naive_pole]), self.texts + other.texts,
                        np.concatenate([self.weight, other.weight]))

    def counts(self) -> dict[str, Any]:
        c = Counter(self.y.tolist())
        return {"units": len(self), "adverts": int(len(set(self.advert_ids.tolist()))),
                **{lab: int(c.get(lab, 0)) for lab in LABELS}}


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (the gold version)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_adverts(data_file: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    """The records of ``ids`` from the NHS Jobs 2020 data; fails naming the files when one is missing."""
    return gold.read_adverts(data_file, ids, "the gold units")


def build_units(units: list[dict[str, Any]], data_file: Path, analyser: Analyser,
                extractor: FeatureExtractor) -> UnitData:
    """Analyse the adverts of ``units`` and compute every unit's features and poles."""
    ids = {u["advert_id"] for u in units}
    adverts = read_adverts(data_file, ids)
    order = sorted(ids)
    items = ((adverts[a]["description"], adverts[a].get("title"), a, "", {}) for a in order)
    results = {r.doc_id: r for r in analyser.analyse_many(items)}
    by_advert: dict[str, list[dict[str, Any]]] = {}
    for u in units:
        by_advert.setdefault(u["advert_id"], []).append(u)
    feats = extractor.many([(results[a], [(u["start"], u["end"]) for u in by_advert[a]]) for a in order])
    settings = pole_settings(analyser.rules.scoring)
    rows = [(a, u, f) for a, fs in zip(order, feats) for u, f in zip(by_advert[a], fs)]
    texts = [adverts[a]["description"][u["start"]:u["end"]] for a, u, _ in rows]
    return UnitData(
        advert_ids=np.array([a for a, _, _ in rows], dtype=object),
        spans=[(u["start"], u["end"]) for _, u, _ in rows],
        y=np.array([u["label"] for _, u, _ in rows], dtype=object),
        features=[f for _, _, f in rows],
        rule_pole=np.array([results[a].pole_between(u["start"], u["end"], *settings) for a, u, _ in rows],
                           dtype=object),
        naive_pole=np.array([naive_pole(t) for t in texts], dtype=object),
        texts=texts)


def frequent_features(features: Sequence[dict[str, float]], groups: Sequence[Any], min_groups: int) -> set[str]:
    """The feature names present in the units of at least ``min_groups`` distinct groups (adverts).

    A feature seen in one or two adverts only describes those adverts: it cannot generalise, and a model that
    keeps it would also carry fragments of their text. Training drops the others before fitting."""
    seen: dict[str, set[Any]] = {}
    for feats, g in zip(features, groups):
        for name, value in feats.items():
            if value:
                seen.setdefault(name, set()).add(g)
    return {name for name, gs in seen.items() if len(gs) >= min_groups}


def _split_verdicts(split: str, posts_file: Path, data_file: Path, analyser: Analyser, model: Any) -> dict[str, Any]:
    """Verdict agreement on the gold posts of ``split``: with the model and the verdict rule fitted with it (its
    ``meta["verdict"]``), and with the rules alone and ``scoring.json``'s settings (``{split}`` and
    ``{split}_rules_only``; empty when the split has no posts), and how often the model's interval on the share
    holds the annotators' share (``{split}_interval``: posts with a gold share and evidence)."""
    posts = [p for p in read_jsonl(posts_file) if p.get("split") == split]
    if not posts:
        return {}
    results = _analyse_posts(posts, data_file, analyser)
    gold = [p["verdict"] for p in posts]
    rules_ev = [(results[p["advert_id"]].score.leadership, results[p["advert_id"]].score.management) for p in posts]
    rescored = posts_rescored(posts, results, model)
    out = {split: verdict_summary_of(gold, [r.verdict for r in rescored]),
           f"{split}_rules_only": verdict_summary(gold, rules_ev, analyser.rules.scoring["verdict"])}
    held = [r.score.share_low <= p["leadership_share"] / 100 <= r.score.share_high for p, r in zip(posts, rescored)
            if p.get("leadership_share") is not None and r.score.leadership + r.score.management > 0]
    if held:
        out[f"{split}_interval"] = {"n": len(held), "coverage": round(sum(held) / len(held), 4)}
    return out


def _analyse_posts(posts: list[dict[str, Any]], data_file: Path, analyser: Analyser) -> dict[str, Any]:
    adverts = read_adverts(data_file, {p["advert_id"] for p in posts})
    return {a: analyser.analyse(rec["description"], title=rec.get("title"), doc_id=a) for a, rec in adverts.items()}


def build_sentences(path: Path, analyser: Analyser, extractor: FeatureExtractor, weight: float = 1.0) -> UnitData:
    """Crafted, labelled sentences (``contrast.jsonl``), each analysed on its own as one unit; each is its own
    group. Added to the training part of every fit (never scored in the CV), they show the model duties written
    outside an advert's sections, where the real adverts' correlations (text before any heading is mostly the
    organisation's) do not hold. Each counts ``weight`` times in a fit."""
    rows = read_jsonl(Path(path))
    results = [analyser.analyse(r["text"], title=r.get("title"), doc_id=str(r["id"])) for r in rows]
    spans = [(0, len(r["text"]) + 1) for r in rows]
    feats = extractor.many([(res, [sp]) for res, sp in zip(results, spans)])
    settings = pole_settings(analyser.rules.scoring)
    return UnitData(
        advert_ids=np.array([f"{Path(path).name}:{r['id']}" for r in rows], dtype=object), spans=spans,
        y=np.array([r["label"] for r in rows], dtype=object), features=[f[0] for f in feats],
        rule_pole=np.array([res.pole_between(a, b, *settings) for res, (a, b) in zip(results, spans)], dtype=object),
        naive_pole=np.array([naive_pole(r["text"]) for r in rows], dtype=object), texts=[r["text"] for r in rows],
        weight=np.full(len(rows), float(weight)))


def _fit(data: UnitData, params: dict[str, Any], threshold: float = 0.5, random_state: int = 0,
         min_adverts: int = 1) -> Pipeline:
    feats = data.features
    if min_adverts > 1:
        keep = frequent_features(feats, data.advert_ids, min_adverts)
        feats = [{k: v for k, v in f.items() if k in keep} for f in feats]
    pipe = make_pipeline(**params, threshold=threshold, random_state=random_state)
    return pipe.fit(feats, data.y, model__groups=data.advert_ids, model__sample_weight=data.weight)


def oof_proba(data: UnitData, params: dict[str, Any], n_splits: int = 5, random_state: int = 0,
              min_adverts: int = 1, extra: UnitData | None = None) -> np.ndarray:
    """Out-of-fold probabilities (columns L, M, N) by ``GroupKFold`` over adverts (``extra`` units join every
    training part)."""
    proba = np.zeros((len(data), len(LABELS)))
    for tr, te in GroupKFold(n_splits=n_splits).split(data.features, data.y, data.advert_ids):
        pipe = _fit(data.take(tr) + extra, params, random_state=random_state, min_adverts=min_adverts)
        proba[te] = _aligned(pipe, pipe.predict_proba([data.features[i] for i in te]))
    return proba


def _aligned(pipe: Pipeline, proba: np.ndarray) -> np.ndarray:
    """Probabilities with columns L, M, N (a class absent from a training fold gets 0)."""
    out = np.zeros((proba.shape[0], len(LABELS)))
    for j, c in enumerate(pipe[-1].classes_):
        out[:, LABELS.index(c)] = proba[:, j]
    return out


@dataclass
class Choice:
    """The hyperparameters and threshold picked by an inner cross-validation."""

    params: dict[str, Any]
    threshold: float
    cv_macro_f1: float
    curve: list[tuple[float, float]]
    by_params: list[dict[str, Any]] = field(default_factory=list)
    proba: np.ndarray | None = None


def choose(data: UnitData, grid: Sequence[dict[str, Any]] = DEFAULT_GRID, n_splits: int = 5,
           random_state: int = 0, min_adverts: int = 1, extra: UnitData | None = None) -> Choice:
    """Pick the grid point and threshold whose decisions (model overruling the rules) reach the best macro-F1 on
    out-of-fold probabilities; ties go to the earlier grid point and the higher threshold."""
    best: Choice | None = None
    tried = []
    for params in grid:
        proba = oof_proba(data, params, n_splits, random_state, min_adverts, extra)
        t, curve = fit_threshold(data.rule_pole, proba, data.y, LABELS)
        score = dict(curve)[t]
        tried.append({"params": params, "threshold": t, "macro_f1": round(score, 4)})
        if best is None or score > best.cv_macro_f1 + 1e-9:
            best = Choice(dict(params), t, score, curve, proba=proba)
    assert best is not None
    best.by_params = tried
    return best


def _systems(data: UnitData, proba: np.ndarray, threshold: float) -> dict[str, np.ndarray]:
    from .sentence_model import decide

    classes = np.array(LABELS, dtype=object)
    return {"rules": data.rule_pole, "naive": data.naive_pole, "model": classes[np.argmax(proba, axis=1)],
            "model+rules": decide(data.rule_pole, proba, classes, threshold)}


def cross_validate(data: UnitData, grid: Sequence[dict[str, Any]] = DEFAULT_GRID, n_splits: int = 5,
                   random_state: int = 0, progress: Progress | None = None, min_adverts: int = 1,
                   extra: UnitData | None = None) -> dict[str, Any]:
    """Nested CV by advert: per outer fold an inner CV picks ``C`` and the threshold; the outer part is scored.

    Returns per-system pooled metrics (over all outer test units), per-fold macro-F1 (mean and sd), the choices
    of each fold, out-of-fold calibration figures and the pooled predictions.
    """
    preds = {s: np.empty(len(data), dtype=object) for s in SYSTEMS}
    proba = np.zeros((len(data), len(LABELS)))
    folds = []
    for k, (tr, te) in enumerate(GroupKFold(n_splits=n_splits).split(data.features, data.y, data.advert_ids)):
        inner = data.take(tr)
        choice = choose(inner, grid, n_splits, random_state, min_adverts, extra)
        pipe = _fit(inner + extra, choice.params, choice.threshold, random_state, min_adverts)
        outer = data.take(te)
        p = _aligned(pipe, pipe.predict_proba(outer.features))
        proba[te] = p
        fold = {"fold": k, "units": len(te), "adverts": int(len(set(outer.advert_ids.tolist()))),
                "params": choice.params, "threshold": choice.threshold}
        for name, pred in _systems(outer, p, choice.threshold).items():
            preds[name][te] = pred
            fold[name] = round(macro_f1(outer.y, pred), 4)
        folds.append(fold)
        if progress:
            progress(f"fold {k + 1}/{n_splits}: " + ", ".join(f"{s} {fold[s]:.3f}" for s in SYSTEMS)
                     + f" (C={choice.params.get('C')}, threshold {choice.threshold:.2f})")
    summary = {}
    for name in SYSTEMS:
        per_fold = np.array([f[name] for f in folds])
        summary[name] = {"pooled": metrics(name, list(data.y), list(preds[name])).as_dict(),
                         "fold_mean": round(float(per_fold.mean()), 4),
                         "fold_sd": round(float(per_fold.std(ddof=1)), 4)}
    diffs = [round(f["model+rules"] - f["rules"], 4) for f in folds]
    comparison = {**paired_bootstrap(data.y, preds["rules"], preds["model+rules"], data.advert_ids),
                  "per_fold": diffs, "folds_better": int(sum(d > 0 for d in diffs))}
    return {"folds": folds, "systems": summary, "model+rules_minus_rules": comparison,
            "calibration": calibration(data.y, proba),
            "overrules": overrule_table(data.y, preds["rules"], preds["model+rules"]), "predictions": preds,
            "proba": proba}


def posts_rescored(posts: list[dict[str, Any]], results: dict[str, Any], model: Any) -> list[Any]:
    """Each post's analysed advert once ``model`` has relabelled it (:func:`leadlens.model.apply.apply_many`)."""
    from .apply import apply_many

    return [r for r, _ in apply_many([results[p["advert_id"]] for p in posts], model)]


def _as_model(pipe: Pipeline, threshold: float, config: FeatureConfig, analyser: Analyser,
              textcat: TextClassifier | None = None, textcat_weight: float = 0.0) -> Any:
    from .apply import LoadedModel

    meta: dict[str, Any] = {"threshold": threshold, "features": config.to_dict()}
    if textcat is not None:
        meta["textcat"] = {"weight": textcat_weight}
    return LoadedModel(weights=export(pipe), meta=meta, path=Path("."), analyser=analyser, textcat=textcat)


@dataclass
class TextcatStage:
    """The text classifier fitted alongside the linear model: one per CV fold (trained without that fold's adverts)
    and the final one, the out-of-fold probabilities, and the threshold refitted on the averaged probabilities."""

    weight: float
    folds: list[TextClassifier]
    final: TextClassifier
    oof: np.ndarray
    threshold: float
    summary: dict[str, Any]


def _fit_textcat(data: UnitData, extra: UnitData | None, random_state: int) -> TextClassifier:
    both = data + extra
    return TextClassifier(random_state=random_state).fit(both.texts, list(both.y), both.weight)


def fit_textcat_stage(data: UnitData, extra: UnitData | None, choice: Choice, weight: float, n_splits: int,
                      random_state: int, progress: Progress | None = None) -> TextcatStage:
    """Fit the text classifier out of fold (the CV's ``GroupKFold`` over adverts) and on all the train units,
    average its out-of-fold probabilities with the linear model's (``choice.proba``) and refit the threshold.
    ``summary["kept"]`` says whether the average beat the linear model alone out of fold (on little data it
    does not: :func:`train` then leaves the text classifier out)."""
    say = progress or (lambda _msg: None)
    oof = np.zeros((len(data), len(LABELS)))
    folds = []
    for k, (tr, te) in enumerate(GroupKFold(n_splits=n_splits).split(data.features, data.y, data.advert_ids)):
        model = _fit_textcat(data.take(tr), extra, random_state)
        oof[te] = model.predict_proba([data.texts[i] for i in te])
        folds.append(model)
        say(f"text classifier, fold {k + 1}/{n_splits}")
    # rounded now to the precision it is saved at, so that dev, test and the verdicts score the shipped weights
    final = _fit_textcat(data, extra, random_state).round_weights()
    assert choice.proba is not None
    mixed = blend(choice.proba, oof, weight)
    threshold, curve = fit_threshold(data.rule_pole, mixed, data.y, LABELS)
    classes = np.array(LABELS, dtype=object)

    summary = {"weight": weight, "epochs": final.epochs, "width": final.width, "threshold": threshold,
               "linear_threshold": choice.threshold,
               "train_oof_macro_f1": {
                   "text_classifier": round(macro_f1(data.y, classes[np.argmax(oof, axis=1)]), 4),
                   "linear+rules": round(dict(choice.curve)[choice.threshold], 4),
                   "averaged+rules": round(dict(curve)[threshold], 4)}}
    summary["kept"] = summary["train_oof_macro_f1"]["averaged+rules"] > summary["train_oof_macro_f1"]["linear+rules"]
    return TextcatStage(weight, folds, final, oof, threshold, summary)


def fit_post_verdicts(data: UnitData, extra: UnitData | None, posts: list[dict[str, Any]], results: dict[str, Any],
                      choice: Choice, config: FeatureConfig, analyser: Analyser, n_splits: int, random_state: int,
                      min_adverts: int, textcat: TextcatStage | None = None) -> dict[str, Any]:
    """The verdict rule for scoring with the model, fitted on the train posts **out of fold**.

    Each train post's advert is relabelled by a model fitted without that advert's units (the same ``GroupKFold``
    over adverts as the CV), so what is fitted sees the model as it behaves on adverts it has not seen. Both verdict
    rules are fitted on those posts: the thresholds (:func:`fit_verdict`) and the classifier
    (:class:`VerdictClassifier`); they are compared by cross-validation over the posts, and the classifier is kept
    (``classifier``) only when it agrees better with the gold verdicts. The thresholds are always kept
    (``settings``): they place the share's verdict bands in reports and decide when the classifier is absent. The
    interval scale is fitted on the same posts (``interval``, :func:`leadlens.model.interval.fit_interval_scale`):
    the model moves a post's evidence, so the rules' scale would make its interval too wide or too narrow. With
    ``textcat``, each fold's model averages in that fold's text classifier, at the refitted threshold."""
    rescored: dict[str, Any] = {}
    threshold = textcat.threshold if textcat is not None else choice.threshold
    for k, (tr, te) in enumerate(GroupKFold(n_splits=n_splits).split(data.features, data.y, data.advert_ids)):
        held = set(data.advert_ids[te].tolist())
        fold_posts = [p for p in posts if p["advert_id"] in held]
        if not fold_posts:
            continue
        pipe = _fit(data.take(tr) + extra, choice.params, threshold, random_state, min_adverts)
        model = _as_model(pipe, threshold, config, analyser, textcat=textcat.folds[k] if textcat else None,
                          textcat_weight=textcat.weight if textcat else 0.0)
        for p, r in zip(fold_posts, posts_rescored(fold_posts, results, model)):
            rescored[p["advert_id"]] = r
    fitted = [p for p in posts if p["advert_id"] in rescored]
    gold = [p["verdict"] for p in fitted]
    ev = [(rescored[p["advert_id"]].score.leadership, rescored[p["advert_id"]].score.management) for p in fitted]
    weights = analyser.rules.scoring["section_weights"]
    feats = [post_features(rescored[p["advert_id"]], weights) for p in fitted]
    settings, _ = fit_verdict(gold, ev)
    rules_settings = analyser.rules.scoring["verdict"]
    rules_ev = [(results[p["advert_id"]].score.leadership, results[p["advert_id"]].score.management) for p in fitted]
    out: dict[str, Any] = {"settings": settings, "train_oof": verdict_summary(gold, ev, settings),
                           "train_rules_only": verdict_summary(gold, rules_ev, rules_settings)}
    scoring = analyser.rules.scoring
    shares = [(lead, man, p["leadership_share"] / 100) for p, (lead, man) in zip(fitted, ev)
              if p.get("leadership_share") is not None and lead + man > 0]
    if shares:
        out["interval"] = fit_interval_scale(shares, scoring["interval_level"], scoring["prior"])
    if len(set(gold)) >= 2 and len(fitted) >= 5 * n_splits:
        compared = compare_verdict_rules(gold, ev, feats, n_splits, random_state)
        out["compared"] = compared
        if compared["classifier"]["kappa"] > compared["thresholds"]["kappa"]:
            out["classifier"] = VerdictClassifier().fit(feats, gold).to_dict()
            # the classifier's own figure on these posts is cross-validated over them, not in-sample
            out["train_oof_thresholds"] = out["train_oof"]
            out["train_oof"] = compared["classifier"]
            out["rule"] = "classifier"
        else:
            out["rule"] = "thresholds"
    else:
        out["rule"] = "thresholds"
    return out


def calibration(y: np.ndarray, proba: np.ndarray, bins: int = 10) -> dict[str, float]:
    """Multi-class Brier score, log loss and expected calibration error (of the top class, ``bins`` bins)."""
    onehot = np.array([[1.0 if lab == c else 0.0 for c in LABELS] for lab in y])
    brier = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    eps = 1e-12
    logloss = float(-np.mean(np.log(np.clip(np.sum(proba * onehot, axis=1), eps, 1.0))))
    conf = proba.max(axis=1)
    correct = (np.array(LABELS, dtype=object)[proba.argmax(axis=1)] == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        m = (conf > a) & (conf <= b)
        if m.any():
            ece += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return {"brier": round(brier, 4), "log_loss": round(logloss, 4), "ece": round(float(ece), 4)}


def overrule_table(y: np.ndarray, rules: np.ndarray, final: np.ndarray) -> dict[str, Any]:
    """How often the model overruled the rules, and whether it was right to."""
    changed = rules != final
    return {"overruled": int(changed.sum()), "fixed": int((changed & (final == y)).sum()),
            "broke": int((changed & (rules == y)).sum()),
            "both_wrong": int((changed & (final != y) & (rules != y)).sum()),
            "by_change": {f"{a}->{b}": int(n) for (a, b), n in
                          sorted(Counter(zip(rules[changed].tolist(), final[changed].tolist())).items())}}


def paired_bootstrap(y: np.ndarray, a: np.ndarray, b: np.ndarray, groups: np.ndarray, n: int = 2000,
                     seed: int = 0) -> dict[str, float]:
    """Macro-F1 of ``b`` minus that of ``a`` with a 95% interval from resampling whole adverts (``groups``), and
    the share of resamples in which ``b`` is better."""
    yi = np.array([LABELS.index(v) for v in y])
    ai = np.array([LABELS.index(v) for v in a])
    bi = np.array([LABELS.index(v) for v in b])
    ids, inv = np.unique(groups.astype(str), return_inverse=True)
    k = len(LABELS)
    # per-advert confusion counts, so a resample is a weighted sum
    ca = np.zeros((len(ids), k, k))
    cb = np.zeros((len(ids), k, k))
    np.add.at(ca, (inv, yi, ai), 1)
    np.add.at(cb, (inv, yi, bi), 1)

    def mf1(c: np.ndarray) -> np.ndarray:
        tp = np.diagonal(c, axis1=-2, axis2=-1)
        denom = c.sum(axis=-1) + c.sum(axis=-2)
        f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
        return f1.mean(axis=-1)

    rng = np.random.default_rng(seed)
    w = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=n).astype(float)
    diff = mf1(np.einsum("rg,gij->rij", w, cb)) - mf1(np.einsum("rg,gij->rij", w, ca))
    point = float(mf1(cb.sum(axis=0)) - mf1(ca.sum(axis=0)))
    return {"diff": round(point, 4), "low": round(float(np.percentile(diff, 2.5)), 4),
            "high": round(float(np.percentile(diff, 97.5)), 4), "p_better": round(float((diff > 0).mean()), 4),
            "resamples": n}


def score_split(name: str, data: UnitData, pipe: Pipeline, threshold: float, textcat: TextClassifier | None = None,
                textcat_weight: float = 0.0) -> dict[str, Any]:
    """Every system's metrics on a held-out split, with the overrule table (``model`` is the averaged probability
    when a text classifier is given)."""
    proba = _aligned(pipe, pipe.predict_proba(data.features))
    if textcat is not None:
        proba = blend(proba, textcat.predict_proba(data.texts), textcat_weight)
    systems = _systems(data, proba, threshold)
    return {"split": name, "counts": data.counts(),
            "systems": {s: metrics(s, list(data.y), list(p)).as_dict() for s, p in systems.items()},
            "calibration": calibration(data.y, proba),
            "overrules": overrule_table(data.y, systems["rules"], systems["model+rules"]),
            "model+rules_minus_rules": paired_bootstrap(data.y, systems["rules"], systems["model+rules"],
                                                        data.advert_ids)}


def git_commit(root: Path | None = None) -> dict[str, Any] | None:
    """The commit of the repository holding leadlens, and whether ``src`` differs from it (None outside git)."""
    root = root or Path(__file__).resolve().parents[3]
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "src"], capture_output=True,
                                text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "src_dirty": bool(status.strip())}


def top_features(pipe: Pipeline, k: int = 12) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` features with the largest positive coefficient per class."""
    names = pipe[0].get_feature_names_out()
    coef = pipe[-1].coef_
    out = {}
    for j, c in enumerate(pipe[-1].classes_):
        idx = np.argsort(-coef[j])[:k]
        out[str(c)] = [(str(names[i]), round(float(coef[j, i]), 3)) for i in idx]
    return out


def train(gold_units: Path, data_file: Path, analyser: Analyser, out_dir: Path, *,
          feature_config: FeatureConfig | None = None, grid: Sequence[dict[str, Any]] = DEFAULT_GRID,
          n_splits: int = 5, evaluate_test: bool = True, max_train_adverts: int | None = None,
          random_state: int = 0, min_adverts: int = DEFAULT_MIN_ADVERTS, sentences: Sequence[Path] = (),
          sentence_weight: float = DEFAULT_SENTENCE_WEIGHT,
          textcat_weight: float = DEFAULT_TEXTCAT_WEIGHT,
          notes: Sequence[str] = (),
          progress: Progress | None = None) -> dict[str, Any]:
    """Train, compare and save the sentence model; returns the contents of ``meta.json``.

    Args:
        gold_units: ``corpora/gold/units.jsonl.gz`` (or any gold units file, .jsonl or .jsonl.gz).
        data_file: the NHS Jobs 2020 curated sample holding the adverts' text.
        analyser: the analyser whose rules the model complements (its rule hash is stored with the model).
        out_dir: where ``model.json``, ``meta.json`` and ``MODEL_CARD.md`` are written (created if needed).
        feature_config: which features to use (default :class:`FeatureConfig`).
        grid: the hyperparameter points tried by the inner cross-validation.
        n_splits: folds of the outer and the inner cross-validation (by advert).
        evaluate_test: score the test split once, at the end, after every choice is made.
        max_train_adverts: use only the first N train adverts (by id), for quick runs and tests.
        random_state: seed of the estimator.
        min_adverts: keep only features seen in at least this many training adverts (:func:`frequent_features`).
        sentences: files of crafted labelled sentences added to every training part (:func:`build_sentences`).
        sentence_weight: how many real units a crafted sentence counts as in a fit.
        textcat_weight: the text classifier's share of the averaged probability (:mod:`leadlens.model.textcat`);
            0 trains the linear model alone.
        notes: lines for the card's "Notes on this run" (how the settings were arrived at, for instance).
        progress: called with a line of text at each stage (the library prints nothing).
    """
    say = progress or (lambda _msg: None)
    started = time.time()
    timings: dict[str, float] = {}
    gold_units, data_file, out_dir = Path(gold_units), Path(data_file), Path(out_dir)
    units = read_jsonl(gold_units)
    bad = [u for u in units if u.get("split") not in ("dev", "train", "test")]
    if bad:
        raise ValueError(f"{gold_units}: {len(bad)} units have no split in dev/train/test (first: {bad[0]})")
    train_units = [u for u in units if u["split"] == "train"]
    if max_train_adverts is not None:
        keep = set(sorted({u["advert_id"] for u in train_units})[:max_train_adverts])
        train_units = [u for u in train_units if u["advert_id"] in keep]
    config = feature_config or FeatureConfig()
    extractor = FeatureExtractor(analyser, config)

    t = time.time()
    train_data = build_units(train_units, data_file, analyser, extractor)
    extra = None
    for path in sentences:
        more = build_sentences(path, analyser, extractor, sentence_weight)
        extra = more if extra is None else extra + more
    timings["analyse_train"] = round(time.time() - t, 2)
    say(f"train split: {train_data.counts()} ({timings['analyse_train']:.1f} s to analyse and featurise)")
    if len(set(train_data.advert_ids.tolist())) < n_splits:
        raise ValueError(f"{gold_units}: {len(set(train_data.advert_ids.tolist()))} train adverts, fewer than "
                         f"the {n_splits} folds")

    # one BLAS thread: hundreds of small fits are several times slower with threads competing for the cores
    with threadpool_limits(limits=1):
        t = time.time()
        cv = cross_validate(train_data, grid, n_splits, random_state, progress, min_adverts, extra)
        timings["cross_validate"] = round(time.time() - t, 2)
        t = time.time()
        choice = choose(train_data, grid, n_splits, random_state, min_adverts, extra)
        pipe = _fit(train_data + extra, choice.params, choice.threshold, random_state, min_adverts)
        timings["fit_final"] = round(time.time() - t, 2)
    say(f"chosen: {choice.params}, threshold {choice.threshold:.2f} (inner CV macro-F1 {choice.cv_macro_f1:.3f})")
    textcat: TextcatStage | None = None
    textcat_rejected = None
    threshold = choice.threshold
    if textcat_weight > 0:
        t = time.time()
        textcat = fit_textcat_stage(train_data, extra, choice, textcat_weight, n_splits, random_state, progress)
        timings["textcat"] = round(time.time() - t, 2)
        say(f"text classifier averaged in at {textcat_weight}: train out of fold "
            + ", ".join(f"{k} {v:.3f}" for k, v in textcat.summary["train_oof_macro_f1"].items())
            + (f"; kept, threshold {textcat.threshold:.2f}" if textcat.summary["kept"] else
               "; not better than the linear model alone: left out"))
        if textcat.summary["kept"]:
            threshold = textcat.threshold
        else:
            textcat_rejected, textcat = textcat.summary, None
    tc_final = textcat.final if textcat is not None else None
    tc_weight = textcat.weight if textcat is not None else 0.0

    post_verdicts = None
    posts_file = gold_units.parent / "posts.jsonl"
    if posts_file.is_file():
        t = time.time()
        train_ids = set(train_data.advert_ids.tolist())
        posts = [p for p in read_jsonl(posts_file) if p.get("split") == "train" and p["advert_id"] in train_ids]
        if posts:
            post_results = _analyse_posts(posts, data_file, analyser)
            with threadpool_limits(limits=1):
                post_verdicts = fit_post_verdicts(train_data, extra, posts, post_results, choice, config, analyser,
                                                  n_splits, random_state, min_adverts, textcat)
            timings["fit_verdicts"] = round(time.time() - t, 2)
            say(f"verdict with the model: {post_verdicts['rule']}, settings {post_verdicts['settings']} (train posts "
                f"out of fold: kappa "
                f"{post_verdicts['train_oof']['kappa']:.3f}; rules alone "
                f"{post_verdicts['train_rules_only']['kappa']:.3f})")

    t = time.time()
    dev_data = build_units([u for u in units if u["split"] == "dev"], data_file, analyser, extractor)
    dev = score_split("dev", dev_data, pipe, threshold, tc_final, tc_weight)
    timings["dev"] = round(time.time() - t, 2)
    say("dev: " + ", ".join(f"{s} {dev['systems'][s]['macro_f1']:.3f}" for s in SYSTEMS))

    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_model = out_dir / f".{MODEL_FILE}.tmp"
    export(pipe).save(tmp_model)
    tmp_textcat = out_dir / f".{TEXTCAT_DIR}.tmp"
    shutil.rmtree(tmp_textcat, ignore_errors=True)
    meta = _meta(gold_units, data_file, analyser, config, choice, pipe, train_data, dev_data, cv, dev, grid,
                 n_splits, max_train_adverts, random_state)
    meta["min_adverts"] = min_adverts
    meta["threshold"] = threshold
    if textcat is not None:
        textcat.final.save(tmp_textcat)
        meta["textcat"] = {**textcat.summary, "dir": TEXTCAT_DIR, "sha256": folder_sha256(tmp_textcat)}
    elif textcat_rejected is not None:
        meta["textcat_rejected"] = textcat_rejected
    final = _as_model(pipe, threshold, config, analyser, tc_final, tc_weight)
    if post_verdicts is not None:
        final.meta["verdict"] = post_verdicts
        post_verdicts.update(_split_verdicts("dev", posts_file, data_file, analyser, final))
    meta["verdict"] = post_verdicts
    meta["sentences"] = [{"file": Path(p).name, "sha256": file_sha256(Path(p))} for p in sentences]
    meta["sentence_weight"] = sentence_weight
    meta["splits"]["sentences"] = extra.counts() if extra is not None else None

    test = None
    if evaluate_test:  # once, after every choice above is fixed
        t = time.time()
        test_data = build_units([u for u in units if u["split"] == "test"], data_file, analyser, extractor)
        test = score_split("test", test_data, pipe, threshold, tc_final, tc_weight)
        timings["test"] = round(time.time() - t, 2)
        say("test: " + ", ".join(f"{s} {test['systems'][s]['macro_f1']:.3f}" for s in SYSTEMS))
        if post_verdicts is not None:
            post_verdicts.update(_split_verdicts("test", posts_file, data_file, analyser, final))
    meta["test"] = test
    meta["notes"] = list(notes)
    timings["total"] = round(time.time() - started, 2)
    meta["seconds"] = timings
    meta["model_sha256"] = file_sha256(tmp_model)
    # the three files replace an earlier model together, at the end, so a failed run leaves the old one whole
    for name, text in ((META_FILE, json.dumps(meta, indent=2) + "\n"), (CARD_FILE, model_card(meta))):
        (out_dir / f".{name}.tmp").write_text(text, encoding="utf-8")
    shutil.rmtree(out_dir / TEXTCAT_DIR, ignore_errors=True)
    if textcat is not None:
        os.replace(tmp_textcat, out_dir / TEXTCAT_DIR)
    for name in (MODEL_FILE, META_FILE, CARD_FILE):
        os.replace(out_dir / f".{name}.tmp", out_dir / name)
    say(f"saved to {out_dir} in {timings['total']:.0f} s")
    return meta


def _meta(gold_units: Path, data_file: Path, analyser: Analyser, config: FeatureConfig, choice: Choice,
          pipe: Pipeline, train_data: UnitData, dev_data: UnitData, cv: dict[str, Any], dev: dict[str, Any],
          grid: Sequence[dict[str, Any]], n_splits: int, max_train_adverts: int | None,
          random_state: int) -> dict[str, Any]:
    import sklearn
    import spacy

    try:
        spacy_version = spacy.util.get_package_version(analyser.model)
    except Exception:  # pragma: no cover
        spacy_version = None
    names = pipe[0].get_feature_names_out()
    groups = Counter(str(n).split("=", 1)[0].split(":", 1)[0] for n in names)
    return {
        "kind": "leadlens sentence model",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "leadlens": __version__, "git": git_commit(), "python": platform.python_version(),
        "sklearn": sklearn.__version__, "spacy": spacy.__version__, "spacy_model": analyser.model,
        "spacy_model_version": spacy_version,
        "gold": {"file": gold_units.name, "sha256": file_sha256(gold_units)},
        "data": {"file": data_file.name, "sha256": file_sha256(data_file),
                 **({"beside": {"file": full.name, "sha256": file_sha256(full)}}
                    if (full := gold.full_corpus_beside(data_file)) is not None else {})},
        "rules_digest": analyser.rules.digest, "scoring_pole_settings": list(pole_settings(analyser.rules.scoring)),
        "features": {**config.to_dict(), "n_features": int(len(names)), "groups": dict(sorted(groups.items()))},
        "estimator": {"class": "leadlens.model.sentence_model.SentenceModel", "params": pipe[-1].get_params(),
                      "classes": [str(c) for c in pipe[-1].classes_]},
        "threshold": choice.threshold,
        "selection": {"grid": list(grid), "n_splits": n_splits, "by_params": choice.by_params,
                      "inner_cv_macro_f1": round(choice.cv_macro_f1, 4),
                      "threshold_curve": [(t, round(f, 4)) for t, f in choice.curve]},
        "splits": {"train": train_data.counts(), "dev": dev_data.counts(), "max_train_adverts": max_train_adverts},
        "cv": {"folds": cv["folds"], "systems": cv["systems"], "model+rules_minus_rules": cv["model+rules_minus_rules"],
               "calibration": cv["calibration"], "overrules": cv["overrules"]},
        "dev": dev,
        "top_features": top_features(pipe),
        "random_state": random_state,
    }


