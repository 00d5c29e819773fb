"""A Dask engine: chunks are scored on Dask distributed workers, on this machine or on a cluster.

With no scheduler address a :class:`distributed.LocalCluster` of ``workers`` single-threaded worker processes is
started (and stopped by :meth:`DaskEngine.close`); with an address (``tcp://host:8786``) the engine connects to a
running scheduler whose workers have leadlens and the spaCy pipeline installed. Each worker loads its pipeline
once (:func:`leadlens.analysis.get_analyser` is cached per process) and runs the same
:func:`leadlens.engines.local.score_chunk` as the local engines, so the entries are identical. At most
``2 x workers`` chunks are in flight, and results come back in input order.

Needs the ``dask`` extra: ``pip install "leadlens[dask]"``.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from .local import Entry, Item, score_chunk


def _load_analyser(model: str | None, sentence_model: str | None = None) -> str:
    """Load (and cache) the worker's analyser and sentence model; returns the settings digest of its leadlens,
    pipeline, rules and sentence model."""
    import warnings

    from ..analysis import get_analyser

    analyser = get_analyser(model)
    if sentence_model is not None:
        from ..model.apply import get_model

        with warnings.catch_warnings():  # the client has already warned about the model, once
            warnings.simplefilter("ignore")
            get_model(sentence_model, model)
    return settings_of(analyser.model, sentence_model)


def settings_of(model: str | None, sentence_model: str | None = None) -> str:
    """The digest that ``leadlens.batch.run`` keys its cache on (leadlens, spaCy, the pipeline, every rule file,
    the sentence model)."""
    from ..batch import settings_digest
    from ..model.apply import model_digest
    from ..nlp import model_name
    from ..rules import RuleSet

    digest = model_digest(sentence_model) if sentence_model is not None else None
    return settings_digest(model_name(model), RuleSet.load(), digest)[0]


class DaskEngine:
    """Scores chunks on Dask distributed workers.

    Args:
        scheduler: address of a running Dask scheduler (``tcp://host:8786``); None starts a local cluster.
        model: spaCy pipeline name, as for :class:`~leadlens.engines.local.LocalEngine` (resolved on each worker
            when None: ``$LEADLENS_MODEL`` there, else the default).
        batch_size: postings per spaCy batch.
        workers: worker processes of the local cluster; with a scheduler, ignored unless the cluster has no
            workers yet (it then sizes the in-flight window).
        preload: load the pipeline on every current worker before the first chunk, and check that each worker
            has the same leadlens, pipeline, rules and sentence model as this process (so results and cache keys
            agree); raises RuntimeError naming the workers that differ.
        sentence_model: a sentence model folder, at the same path on every worker (None: the rules alone).
    """

    def __init__(self, scheduler: str | None = None, model: str | None = None, batch_size: int = 16,
                 workers: int = 2, preload: bool = True, sentence_model: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - exercised only without the extra
            raise ImportError('the Dask engine needs the "dask" extra: pip install "leadlens[dask]"') from exc
        self.scheduler = scheduler
        self.model = model
        self.batch_size = batch_size
        self.sentence_model = sentence_model
        self.cluster: Any = None
        if scheduler is None:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        n = len(self.client.scheduler_info().get("workers", {}))
        self.workers = n or workers
        if preload:
            try:
                self.check_workers(self.client.run(_load_analyser, model, sentence_model))
            except BaseException:
                self.close()
                raise

    def check_workers(self, digests: dict[str, str]) -> None:
        """Raise when a worker's settings digest (from :func:`_load_analyser`) differs from this process's."""
        here = settings_of(self.model, self.sentence_model)
        bad = sorted(addr for addr, digest in digests.items() if digest != here)
        if bad:
            raise RuntimeError(f"Dask workers {', '.join(bad)} run another leadlens version, spaCy pipeline or "
                               "rule set or sentence model than this process; install the same leadlens commit, "
                               "pipeline and model on every worker (results would differ and be cached under the "
                               "wrong settings)")

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[list[Entry]]:
        """Score each chunk of (text, title) pairs; yields the entries of each chunk in input order."""
        window: deque[Any] = deque()
        limit = 2 * max(self.workers, 1)
        try:
            for chunk in chunks:
                window.append(self.client.submit(score_chunk, chunk, self.model, self.batch_size,
                                                 self.sentence_model, pure=False))
                if len(window) >= limit:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for fut in window:  # the caller stopped early or a chunk failed: drop the rest
                fut.cancel()

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this engine started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
