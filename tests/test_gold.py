"""Gold advert lookup: the file given first, then the whole NHS Jobs file beside it; clear errors otherwise."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from leadlens.gold import FULL_NAME, SAMPLE_NAME, full_corpus_beside, read_adverts, source_names


def _write(path: Path, records: list[dict], raw_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(raw_lines)
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    sample = tmp_path / Path(SAMPLE_NAME).name
    full = tmp_path / Path(FULL_NAME).name
    _write(sample, [{"id": "1", "title": "Ward Manager", "description": "from the sample"}])
    # the whole file repeats the sample's advert and holds one more; a broken line of an unwanted id is never parsed
    _write(full, [{"id": "1", "title": "Ward Manager", "description": "from the whole file"},
                  {"id": "2", "title": "Head of Estates", "description": "only in the whole file"}],
           raw_lines=('{"id": "3", "title": broken',))
    return tmp_path


def test_sample_first_then_whole_file(data_dir: Path) -> None:
    adverts = read_adverts(data_dir / Path(SAMPLE_NAME).name, {"1", "2"})
    assert adverts["1"]["description"] == "from the sample"
    assert adverts["2"]["description"] == "only in the whole file"
    assert source_names(adverts) == "nhs_jobs_curated_sample.jsonl + nhs_jobs_nov2020_clean.jsonl.gz"
    assert source_names({"1": adverts["1"]}) == "nhs_jobs_curated_sample.jsonl"


def test_whole_file_read_directly_when_given(data_dir: Path) -> None:
    full = data_dir / Path(FULL_NAME).name
    assert full_corpus_beside(full) is None
    assert read_adverts(full, {"2"})["2"]["title"] == "Head of Estates"


def test_missing_advert_names_gold_file_and_files_searched(data_dir: Path) -> None:
    sample = data_dir / Path(SAMPLE_NAME).name
    with pytest.raises(ValueError, match=r"units\.jsonl: 1 advert\(s\) not found in .*curated_sample.* or "
                                         r".*nov2020_clean\.jsonl\.gz.*'99'"):
        read_adverts(sample, {"1", "99"}, "units.jsonl")


def test_no_whole_file_beside_sample(tmp_path: Path) -> None:
    sample = _write(tmp_path / "sample.jsonl", [{"id": "5", "title": "t", "description": "d"}])
    assert full_corpus_beside(sample) is None
    with pytest.raises(ValueError, match=r"not found in .*sample\.jsonl, e\.g\. \['6'\]"):
        read_adverts(sample, {"5", "6"})
