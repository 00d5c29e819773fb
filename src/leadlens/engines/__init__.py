"""Runners of the same scoring function: in this process, in a pool of worker processes, or on Dask workers.

An engine maps chunks of ``(text, title)`` pairs to lists of entries (the rows of each posting), in order.
:class:`DaskEngine` is imported on first use, so leadlens does not need Dask unless it is asked for.
"""

from __future__ import annotations

from typing import Any

from .local import LocalEngine, ProcessEngine, make_engine, score_chunk

__all__ = ["DaskEngine", "LocalEngine", "ProcessEngine", "make_engine", "score_chunk"]


def __getattr__(name: str) -> Any:
    if name == "DaskEngine":
        from .dask_engine import DaskEngine

        return DaskEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
