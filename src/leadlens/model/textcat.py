"""A small neural text classifier of units (L, M, N), averaged with the linear model's probabilities.

The linear model (:mod:`leadlens.model.sentence_model`) sees a unit as a bag of named features; it cannot weigh a
word by the words around it beyond a bigram. :class:`TextClassifier` is spaCy's ``TextCatEnsemble`` (a
bag-of-n-grams layer plus a small convolutional encoder over hashed word forms, prefixes, suffixes and shapes,
trained from scratch on the gold units: no pretrained vectors, nothing downloaded). On its own it is weaker than
the linear model (train units out of fold: macro-F1 0.774 against 0.803), but its errors differ, and the mean of
the two models' probabilities is better than either (0.815; every one of the five folds better, by 0.004 to
0.022; seventh session, 2026-11-29, on the 1,849 train adverts). See ``docs/EXPERIMENTS.md``.

scikit-learn style: ``fit(texts, y, sample_weight)``, ``predict_proba(texts)`` (columns in the order of
:data:`LABELS`), plus :meth:`save` and :func:`load` (spaCy's own ``to_disk`` format: a ``config.cfg`` and the
weights; loading builds only spaCy's registered layers and runs no code from the folder).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .sentence_model import LABELS

TEXTCAT_DIR = "textcat"
"""The classifier's folder inside a saved model's folder."""

DEFAULT_WEIGHT = 0.5
"""The classifier's share of the averaged probability (0.4, 0.5 and 0.6 tried on the train units out of fold:
0.814, 0.815, 0.805 at the linear model's threshold). On the six crafted training sets, each left out in turn, the
mean macro-F1 was 0.957 without the classifier, 0.958 at 0.3 and 0.954 at 0.5: within the 0.005 allowed."""

COMPONENT = "textcat"


def _config(width: int) -> dict[str, Any]:
    return {"model": {
        "@architectures": "spacy.TextCatEnsemble.v2", "nO": None,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                      "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "rows": [5000, 1000, 2500, 500],
                      "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "window_size": 1,
                       "maxout_pieces": 3, "depth": 2}},
        "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                         "no_output_layer": False, "length": 262144}}}


class TextClassifier:
    """spaCy ``TextCatEnsemble`` over unit texts, trained from scratch.

    Args:
        epochs: passes over the training units.
        width: width of the hashed embeddings and of the convolutional encoder.
        dropout: dropout during training.
        batch_size: units per update.
        random_state: seed of the initial weights and of the shuffling.

    Attributes:
        nlp_: the fitted spaCy pipeline (a blank English tokenizer and the ``textcat`` component).
        classes_: the labels (:data:`LABELS`).
    """

    def __init__(self, epochs: int = 6, width: int = 64, dropout: float = 0.2, batch_size: int = 64,
                 random_state: int = 0) -> None:
        self.epochs = epochs
        self.width = width
        self.dropout = dropout
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, texts: Sequence[str], y: Sequence[str], sample_weight: Sequence[float] | None = None) -> (
            TextClassifier):
        """Fit on unit texts and labels (L, M, N). A unit of weight w counts ``round(w)`` times (at least once)."""
        import spacy
        from spacy.training import Example

        if len(texts) != len(y):
            raise ValueError(f"{len(texts)} texts for {len(y)} labels")
        unknown = set(map(str, y)) - set(LABELS)
        if unknown:
            raise ValueError(f"labels {sorted(unknown)} are not among {LABELS}")
        if len(set(map(str, y))) < 2:
            raise ValueError("the text classifier needs at least two classes to fit on")
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        nlp = spacy.blank("en")
        textcat = nlp.add_pipe("textcat", name=COMPONENT, config=_config(self.width))
        for label in LABELS:
            textcat.add_label(label)
        examples = []
        for doc, label, w in zip(nlp.tokenizer.pipe(texts, batch_size=512), y, weights):
            if not len(doc):
                continue
            example = Example.from_dict(doc, {"cats": {c: float(str(label) == c) for c in LABELS}})
            examples += [example] * max(1, int(round(w)))
        spacy.util.fix_random_seed(self.random_state)
        optimizer = nlp.initialize(lambda: examples[:500])
        rng = random.Random(self.random_state)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for batch in spacy.util.minibatch(examples, size=self.batch_size):
                nlp.update(batch, sgd=optimizer, drop=self.dropout)
        self.nlp_ = nlp
        self.classes_ = np.array(LABELS, dtype=object)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, columns L, M, N; a text without tokens gets a third each."""
        out = np.full((len(texts), len(LABELS)), 1.0 / len(LABELS))
        keep = [i for i, t in enumerate(texts) if t and t.strip()]
        for i, doc in zip(keep, self.nlp_.pipe([texts[i] for i in keep], batch_size=256)):
            out[i] = [doc.cats[c] for c in LABELS]
        return out

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(texts), axis=1)]

    def save(self, path: str | Path) -> None:
        """Write the fitted pipeline to the folder ``path`` (spaCy's ``to_disk``), without its vocabulary: the
        classifier reads hashes of the word forms, so the strings are not needed, and they would be the training
        adverts' words (names, handles) shipped in the model."""
        self.nlp_.to_disk(Path(path), exclude=["vocab"])


def load(path: str | Path) -> TextClassifier:
    """A :class:`TextClassifier` saved by :meth:`TextClassifier.save`."""
    import spacy

    nlp = spacy.load(Path(path))
    if COMPONENT not in nlp.pipe_names or tuple(nlp.get_pipe(COMPONENT).labels) != LABELS:
        raise ValueError(f"{path} does not hold a text classifier of {LABELS}")
    out = TextClassifier()
    out.nlp_ = nlp
    out.classes_ = np.array(LABELS, dtype=object)
    return out


def blend(linear: np.ndarray, text: np.ndarray | None, weight: float) -> np.ndarray:
    """``(1 - weight) * linear + weight * text`` (the linear probabilities alone when ``text`` is None)."""
    if text is None or weight <= 0:
        return linear
    return (1.0 - weight) * linear + weight * text


def folder_sha256(path: str | Path) -> str:
    """sha256 over the relative names and bytes of every file under ``path`` (in name order)."""
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is not a folder")
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(f.relative_to(path).as_posix().encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()
