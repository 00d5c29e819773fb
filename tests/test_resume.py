"""A run killed with SIGKILL midway and run again ends with exactly one row per posting."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from .conftest import SAMPLE

CACHE = ".leadlens-cache"


def _cached(out: Path) -> int:
    return sum(sum(1 for line in p.open("rb") if line.endswith(b"}\n"))
               for p in (out / CACHE).glob("shard-*.jsonl")) if (out / CACHE).is_dir() else 0


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_kill_and_resume(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "leadlens", "score", str(SAMPLE), "--out", str(out), "--quiet", "--no-report",
           "--batch-size", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while _cached(out) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if not killed:
        pytest.skip("the run finished before it could be killed")
    assert not (out / "documents.csv").exists(), "a killed first run must not leave a documents.csv"
    done_before = _cached(out)
    n_files = len(list(SAMPLE.glob("*.txt")))
    assert 0 < done_before < n_files
    second = subprocess.run(cmd, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    docs = pd.read_csv(out / "documents.csv")
    assert len(docs) == n_files
    assert docs["doc_id"].is_unique
    assert (docs["error"].isna()).all()
    assert not list(out.glob(".*.tmp")), "temporary files left behind"
    run = pd.read_json(out / "run.json", typ="series")
    assert run["counts"]["cached"] >= done_before - 1  # the line being written at the kill may be torn
    assert run["counts"]["scored"] + run["counts"]["cached"] == n_files
    # an unchanged re-run scores nothing
    third = subprocess.run(cmd, capture_output=True, text=True)
    assert third.returncode == 0
    run3 = pd.read_json(out / "run.json", typ="series")
    assert run3["counts"]["scored"] == 0 and run3["counts"]["cached"] == n_files


def test_very_long_text_is_processed_in_pieces(analyser):
    filler = "lorem ipsum dolor sit amet " * 50_000  # 1.35 M characters on one line: over spaCy's max_length
    text = "Head of Service\n" + filler + "\nManage the department budget."
    res = analyser.analyse(text, title="Head of Service")
    assert len(text) > analyser.nlp.max_length
    assert any(m.status == "counted" and m.pole == "M" for m in res.matches)
    assert res.sentences[-1].text == "Manage the department budget."
