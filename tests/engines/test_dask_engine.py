"""The Dask engine gives exactly the local engine's entries, in input order."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import SAMPLE, SENTENCE_MODEL

pytest.importorskip("distributed", reason='Dask is not installed (pip install -e ".[dask]")')

pytestmark = pytest.mark.slow


def _chunks(n_adverts: int = 6, size: int = 2) -> list[list[tuple[str, str | None]]]:
    paths = sorted(Path(SAMPLE).glob("*.txt"))[:n_adverts]
    assert len(paths) == n_adverts, f"expected {n_adverts} sample adverts in {SAMPLE}"
    items = [(p.read_text(encoding="utf-8"), p.stem.replace("_", " ")) for p in paths]
    return [items[i:i + size] for i in range(0, len(items), size)]


def test_dask_engine_equals_local_engine_on_two_workers():
    from leadlens.engines import DaskEngine, LocalEngine, make_engine

    chunks = _chunks()
    expected = list(LocalEngine(batch_size=4).map(chunks))
    engine = make_engine(2, None, 4, engine="dask")  # a LocalCluster of two single-threaded worker processes
    try:
        assert isinstance(engine, DaskEngine) and engine.workers == 2
        got = list(engine.map(iter(chunks)))
        assert [len(c) for c in got] == [len(c) for c in chunks]
        assert got == expected
        # a second engine on the same scheduler, by address, as on a multi-machine cluster
        remote = DaskEngine(scheduler=engine.cluster.scheduler_address, batch_size=4)
        try:
            assert remote.cluster is None and remote.workers == 2
            assert list(remote.map(reversed(chunks))) == expected[::-1]
        finally:
            remote.close()
        assert list(engine.map(chunks[:1])) == expected[:1]  # closing the client left the cluster running
    finally:
        engine.close()


def test_workers_with_other_settings_are_refused():
    from leadlens.engines.dask_engine import DaskEngine, settings_of

    engine = DaskEngine.__new__(DaskEngine)  # only the check, without a cluster
    engine.model = None
    engine.sentence_model = None
    engine.check_workers({"tcp://a:1": settings_of(None)})
    with pytest.raises(RuntimeError, match="tcp://b:2"):
        engine.check_workers({"tcp://a:1": settings_of(None), "tcp://b:2": "0" * 64})


def test_workers_with_another_sentence_model_are_refused(tmp_path):
    import shutil

    from leadlens.engines.dask_engine import DaskEngine, settings_of

    other = tmp_path / "other-model"
    shutil.copytree(SENTENCE_MODEL, other)
    meta = other / "meta.json"
    meta.write_text(meta.read_text() + " ")  # another file: another digest
    engine = DaskEngine.__new__(DaskEngine)
    engine.model = None
    engine.sentence_model = str(SENTENCE_MODEL)
    engine.check_workers({"tcp://a:1": settings_of(None, str(SENTENCE_MODEL))})
    with pytest.raises(RuntimeError, match="tcp://b:2"):
        engine.check_workers({"tcp://a:1": settings_of(None, str(SENTENCE_MODEL)),
                              "tcp://b:2": settings_of(None, str(other))})
    with pytest.raises(RuntimeError, match="tcp://c:3"):
        engine.check_workers({"tcp://c:3": settings_of(None)})  # a worker scoring with the rules alone


def test_dask_engine_is_not_imported_with_the_package():
    import subprocess
    import sys

    code = "import sys, leadlens, leadlens.engines, leadlens.batch; print('distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
