"""Scoring many postings into tables, and writing the output contract of DESIGN.md.

``score(paths)`` returns :class:`Results` (pandas DataFrames). ``run(paths, out=DIR)`` streams: postings are read
lazily, scored in chunks (in this process or in ``workers`` processes), and rows are written as they come, so
memory does not grow with the corpus; ``sentences.csv`` and ``matches.csv`` grow in temporary files that are
renamed into place at the end, and ``documents.csv`` and ``run.json`` are written atomically (temporary file,
then rename). Every scored posting is also appended to a cache in ``DIR/.leadlens-cache``: running the same
command again after a crash or ``kill -9`` scores only what is missing, and an unchanged re-run is near-instant.
Postings whose text is identical to an earlier one are marked ``duplicate_of`` and not scored twice (their
sentences and matches are those of the first). Library functions print nothing: progress goes to a callback.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import platform
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .analysis import MATCH_COLUMNS
from .cache import ResultCache, content_key
from .engines import make_engine
from .ingest import Posting, iter_postings
from .ingest.options import ReadOptions
from .nlp import model_name
from .rules import RuleSet
from .scoring import AXES_ORDER

DOC_COLUMNS = ["doc_id", "source", "title", "title_kind", "words", "leadership", "management", "leadership_share",
               "share_low", "share_high", "verdict", "verdict_confidence", "leader_in_name_only", "error"] + \
              [f"{p}_{a}" for a in AXES_ORDER for p in ("L", "M")] + ["duplicate_of"]
SENT_COLUMNS = ["doc_id", "sent_id", "start", "end", "section", "pole", "rule_pole", "p_L", "p_M", "p_N", "leadership",
                "management", "text"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Progress = Callable[[Posting, str], None]
DEFAULT_SENTENCE_MODEL = "default"
SCORING_REVISION = 3
"""Bump when a code change alters results for the same version, rules and model, so cached results from before
are not reused (2: the interval of a posting rescored by the sentence model uses the interval scale; 3: documents
rows carry ``verdict_confidence``)."""


@dataclass
class Results:
    """The tables of one run."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    matches: pd.DataFrame
    run: dict[str, Any] = field(default_factory=dict)

    def write(self, out: str | Path) -> Path:
        """Write the output contract into folder ``out`` (created if needed); returns the folder."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        for name, df in (("documents", self.documents), ("sentences", self.sentences), ("matches", self.matches)):
            atomic_write_text(out / f"{name}.csv", csv_safe(df).to_csv(index=False, lineterminator="\n"))
        atomic_write_text(out / "run.json", json.dumps(self.run, indent=2, default=str) + "\n")
        return out


def safe_cell(v: Any) -> Any:
    """Neutralise a spreadsheet formula (OWASP CSV injection): a text cell starting with = + - @ tab or CR gets a
    leading apostrophe."""
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every formula-like text cell neutralised."""
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].map(safe_cell)
    return df


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    _readable(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _readable(path: str) -> None:
    """Give a temporary file the permissions of an ordinary new file (mkstemp makes it private)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def error_row(p: Posting) -> dict[str, Any]:
    """The documents.csv row of a posting that could not be scored."""
    row: dict[str, Any] = {c: None for c in DOC_COLUMNS}
    row.update({"doc_id": p.doc_id, "source": p.source, "title": p.title or "", "title_kind": "", "words": 0,
                "verdict": "", "leader_in_name_only": False, "error": p.error, "duplicate_of": ""})
    row.update({k: v for k, v in p.meta.items() if k not in row})
    return row


# ---------------------------------------------------------------------------------------------------------------
# Sinks: where rows go


class MemorySink:
    """Collects rows in lists (the Python API)."""

    def __init__(self) -> None:
        self.docs: list[dict[str, Any]] = []
        self.sents: list[dict[str, Any]] = []
        self.matches: list[dict[str, Any]] = []

    def add(self, doc: dict[str, Any], sentences: list[dict[str, Any]], matches: list[dict[str, Any]]) -> None:
        self.docs.append(doc)
        self.sents.extend(sentences)
        self.matches.extend(matches)

    def documents(self) -> pd.DataFrame:
        df = pd.DataFrame(self.docs)
        extra = [c for c in df.columns if c not in DOC_COLUMNS]
        df = df.reindex(columns=DOC_COLUMNS + extra)
        if len(df):
            df["leader_in_name_only"] = df["leader_in_name_only"].astype("boolean").fillna(False).astype(bool)
            df["error"] = df["error"].fillna("")
            df["duplicate_of"] = df["duplicate_of"].fillna("")
        return df

    def close(self, run: dict[str, Any]) -> None:
        pass


class CsvSink(MemorySink):
    """Streams sentence and match rows to CSV; keeps only document rows (one per posting) in memory."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        for name in ("sentences.csv", "matches.csv", "documents.csv", "run.json"):
            for stale in out.glob(f".{name}.*.tmp"):  # left by a run that was killed
                stale.unlink(missing_ok=True)
        self._files = {}
        self._writers = {}
        for name, cols in (("sentences", SENT_COLUMNS), ("matches", MATCH_COLUMNS)):
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.csv.", suffix=".tmp")
            _readable(tmp)
            fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
            w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
            w.writeheader()
            self._files[name] = (fh, tmp)
            self._writers[name] = w

    def add(self, doc: dict[str, Any], sentences: list[dict[str, Any]], matches: list[dict[str, Any]]) -> None:
        self.docs.append(doc)
        for name, rows in (("sentences", sentences), ("matches", matches)):
            w = self._writers[name]
            for row in rows:
                w.writerow({k: safe_cell(v) for k, v in row.items()})

    def close(self, run: dict[str, Any]) -> None:
        for name, (fh, tmp) in self._files.items():
            fh.close()
            os.replace(tmp, self.out / f"{name}.csv")
        atomic_write_text(self.out / "documents.csv",
                          csv_safe(self.documents()).to_csv(index=False, lineterminator="\n"))
        atomic_write_text(self.out / "run.json", json.dumps(run, indent=2, default=str) + "\n")

    def abort(self) -> None:
        for fh, tmp in self._files.values():
            fh.close()
            if os.path.exists(tmp):
                os.unlink(tmp)


# ---------------------------------------------------------------------------------------------------------------
# The run


def settings_digest(model: str, rules: RuleSet, sentence_model: str | None = None) -> tuple[str, dict[str, Any]]:
    """Digest of everything that changes a result: leadlens, the spaCy pipeline, every rule file, the sentence
    model (its :func:`leadlens.model.apply.model_digest`, None for the rules alone)."""
    import spacy

    try:
        model_version = spacy.util.get_package_version(model)
    except Exception:  # pragma: no cover
        model_version = None
    info = {"leadlens": __version__, "model": model, "model_version": model_version, "spacy": spacy.__version__,
            "rules": rules.digest, "sentence_model": sentence_model, "revision": SCORING_REVISION}
    return hashlib.sha256(json.dumps(info, sort_keys=True).encode()).hexdigest(), info


def resolve_sentence_model(sentence_model: str | Path | None, model: str, rules: RuleSet) -> dict[str, Any] | None:
    """Load and check the sentence model a run will use; its description for ``run.json``, or None (rules only).

    ``"default"`` means :func:`leadlens.model.apply.default_model_dir` (``$LEADLENS_SENTENCE_MODEL``, else the
    project's ``models/sentence-model``); when there is none, the run warns (M005) and uses the rules alone. An
    explicit folder must hold a model (M001 to M003 otherwise). A model trained on other rules warns (M004)."""
    from .model.apply import MODEL_ENV, default_model_dir, get_model, model_digest
    from .model.errors import M, ModelMissingWarning

    if sentence_model is None:
        return None
    if str(sentence_model) == DEFAULT_SENTENCE_MODEL:
        found = default_model_dir()
        if found is None:
            warnings.warn(M.M005.format(places=f"${MODEL_ENV}, ./models/sentence-model and the project's "
                                               "models/sentence-model"), ModelMissingWarning, stacklevel=3)
            return None
        sentence_model = found
    path = Path(sentence_model).resolve()
    loaded = get_model(path, model)  # cached: the scoring in this process uses the same instance
    return {"path": str(path), "digest": model_digest(path), "threshold": loaded.threshold,
            "text_classifier_weight": loaded.textcat_weight,
            "verdict": (loaded.meta.get("verdict") or {}).get("settings"),
            "verdict_rule": "classifier" if loaded.verdict_classifier() is not None else "thresholds",
            "interval_scale": loaded.interval_scale,
            "rules_match": loaded.meta.get("rules_digest") == rules.digest,
            "trained": loaded.meta.get("created"), "gold_sha256": (loaded.meta.get("gold") or {}).get("sha256")}


def effective_scoring(scoring: dict[str, Any], sentence_info: dict[str, Any] | None) -> dict[str, Any]:
    """The scoring settings a run used: the rules' (``scoring.json``), with the verdict settings fitted with the
    sentence model when one was used and has them (as :meth:`leadlens.model.apply.LoadedModel.scoring`), the
    model's interval scale likewise, and ``verdict_rule``: ``classifier`` when the model's verdict classifier decided
    the verdicts, else ``thresholds``."""
    info = sentence_info or {}
    fitted = info.get("verdict")
    out = {**scoring, "verdict": fitted} if fitted else dict(scoring)
    if info.get("interval_scale"):
        out["interval_scale"] = info["interval_scale"]
    out["verdict_rule"] = info.get("verdict_rule") or "thresholds"
    return out


def _chunks(it: Iterable[Posting], size: int) -> Iterator[list[Posting]]:
    chunk: list[Posting] = []
    for p in it:
        chunk.append(p)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _with_identity(entry_doc: dict[str, Any], p: Posting, duplicate_of: str = "") -> dict[str, Any]:
    doc = dict(entry_doc)
    doc.update({"doc_id": p.doc_id, "source": p.source, "title": p.title or "", "duplicate_of": duplicate_of})
    doc.update({k: v for k, v in p.meta.items() if k not in doc})
    return doc


def _rows_with_id(rows: list[dict[str, Any]], doc_id: str) -> list[dict[str, Any]]:
    return [{**r, "doc_id": doc_id} for r in rows]


def run(paths: Iterable[str | Path], out: str | Path | None = None, model: str | None = None,
        text_field: str = "text", title_field: str | None = "title", id_field: str | None = "id",
        workers: int = 1, batch_size: int = 16, progress: Progress | None = None, use_cache: bool = True,
        options: dict[str, Any] | None = None, read_options: ReadOptions | None = None,
        engine: str = "local", scheduler: str | None = None,
        sentence_model: str | Path | None = DEFAULT_SENTENCE_MODEL) -> Results | dict[str, Any]:
    """Score every posting of ``paths``. With ``out``, stream the output contract there and return the run
    summary (``run.json``); without, return :class:`Results` in memory. ``engine`` is "local" (this process, or
    ``workers`` processes) or "dask" (a Dask cluster at ``scheduler``, or a local one of ``workers`` processes):
    both run the same scoring function and write the same outputs. ``sentence_model`` is a model folder, None
    for the rules alone, or ``"default"``: the shipped model (see :func:`resolve_sentence_model`)."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    started = time.time()
    model = model_name(model)
    rules = RuleSet.load()
    sentence_info = resolve_sentence_model(sentence_model, model, rules)
    smodel = sentence_info["path"] if sentence_info else None
    digest, settings = settings_digest(model, rules, sentence_info["digest"] if sentence_info else None)
    sink: MemorySink = CsvSink(Path(out)) if out is not None else MemorySink()
    cache = ResultCache(Path(out)) if (out is not None and use_cache) else None
    engine_name, engine = engine, None
    first_by_text: dict[str, str] = {}
    counts = {"postings": 0, "scored": 0, "cached": 0, "errors": 0, "duplicates": 0}
    postings = iter_postings(paths, text_field=text_field, title_field=title_field, id_field=id_field,
                             options=read_options)
    try:
        for chunk in _chunks(postings, max(batch_size, 16) * max(workers, 1) * 2):
            entries: dict[str, dict[str, Any]] = {}
            todo: dict[str, tuple[str, str | None]] = {}
            plan: list[tuple[Posting, str, str]] = []  # posting, key, duplicate_of
            for p in chunk:
                if not p.ok:
                    plan.append((p, "", ""))
                    continue
                text_hash = hashlib.sha256(p.text.encode("utf-8", "surrogatepass")).hexdigest()
                dup = first_by_text.get(text_hash, "")
                if not dup:
                    first_by_text[text_hash] = p.doc_id
                key = content_key(digest, p.text, p.title)
                plan.append((p, key, dup))
                if key in entries or key in todo:
                    continue
                cached = cache.get(key) if cache is not None and key in cache else None
                if cached is not None:
                    entries[key] = cached
                    counts["cached"] += 1
                else:
                    todo[key] = (p.text, p.title)
            if todo:
                if engine is None:
                    engine = make_engine(workers, model, batch_size, engine=engine_name, scheduler=scheduler,
                                         sentence_model=smodel)
                keys = list(todo)
                sub = [keys[i:i + batch_size] for i in range(0, len(keys), batch_size)]
                for ks, result in zip(sub, engine.map([[todo[k] for k in ks] for ks in sub])):
                    for k, entry in zip(ks, result):
                        entries[k] = entry
                        if cache is not None:
                            cache.put(k, entry)
                counts["scored"] += len(keys)
            for p, key, dup in plan:
                counts["postings"] += 1
                if not p.ok:
                    counts["errors"] += 1
                    sink.add(error_row(p), [], [])
                elif dup:
                    counts["duplicates"] += 1
                    sink.add(_with_identity(entries[key]["doc"], p, dup), [], [])
                else:
                    e = entries[key]
                    sink.add(_with_identity(e["doc"], p), _rows_with_id(e["sentences"], p.doc_id),
                             _rows_with_id(e["matches"], p.doc_id))
                if progress:
                    progress(p, p.error)
    except BaseException:
        if isinstance(sink, CsvSink):
            sink.abort()
        raise
    finally:
        if engine is not None:
            engine.close()
        if cache is not None:
            cache.close()
    docs = sink.documents()
    ok = docs[docs["error"] == ""] if len(docs) else docs
    summary = {
        "leadlens": __version__, "model": model, "settings": settings, "settings_digest": digest,
        "python": platform.python_version(), "lexicon_hash": rules.digest, "rules": rules.summary(),
        "scoring": effective_scoring(rules.scoring, sentence_info), "sentence_model": sentence_info,
        "inputs": [str(p) for p in paths],
        "options": {"text_field": text_field, "title_field": title_field, "id_field": id_field, "workers": workers,
                    "engine": engine_name, "scheduler": scheduler,
                    "batch_size": batch_size, **(options or {}),
                    "read": dataclasses.asdict(read_options) if read_options is not None else None},
        "counts": {**counts, "ok": int(len(ok)),
                   "verdicts": {k: int(v) for k, v in ok["verdict"].value_counts().items()} if len(ok) else {},
                   "leader_in_name_only": int(ok["leader_in_name_only"].sum()) if len(ok) else 0},
        "seconds": round(time.time() - started, 2),
    }
    sink.close(summary)
    if out is not None:
        return summary
    return Results(docs, pd.DataFrame(sink.sents, columns=SENT_COLUMNS),
                   pd.DataFrame(sink.matches, columns=MATCH_COLUMNS), summary)


def score(paths: Iterable[str | Path] | str | Path, out: str | Path | None = None, model: str | None = None,
          text_field: str = "text", title_field: str | None = "title", id_field: str | None = "id",
          workers: int = 1, batch_size: int = 16, progress: Progress | None = None,
          sentence_model: str | Path | None = DEFAULT_SENTENCE_MODEL) -> Results:
    """Score every posting in ``paths`` (files and folders) and return the tables as DataFrames.

    With ``out`` the output contract is also written there (streamed and cached, as by the command line).
    ``sentence_model``: the shipped model by default, a model folder, or None for the rules alone.

    >>> res = score("corpora/sample/adverts")                  # doctest: +SKIP
    >>> res.documents[["title", "verdict", "leadership_share"]]  # doctest: +SKIP
    """
    if out is None:
        return run(paths, None, model, text_field, title_field, id_field, workers, batch_size, progress,
                   sentence_model=sentence_model)
    summary = run(paths, out, model, text_field, title_field, id_field, workers, batch_size, progress,
                  sentence_model=sentence_model)
    out = Path(out)
    return Results(pd.read_csv(out / "documents.csv", keep_default_na=False, na_values=[""]),
                   pd.read_csv(out / "sentences.csv", keep_default_na=False, na_values=[""]),
                   pd.read_csv(out / "matches.csv", keep_default_na=False), summary)
