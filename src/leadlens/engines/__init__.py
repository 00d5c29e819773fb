"""Runners of the same scoring function: in this process, or in a pool of worker processes.

An engine maps chunks of ``(text, title)`` pairs to lists of entries (the rows of each posting), in order.
"""

from .local import LocalEngine, ProcessEngine, make_engine, score_chunk

__all__ = ["LocalEngine", "ProcessEngine", "make_engine", "score_chunk"]
