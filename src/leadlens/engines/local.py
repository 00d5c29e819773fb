"""Local engines: one process, or ``workers`` processes each holding its own pipeline; and
:func:`make_engine`, which also builds the Dask engine."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

Item = tuple[str, "str | None"]
Entry = dict[str, Any]


def score_chunk(items: list[Item], model: str | None = None, batch_size: int = 16,
                sentence_model: str | None = None) -> list[Entry]:
    """Score (text, title) pairs; each entry holds the posting's document, sentence and match rows.

    With ``sentence_model`` (a model folder) the model may overrule the rules' pole of a sentence
    (:func:`leadlens.model.apply.apply_many`); without, the rules alone decide."""
    from ..analysis import get_analyser

    analyser = get_analyser(model)
    gen = ((text, title, "", "", {}) for text, title in items)
    results = list(analyser.analyse_many(gen, batch_size=batch_size))
    if sentence_model is not None:
        from ..model.apply import apply_many, get_model

        results = [r for r, _ in apply_many(results, get_model(sentence_model, model))]
    return [{"doc": r.document_row(), "sentences": r.sentence_rows(), "matches": r.match_rows()} for r in results]


class LocalEngine:
    """Scores chunks in this process."""

    workers = 1

    def __init__(self, model: str | None = None, batch_size: int = 16, sentence_model: str | None = None) -> None:
        self.model = model
        self.batch_size = batch_size
        self.sentence_model = sentence_model

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[list[Entry]]:
        for chunk in chunks:
            yield score_chunk(chunk, self.model, self.batch_size, self.sentence_model)

    def close(self) -> None:
        pass


def _init_worker(model: str | None, sentence_model: str | None = None) -> None:
    from ..analysis import get_analyser

    get_analyser(model)
    if sentence_model is not None:
        import warnings

        from ..model.apply import get_model

        with warnings.catch_warnings():  # the main process has already warned about the model, once
            warnings.simplefilter("ignore")
            get_model(sentence_model, model)


class ProcessEngine(LocalEngine):
    """Scores chunks in ``workers`` processes, keeping at most ``2 x workers`` chunks in flight (bounded memory)
    and yielding results in input order."""

    def __init__(self, workers: int, model: str | None = None, batch_size: int = 16,
                 sentence_model: str | None = None) -> None:
        super().__init__(model, batch_size, sentence_model)
        self.workers = workers
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.pool = cf.ProcessPoolExecutor(workers, mp_context=mp.get_context(method), initializer=_init_worker,
                                           initargs=(model, sentence_model))

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[list[Entry]]:
        window: deque[cf.Future] = deque()
        for chunk in chunks:
            window.append(self.pool.submit(score_chunk, chunk, self.model, self.batch_size, self.sentence_model))
            if len(window) >= 2 * self.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


ENGINES = ("local", "dask")


def make_engine(workers: int = 1, model: str | None = None, batch_size: int = 16, engine: str = "local",
                scheduler: str | None = None, sentence_model: str | None = None) -> Any:
    """An engine: with ``engine="local"`` a :class:`LocalEngine` for one worker, else a :class:`ProcessEngine`;
    with ``engine="dask"`` a :class:`~leadlens.engines.dask_engine.DaskEngine` on the scheduler at ``scheduler``,
    or on a local Dask cluster of ``workers`` processes when it is None. ``sentence_model`` is a model folder
    every worker loads (None: the rules alone)."""
    if engine == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(scheduler, model, batch_size, workers=max(workers, 1), sentence_model=sentence_model)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if scheduler is not None:
        raise ValueError("a scheduler address needs engine='dask'")
    if workers <= 1:
        return LocalEngine(model, batch_size, sentence_model)
    return ProcessEngine(workers, model, batch_size, sentence_model)
