"""The gold sets' files: where real adverts' text comes from, and which crafted sentences train the model.

Gold files store an advert id and character offsets, never the text. Most gold adverts are in the 420-advert
curated sample (``nhs_jobs_curated_sample.jsonl``); later rounds drew adverts from the whole 14,842-advert file
(``nhs_jobs_nov2020_clean.jsonl.gz``), of which the sample is a subset with identical descriptions. Ids are looked
up in the file given first, then in the whole file when it sits in the same folder.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATA_ENV = "LEADLENS_SHARED_DATA"
SAMPLE_NAME = "nhs_jobs_2020/nhs_jobs_curated_sample.jsonl"
FULL_NAME = "nhs_jobs_2020/nhs_jobs_nov2020_clean.jsonl.gz"
TRAINING_SENTENCES: tuple[str, ...] = ("contrast.jsonl", "contrast_b.jsonl", "contrast_d.jsonl", "contrast_e.jsonl",
                                       "contrast_f.jsonl", "contrast_h.jsonl", "contrast_i.jsonl",
                                       "contrast_j.jsonl", "contrast_l.jsonl", "contrast_m.jsonl",
                                       "contrast_r.jsonl")
"""The crafted sentence files of ``corpora/gold/`` that ``leadlens train`` adds to its training data by default; the
held-out sets (``corpora/gold/heldout/``) are never among them."""
_ID_AT_START = re.compile(r'^\{\s*"id"\s*:\s*"?(\d+)')


def default_data_file() -> Path | None:
    """The curated 420-advert sample: ``$LEADLENS_SHARED_DATA``, else ``../shared/data`` beside the project."""
    candidates = []
    if os.environ.get(DATA_ENV):
        candidates.append(Path(os.environ[DATA_ENV]) / SAMPLE_NAME)
    candidates.append(Path.cwd().parent / "shared" / "data" / SAMPLE_NAME)
    candidates.append(Path(__file__).resolve().parents[3] / "shared" / "data" / SAMPLE_NAME)
    return next((p for p in candidates if p.is_file()), None)


def full_corpus_beside(data_file: Path) -> Path | None:
    """The whole NHS Jobs 2020 file when it is in ``data_file``'s folder (and is not ``data_file`` itself)."""
    full = Path(data_file).parent / Path(FULL_NAME).name
    return full if full.is_file() and full.resolve() != Path(data_file).resolve() else None


def _records(path: Path, ids: set[str]) -> Iterator[dict[str, Any]]:
    """The records of ``ids`` in a JSONL file (gzip when it ends in .gz), each with ``source_file`` (the file's
    name) added; lines of other ids are not parsed."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            m = _ID_AT_START.match(line)
            if m and m.group(1) not in ids:
                continue
            rec = json.loads(line)
            if str(rec["id"]) in ids:
                rec["source_file"] = path.name
                yield rec


def source_names(adverts: dict[str, dict[str, Any]]) -> str:
    """The names of the files ``adverts`` were read from, for reports: "a.jsonl" or "a.jsonl + b.jsonl.gz"."""
    names = {str(r.get("source_file", "?")) for r in adverts.values()}
    return " + ".join(sorted(names, key=lambda n: (n.endswith(".gz"), n)))


def read_adverts(data_file: Path, ids: set[str], gold_file: Path | str = "the gold set") -> dict[str, dict[str, Any]]:
    """The advert records of ``ids``, keyed by id, from ``data_file`` and then the whole file beside it.

    Raises ``ValueError`` naming the files searched and the first missing ids when any id is in neither."""
    data_file = Path(data_file)
    adverts = {str(r["id"]): r for r in _records(data_file, set(ids))}
    searched = [data_file]
    missing = set(ids) - set(adverts)
    full = full_corpus_beside(data_file) if missing else None
    if full is not None:
        adverts.update({str(r["id"]): r for r in _records(full, missing)})
        searched.append(full)
        missing -= set(adverts)
    if missing:
        where = " or ".join(str(p) for p in searched)
        raise ValueError(f"{gold_file}: {len(missing)} advert(s) not found in {where}, e.g. {sorted(missing)[:5]}; "
                         f"pass the NHS Jobs 2020 curated sample (--data) with {Path(FULL_NAME).name} beside it")
    return adverts
