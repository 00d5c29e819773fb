"""The Dask engine gives exactly the local engine's entries, in input order."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import SAMPLE

pytest.importorskip("distributed", reason='Dask is not installed (pip install -e ".[dask]")')

pytestmark = pytest.mark.slow


def _chunks(n_adverts: int = 6, size: int = 2) -> list[list[tuple[str, str | None]]]:
    paths = sorted(Path(SAMPLE).glob("*.txt"))[:n_adverts]
    assert len(paths) == n_adverts, f"expected {n_adverts} sample adverts in {SAMPLE}"
    items = [(p.read_text(encoding="utf-8"), p.stem.replace("_", " ")) for p in paths]
    return [items[i:i + size] for i in range(0, len(items), size)]


def test_dask_engine_equals_local_engine_on_two_workers():
    from leadlens.engines import DaskEngine, LocalEngine

    chunks = _chunks()
    expected = list(LocalEngine(batch_size=4).map(chunks))
    engine = DaskEngine(workers=2, batch_size=4)
    try:
        assert engine.workers == 2
        got = list(engine.map(iter(chunks)))
    finally:
        engine.close()
    assert [len(c) for c in got] == [len(c) for c in chunks]
    assert got == expected


def test_dask_engine_is_not_imported_with_the_package():
    import subprocess
    import sys

    code = "import sys, leadlens, leadlens.engines, leadlens.batch; print('distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
