"""A small neural text classifier of units (L, M, N), averaged with the linear model's probabilities.

The linear model (:mod:`leadlens.model.sentence_model`) sees a unit as a bag of named features; it cannot weigh a
word by the words around it beyond a bigram. :class:`TextClassifier` is spaCy's ``TextCatEnsemble`` (a
bag-of-n-grams layer plus a small convolutional encoder over hashed word forms, prefixes, suffixes and shapes,
trained from scratch on the gold units: no pretrained vectors, nothing downloaded). On its own it is weaker than
the linear model (train units out of fold: macro-F1 0.774 against 0.803), but its errors differ, and the mean of
the two models' probabilities is better than either (0.815; every one of the five folds better, by 0.004 to
0.022; seventh session, 2026-11-29, on the 1,849 train adverts). See ``docs/EXPERIMENTS.md``.

scikit-learn style: ``fit(texts, y, sample_weight)``, ``predict_proba(texts)`` (columns in the order of
:data:`LABELS`), plus :meth:`save` and :func:`load` (a ``settings.json`` and the weights as float16 in ``weights.npz``;
loading builds only spaCy's registered layers and runs no code from the folder).
"""

from __future__ import annotations

import hashlib
import json
import random
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .sentence_model import LABELS

TEXTCAT_DIR = "textcat"
"""The classifier's folder inside a saved model's folder."""

DEFAULT_WEIGHT = 0.3
"""The classifier's share of the averaged probability. On the train units out of fold, 0.3, 0.4, 0.5 and 0.6 gave
0.811, 0.814, 0.815 and 0.805 (seventh session). On crafted sentences the classifier costs: the six crafted training
sets, each left out in turn, gave a mean macro-F1 of 0.957 without it, 0.958 at 0.3 and 0.954 at 0.5; crafted set
I, written blind in the eighth session and scored once on arrival, gave 0.926 at 0 and at 0.3 but 0.906 at 0.5. So
0.3: nearly all of the gain on real units, none of the loss on crafted sentences (docs/EXPERIMENTS.md)."""

COMPONENT = "textcat"
SETTINGS_FILE = "settings.json"
WEIGHTS_FILE = "weights.npz"
WEIGHTS_FORMAT = 1
"""Version of the saved layout (:meth:`TextClassifier.save`)."""


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
        nlp = _blank(self.width)
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

    def round_weights(self) -> TextClassifier:
        """Round every weight to float16 precision (the precision :meth:`save` stores), in place; idempotent.
        Raises ValueError when a weight does not fit in float16."""
        for _k, node, name in _params(self.nlp_.get_pipe(COMPONENT).model):
            value = node.get_param(name)
            half = np.asarray(value, dtype=np.float16)
            if not np.all(np.isfinite(half)):
                raise ValueError(f"weight {node.name}.{name} does not fit in float16")
            node.set_param(name, half.astype(value.dtype))
        return self

    def save(self, path: str | Path) -> None:
        """Write the fitted classifier to the folder ``path``: ``settings.json`` (format, width, labels, the layout of
        the weights) and ``weights.npz`` (every weight as float16, compressed).

        Saving first rounds the classifier's own weights to float16 precision, so the classifier in memory and the
        one loaded back give the same probabilities: what ``leadlens train`` scores is what ships. float16 halves
        the file (about 2.5 MB instead of 6 MB) and moves a probability by about a thousandth. Nothing of the
        vocabulary is written: the classifier reads hashes of the word forms, and the strings would be the
        training adverts' words (names, handles) shipped in the model."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.round_weights()
        layout, arrays = [], {}
        for k, node, name in _params(self.nlp_.get_pipe(COMPONENT).model):
            value = node.get_param(name)
            key = f"p{len(layout)}"
            arrays[key] = np.asarray(value, dtype=np.float16)
            layout.append({"key": key, "node": k, "layer": node.name, "param": name, "shape": list(value.shape)})
        settings = {"format": WEIGHTS_FORMAT, "width": self.width, "labels": list(LABELS),
                    "hash_seeds": _hash_seeds(self.nlp_.get_pipe(COMPONENT).model), "weights": layout}
        np.savez_compressed(path / WEIGHTS_FILE, **arrays)
        (path / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")


def _blank(width: int) -> Any:
    """A blank English pipeline with an uninitialised ``textcat`` component of ``width`` and the labels."""
    import spacy

    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", name=COMPONENT, config=_config(width))
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def _build(width: int) -> Any:
    """:func:`_blank`, initialised (random weights, to be overwritten by :func:`load`)."""
    from spacy.training import Example

    nlp = _blank(width)
    examples = [Example.from_dict(nlp.make_doc(f"unit {c}"), {"cats": {x: float(x == c) for x in LABELS}})
                for c in LABELS]
    nlp.initialize(lambda: examples)
    return nlp


def _params(model: Any) -> list[tuple[int, Any, str]]:
    """(position in ``model.walk()``, layer, parameter name) of every set parameter, in walk order."""
    return [(k, node, name) for k, node in enumerate(model.walk()) for name in node.param_names
            if node.has_param(name)]


def _hash_seeds(model: Any) -> list[int]:
    """The seeds of the hashed embedding tables: they decide which row a word reads, so they must match."""
    return [int(node.attrs["seed"]) for node in model.walk() if "seed" in node.attrs]


def load(path: str | Path) -> TextClassifier:
    """A :class:`TextClassifier` saved by :meth:`TextClassifier.save`. Builds spaCy's registered layers from the
    width in ``settings.json`` and fills them from ``weights.npz`` (plain arrays: nothing in the folder is run).
    Raises ValueError when the files do not describe such a classifier or do not fit the layers spaCy builds."""
    path = Path(path)
    try:
        settings = json.loads((path / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path / SETTINGS_FILE} cannot be read: {exc}") from exc
    if not isinstance(settings, dict) or settings.get("format") != WEIGHTS_FORMAT or \
            list(settings.get("labels", [])) != list(LABELS) or not {"width", "weights"} <= set(settings):
        raise ValueError(f"{path} does not hold a text classifier of {LABELS} in format {WEIGHTS_FORMAT}")
    out = TextClassifier(width=int(settings["width"]))
    nlp = _build(out.width)
    model = nlp.get_pipe(COMPONENT).model
    if _hash_seeds(model) != list(settings.get("hash_seeds", [])):
        raise ValueError(f"{path}: this spaCy hashes words with other seeds than the saved classifier")
    params = _params(model)
    layout = settings["weights"]
    if len(layout) != len(params):
        raise ValueError(f"{path}: {len(layout)} saved weights for {len(params)} in the classifier")
    try:
        with np.load(path / WEIGHTS_FILE, allow_pickle=False) as arrays:
            for entry, (k, node, name) in zip(layout, params):
                value = arrays[entry["key"]]
                current = node.get_param(name)
                if (entry["node"], entry["layer"], entry["param"]) != (k, node.name, name) or \
                        tuple(value.shape) != tuple(current.shape):
                    raise ValueError(f"{path}: saved weight {entry['layer']}.{entry['param']} {tuple(value.shape)} "
                                     f"does not fit {node.name}.{name} {tuple(current.shape)}")
                node.set_param(name, value.astype(current.dtype))
    except (zipfile.BadZipFile, EOFError, KeyError) as exc:
        raise ValueError(f"{path / WEIGHTS_FILE} is damaged: {exc!r}") from exc
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
