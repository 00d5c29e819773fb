"""The sentence model: a calibrated classifier that may overrule the rules' pole of a sentence (issue 5).

* :mod:`.features`: features of a unit from the rules' matches, the words and the syntax.
* :mod:`.sentence_model`: :class:`SentenceModel` (scikit-learn estimator) and the override policy.
* :mod:`.baseline`: the naive stem baseline the model and the rules are compared with.
* :mod:`.train`: ``train.train`` (nested CV by advert, dev and test figures, ``models/sentence-model/``); import
  it as ``from leadlens.model.train import train`` (it is not re-exported here, so that ``leadlens.model.train``
  stays the module).
* :mod:`.linear`: :class:`LinearModel`, the fitted weights as plain data (``model.json``).
* :mod:`.apply`: :func:`load_model`, :func:`relabel`, :func:`unit_pole`, :func:`rescore`, :func:`apply_model`.
"""

from __future__ import annotations

from .apply import (LoadedModel, SentencePrediction, apply_many, apply_model, default_model_dir, get_model, load_model,
                    predict_many, predict_sentences, predict_units, relabel, rescore, unit_pole)
from .errors import ModelMissingWarning, ModelRulesWarning
from .features import FeatureConfig, FeatureExtractor
from .sentence_model import SentenceModel, decide, fit_threshold, make_pipeline

__all__ = ["FeatureConfig", "FeatureExtractor", "LoadedModel", "ModelMissingWarning", "ModelRulesWarning",
           "SentenceModel", "SentencePrediction", "apply_many", "apply_model", "decide", "default_model_dir",
           "fit_threshold", "get_model", "load_model", "make_pipeline", "predict_many", "predict_sentences",
           "predict_units", "relabel", "rescore", "unit_pole"]
