"""Applying a trained sentence model to analysed postings.

>>> model = load_model("models/sentence-model")                       # doctest: +SKIP
>>> result = get_analyser().analyse(text, title="Head of Nursing")   # doctest: +SKIP
>>> relabel(result, model)          # final pole of each sentence     # doctest: +SKIP
>>> predict_sentences(result, model)[0].proba                         # doctest: +SKIP

The rules' pole of a sentence stands unless the model gives another pole a probability of at least the model's
threshold (:meth:`leadlens.model.sentence_model.SentenceModel.decide`). :func:`rescore` turns the final poles into
a posting score, for wiring the model into ``leadlens score``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import LeadlensError
from ..scoring import AXES_ORDER, PostingScore, pole_settings, share_interval, verdict
from .errors import M, ModelRulesWarning
from .features import FEATURES_VERSION, FeatureConfig, FeatureExtractor
from .linear import LinearModel
from .sentence_model import LABELS
from .textcat import TEXTCAT_DIR, TextClassifier, blend, folder_sha256
from .textcat import load as load_textcat
from .verdict import VerdictClassifier
from .train import META_FILE, MODEL_FILE

if TYPE_CHECKING:  # pragma: no cover
    from ..analysis import Analyser, PostingResult

MODEL_ENV = "LEADLENS_SENTENCE_MODEL"
DEFAULT_DIR = Path("models") / "sentence-model"


def default_model_dir() -> Path | None:
    """``$LEADLENS_SENTENCE_MODEL``, else ``models/sentence-model`` in the working folder or beside the package's
    project (an editable install), else the copy a regular install puts in ``<prefix>/share/leadlens``, when it
    holds a model; else None (score with the rules only)."""
    candidates = []
    if os.environ.get(MODEL_ENV):
        candidates.append(Path(os.environ[MODEL_ENV]))
    candidates += [Path.cwd() / DEFAULT_DIR, Path(__file__).resolve().parents[3] / DEFAULT_DIR,
                   Path(sys.prefix) / "share" / "leadlens" / "sentence-model"]
    return next((p for p in candidates if (p / MODEL_FILE).is_file() and (p / META_FILE).is_file()), None)


def model_digest(path: str | Path) -> str:
    """Identifies a saved model for result caches: sha256 of its ``model.json`` and ``meta.json``."""
    path = Path(path)
    h = hashlib.sha256()
    for name in (MODEL_FILE, META_FILE):
        try:
            h.update((path / name).read_bytes())
        except OSError as exc:
            raise LeadlensError(M.M001, path=path, model_file=MODEL_FILE, meta_file=META_FILE) from exc
    return h.hexdigest()


@dataclass
class LoadedModel:
    """A trained sentence model with its ``meta.json``.

    Attributes:
        weights: the fitted weights (:class:`leadlens.model.linear.LinearModel`, read from ``model.json``).
        meta: the contents of ``meta.json``.
        path: the folder it was loaded from.
        analyser: the analyser whose tokenizer/parser computes the features (default: the cached one for the
            model's spaCy pipeline, loaded on first use).
        textcat: the text classifier whose probabilities are averaged with the linear model's (``textcat/``,
            :mod:`leadlens.model.textcat`; its share is ``meta["textcat"]["weight"]``), or None.
    """

    weights: LinearModel
    meta: dict[str, Any]
    path: Path
    analyser: Analyser | None = None
    textcat: TextClassifier | None = None
    _extractor: FeatureExtractor | None = dataclasses.field(default=None, repr=False)

    @property
    def threshold(self) -> float:
        return float(self.meta["threshold"])

    @property
    def classes(self) -> list[str]:
        return list(self.weights.classes)

    @property
    def feature_config(self) -> FeatureConfig:
        keys = ("words", "ngrams", "syntax", "rules", "stopwords", "shape", "version")
        return FeatureConfig.from_dict({k: self.meta["features"][k] for k in keys if k in self.meta["features"]})

    @property
    def digest(self) -> str:
        """Identifies the model for result caches (:func:`model_digest`)."""
        return model_digest(self.path)

    def extractor(self) -> FeatureExtractor:
        """The feature extractor of this model, on ``analyser`` (loaded on first use)."""
        if self._extractor is None:
            if self.analyser is None:
                from ..analysis import get_analyser

                self.analyser = get_analyser(self.meta.get("spacy_model"))
            self._extractor = FeatureExtractor(self.analyser, self.feature_config)
        return self._extractor

    def scoring(self) -> dict[str, Any]:
        """The analyser's scoring settings, with the verdict settings and interval scale fitted with this model when
        it has them."""
        scoring = self.extractor().analyser.rules.scoring
        fitted = (self.meta.get("verdict") or {}).get("settings")
        out = {**scoring, "verdict": fitted} if fitted else dict(scoring)
        if self.interval_scale is not None:
            out["interval_scale"] = self.interval_scale
        return out

    @property
    def interval_scale(self) -> float | None:
        """The interval scale fitted with this model (``meta.json`` ``verdict.interval.scale``), if any."""
        scale = ((self.meta.get("verdict") or {}).get("interval") or {}).get("scale")
        return float(scale) if scale else None

    def verdict_classifier(self) -> VerdictClassifier | None:
        """The post verdict classifier fitted with this model (``meta.json`` ``verdict.classifier``), if any."""
        fitted = (self.meta.get("verdict") or {}).get("classifier")
        return VerdictClassifier.from_dict(fitted) if fitted else None

    def consults(self, text: str) -> bool:
        """Whether the model is consulted on a unit: it holds a word that can start a lexicon match."""
        analyser = self.extractor().analyser
        return analyser.prefilter.could_match(t.lower_ for t in analyser.nlp.tokenizer(text) if not t.is_space)

    @property
    def textcat_weight(self) -> float:
        """The text classifier's share of the averaged probability (0 without one)."""
        if self.textcat is None:
            return 0.0
        return float((self.meta.get("textcat") or {}).get("weight", 0.0))

    def proba(self, features: list[dict[str, float]], texts: Sequence[str] | None = None) -> np.ndarray:
        """Probabilities with columns in the order of :data:`LABELS` (L, M, N): the linear model's, averaged with
        the text classifier's on ``texts`` (the units' text, one per feature dict) when the model has one."""
        out = np.zeros((len(features), len(LABELS)))
        if not features:
            return out
        p = self.weights.predict_proba(features)
        for j, c in enumerate(self.weights.classes):
            out[:, LABELS.index(str(c))] = p[:, j]
        if self.textcat is not None and self.textcat_weight > 0:
            if texts is None or len(texts) != len(features):
                raise ValueError("this model averages a text classifier in: pass the units' texts")
            out = blend(out, self.textcat.predict_proba(list(texts)), self.textcat_weight)
        return out

    def decide(self, rule_pole: Sequence[str], proba: np.ndarray) -> list[str]:
        """The final poles: the rules' unless another pole reaches the threshold (``proba`` columns L, M, N)."""
        from .sentence_model import decide

        return [str(p) for p in decide(rule_pole, proba, np.array(LABELS, dtype=object), self.threshold)]


def load_model(path: str | Path, analyser: Analyser | None = None, check_rules: bool = True) -> LoadedModel:
    """Load a model saved by :func:`leadlens.model.train.train`.

    Warns (:class:`ModelRulesWarning`) when the rules differ from those the model was trained on. Raises
    :class:`LeadlensError` (codes M001 to M003) when the folder, ``meta.json``, ``model.json`` or the feature version
    is wrong. ``model.json`` is plain
    data (names and weights): loading it runs no code.

    Args:
        path: the model folder (``models/sentence-model``).
        analyser: the analyser the model will be used with (its rule hash is checked); default the shipped rules.
        check_rules: compare the rule hashes.
    """
    path = Path(path)
    model_file, meta_file = path / MODEL_FILE, path / META_FILE
    if not model_file.is_file() or not meta_file.is_file():
        raise LeadlensError(M.M001, path=path, model_file=MODEL_FILE, meta_file=META_FILE)
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        for key in ("threshold", "features", "rules_digest"):
            meta[key]  # noqa: B018
    except (ValueError, KeyError) as exc:
        raise LeadlensError(M.M002, file=meta_file, reason=exc) from exc
    got = meta["features"].get("version")
    if got != FEATURES_VERSION:
        raise LeadlensError(M.M003, file=meta_file, got=got, expected=FEATURES_VERSION)
    try:
        weights = LinearModel.load(model_file)
    except (ValueError, KeyError, TypeError) as exc:
        raise LeadlensError(M.M002, file=model_file, reason=exc) from exc
    if set(weights.classes) - set(LABELS):
        raise LeadlensError(M.M002, file=model_file, reason=f"classes {weights.classes} are not among {LABELS}")
    textcat = None
    if meta.get("textcat"):
        textcat_dir = path / TEXTCAT_DIR
        try:
            if meta["textcat"].get("sha256") != folder_sha256(textcat_dir):
                raise ValueError(f"its files do not match meta.json's sha256 {meta['textcat'].get('sha256')}")
            textcat = load_textcat(textcat_dir)
        except (OSError, ValueError, KeyError) as exc:
            raise LeadlensError(M.M002, file=textcat_dir, reason=exc) from exc
    if check_rules:
        if analyser is not None:
            current = analyser.rules.digest
        else:
            from ..rules import resources_hash

            current = resources_hash()
        if current != meta["rules_digest"]:
            warnings.warn(M.M004.format(path=path, trained=meta["rules_digest"][:12], current=current[:12]),
                          ModelRulesWarning, stacklevel=2)
    return LoadedModel(weights=weights, meta=meta, path=path, analyser=analyser, textcat=textcat)


def get_model(path: str | Path, spacy_model: str | None = None) -> LoadedModel:
    """A cached :func:`load_model` on the cached analyser of ``spacy_model`` (one per process, e.g. per scoring
    worker, as :func:`leadlens.analysis.get_analyser`); the same folder and pipeline however named share one."""
    from ..nlp import model_name

    return _model_for(str(Path(path).resolve()), model_name(spacy_model))


@lru_cache(maxsize=4)
def _model_for(path: str, spacy_model: str) -> LoadedModel:
    from ..analysis import get_analyser

    return load_model(path, analyser=get_analyser(spacy_model))


@dataclass
class SentencePrediction:
    """The model's view of one sentence (or unit)."""

    sent_id: int
    start: int
    end: int
    rule_pole: str
    pole: str
    proba: dict[str, float] | None
    """The model's probabilities; None where it was not consulted (no lexicon anchor word in the unit)."""

    @property
    def overruled(self) -> bool:
        return self.pole != self.rule_pole


def predict_units(result: PostingResult, spans: Sequence[tuple[int, int]], model: LoadedModel) -> list[
        SentencePrediction]:
    """Final poles and probabilities of arbitrary character ranges of ``result`` (``sent_id`` is the index)."""
    return predict_many([(result, spans)], model)[0]


def predict_many(items: Iterable[tuple[PostingResult, Sequence[tuple[int, int]] | None]],
                 model: LoadedModel) -> list[list[SentencePrediction]]:
    """:func:`predict_units` for many results at once (the units of all are parsed in one stream); spans None
    means the result's sentences.

    The model is consulted only on units that hold a word able to start a lexicon match
    (:meth:`leadlens.prefilter.Prefilter.could_match`, the analyser's own test for parsing a unit); any other unit
    has no leadership or management vocabulary, keeps the rules' pole (N) and gets no probabilities. The analyser
    has already parsed the consulted units, and the feature extractor reuses those parses."""
    items = [(r, list(s) if s is not None else [(x.start, x.end) for x in r.sentences]) for r, s in items]
    extractor = model.extractor()
    settings = pole_settings(extractor.analyser.rules.scoring)
    consult = [[model.consults(r.text[a:b]) for a, b in spans] for r, spans in items]
    feats = extractor.many([(r, [sp for sp, c in zip(spans, cs) if c]) for (r, spans), cs in zip(items, consult)])
    flat = [f for fs in feats for f in fs]
    texts = [r.text[a:b] for (r, spans), cs in zip(items, consult) for (a, b), c in zip(spans, cs) if c]
    rule_of = [[r.pole_between(a, b, *settings) for a, b in spans] for r, spans in items]
    proba = model.proba(flat, texts)
    final = model.decide([p for ps, cs in zip(rule_of, consult) for p, c in zip(ps, cs) if c], proba)
    out: list[list[SentencePrediction]] = []
    k = 0
    for (_result, spans), rules, cs in zip(items, rule_of, consult):
        rows = []
        for i, ((a, b), rule, c) in enumerate(zip(spans, rules, cs)):
            if c:
                p = {lab: round(float(proba[k, j]), 4) for j, lab in enumerate(LABELS)}
                rows.append(SentencePrediction(sent_id=i, start=a, end=b, rule_pole=rule, pole=final[k], proba=p))
                k += 1
            else:
                rows.append(SentencePrediction(sent_id=i, start=a, end=b, rule_pole=rule, pole=rule, proba=None))
        out.append(rows)
    return out


def predict_sentences(result: PostingResult, model: LoadedModel) -> list[SentencePrediction]:
    """The rules' pole, the final pole and the probabilities of every sentence of ``result``, in order."""
    preds = predict_many([(result, None)], model)[0]
    for p, s in zip(preds, result.sentences):
        p.sent_id = s.sent_id
    return preds


def relabel(result: PostingResult, model: LoadedModel) -> list[str]:
    """The final pole of each sentence of ``result`` (the rules' pole unless the model overrules it)."""
    return [p.pole for p in predict_sentences(result, model)]


def unit_pole(result: PostingResult, start: int, end: int, model: LoadedModel) -> str:
    """The final pole of the character range ``start:end`` of ``result`` (for evaluation against gold units)."""
    return predict_units(result, [(start, end)], model)[0].pole


def rescore(result: PostingResult, predictions: Sequence[SentencePrediction], scoring: dict[str, Any]) -> (
        PostingScore):
    """The posting's score with the final sentence poles.

    Sentences the model left alone keep their rules' evidence, as in :func:`leadlens.scoring.score_posting`. An
    overruled sentence drops its rules' evidence; overruled to L or M it brings ``max(its evidence, 1) x its
    section weight`` to the new pole (1 is the weight of a plain rule), overruled to N it brings nothing. The
    per-axis figures keep only the spans of sentences that were not overruled. Share, interval and verdict then
    follow the scoring settings.
    """
    overruled = {p.sent_id: p for p in predictions if p.overruled}
    weights = scoring["section_weights"]
    lead = man = 0.0
    axes = {f"{p}_{a}": 0.0 for a in AXES_ORDER for p in ("L", "M")}
    for m in result.matches:
        if m.sent_id in overruled:
            continue
        if m.pole == "L":
            lead += m.weight
        elif m.pole == "M":
            man += m.weight
        key = f"{m.pole}_{m.axis}"
        axes[key] = round(axes.get(key, 0.0) + m.weight, 4)
    by_id = {s.sent_id: s for s in result.sentences}
    for sid, p in overruled.items():
        s = by_id.get(sid)
        if s is None or p.pole == "N":
            continue
        gain = max(s.leadership + s.management, 1.0) * weights.get(s.section, 1.0)
        if p.pole == "L":
            lead += gain
        else:
            man += gain
    lead, man = round(lead, 4), round(man, 4)
    share, low, high = share_interval(lead, man, scoring["interval_level"], scoring["prior"],
                                      scoring.get("interval_scale", 1.0))
    return PostingScore(leadership=lead, management=man, leadership_share=share, share_low=low, share_high=high,
                        verdict=verdict(lead, man, share, scoring["verdict"]), axes=axes)


def apply_many(results: Sequence[PostingResult], model: LoadedModel, scoring: dict[str, Any] | None = None) -> list[
        tuple[PostingResult, list[SentencePrediction]]]:
    """:func:`apply_model` for many results, their sentences parsed in one stream (use this in batch scoring).

    The verdict comes from the verdict classifier fitted with the model (``meta.json`` ``verdict.classifier``,
    :class:`leadlens.model.verdict.VerdictClassifier`) when it has one, else from the threshold settings fitted with
    it (``verdict.settings``), else from ``scoring.json``'s."""
    scoring = scoring or model.scoring()
    classifier = model.verdict_classifier()
    out = []
    for result, preds in zip(results, predict_many([(r, None) for r in results], model)):
        for p, s in zip(preds, result.sentences):
            p.sent_id = s.sent_id
        sentences = [dataclasses.replace(s, pole=p.pole, rule_pole=p.rule_pole, proba=p.proba)
                     for s, p in zip(result.sentences, preds)]
        overruled = {p.sent_id for p in preds if p.overruled}
        matches = [dataclasses.replace(m, status="overruled", weight=0.0)
                   if m.sent_id in overruled and m.status == "counted" else m for m in result.matches]
        new = dataclasses.replace(result, sentences=sentences, matches=matches, score=rescore(result, preds, scoring))
        if classifier is not None:
            decided, proba = classifier.verdict(new, scoring["section_weights"])
            new = dataclasses.replace(new, score=dataclasses.replace(new.score, verdict=decided, verdict_proba=proba))
        out.append((new, preds))
    return out


def apply_model(result: PostingResult, model: LoadedModel, scoring: dict[str, Any] | None = None) -> tuple[
        PostingResult, list[SentencePrediction]]:
    """A copy of ``result`` whose sentence poles are the final poles and whose score is :func:`rescore`'s, with
    the per-sentence predictions (rules' pole, final pole, probabilities). Each sentence also keeps its rules'
    pole and probabilities (``rule_pole``, ``proba``), and the counted spans of an overruled sentence get the
    status ``overruled`` and weight 0, so the explanation still adds up. ``result`` itself is not changed."""
    return apply_many([result], model, scoring)[0]
