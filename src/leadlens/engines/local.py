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


def score_chunk(items: list[Item], model: str | None = None, batch_size: int = 16) -> list[Entry]:
    """Score (text, title) pairs; each entry holds the posting's document, sentence and match rows."""
    from ..analysis import get_analyser

    analyser = get_analyser(model)
    out: list[Entry] = []
    gen = ((text, title, "", "", {}) for text, title in items)
    for res in analyser.analyse_many(gen, batch_size=batch_size):
        out.append({"doc": res.document_row(), "sentences": res.sentence_rows(), "matches": res.match_rows()})
    return out


class LocalEngine:
    """Scores chunks in this process."""

    workers = 1

    def __init__(self, model: str | None = None, batch_size: int = 16) -> None:
        self.model = model
        self.batch_size = batch_size

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[list[Entry]]:
        for chunk in chunks:
            yield score_chunk(chunk, self.model, self.batch_size)

    def close(self) -> None:
        pass


def _init_worker(model: str | None) -> None:
    from ..analysis import get_analyser

    get_analyser(model)


class ProcessEngine(LocalEngine):
    """Scores chunks in ``workers`` processes, keeping at most ``2 x workers`` chunks in flight (bounded memory)
    and yielding results in input order."""

    def __init__(self, workers: int, model: str | None = None, batch_size: int = 16) -> None:
        super().__init__(model, batch_size)
        self.workers = workers
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.pool = cf.ProcessPoolExecutor(workers, mp_context=mp.get_context(method), initializer=_init_worker,
                                           initargs=(model,))

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[list[Entry]]:
        window: deque[cf.Future] = deque()
        for chunk in chunks:
            window.append(self.pool.submit(score_chunk, chunk, self.model, self.batch_size))
            if len(window) >= 2 * self.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


ENGINES = ("local", "dask")


def make_engine(workers: int = 1, model: str | None = None, batch_size: int = 16, engine: str = "local",
                scheduler: str | None = None) -> Any:
    """An engine: with ``engine="local"`` a :class:`LocalEngine` for one worker, else a :class:`ProcessEngine`;
    with ``engine="dask"`` a :class:`~leadlens.engines.dask_engine.DaskEngine` on the scheduler at ``scheduler``,
    or on a local Dask cluster of ``workers`` processes when it is None."""
    if engine == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(scheduler, model, batch_size, workers=max(workers, 1))
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if scheduler is not None:
        raise ValueError("a scheduler address needs engine='dask'")
    return LocalEngine(model, batch_size) if workers <= 1 else ProcessEngine(workers, model, batch_size)
