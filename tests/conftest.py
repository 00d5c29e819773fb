"""Shared fixtures: one loaded analyser per session, paths to the sample corpus and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "adverts"
GOLD = ROOT / "corpora" / "gold"
SENTENCE_MODEL = ROOT / "models" / "sentence-model"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def analyser():
    from leadlens import get_analyser

    return get_analyser(None)


@pytest.fixture(scope="session")
def shared_sample() -> Path:
    path = SHARED_DATA / "nhs_jobs_2020" / "nhs_jobs_curated_sample.jsonl"
    if not path.is_file():
        pytest.skip(f"shared NHS Jobs data not found at {path} (present in CI, absent in a fresh clone)")
    return path


def counted(result, pole: str | None = None) -> list:
    """Matches that count (optionally of one pole)."""
    return [m for m in result.matches if m.status == "counted" and (pole is None or m.pole == pole)]
