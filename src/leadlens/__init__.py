"""leadlens: tell leadership from management in NHS job adverts.

Public API:
    analyse(text, title=None) -> PostingResult
    score(paths, ...) -> Results (pandas DataFrames: documents, sentences, matches)
    Analyser: the pipeline object behind both.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis import Analyser, PostingResult, analyse, get_analyser

__all__ = ["Analyser", "PostingResult", "analyse", "get_analyser", "__version__", "score"]


def score(*args, **kwargs):  # noqa: ANN002, ANN003
    """Score files and folders; see :func:`leadlens.batch.score`."""
    from .batch import score as _score

    return _score(*args, **kwargs)
