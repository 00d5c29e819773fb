"""make_engine picks an engine from its arguments, and refuses unknown ones."""

from __future__ import annotations

import pytest

from leadlens.engines import LocalEngine, make_engine


def test_one_worker_is_the_local_engine():
    engine = make_engine(1)
    assert type(engine) is LocalEngine
    engine.close()


@pytest.mark.parametrize("kwargs, message", [
    ({"engine": "spark"}, "unknown engine 'spark'"),
    ({"scheduler": "tcp://127.0.0.1:8786"}, "needs engine='dask'"),
])
def test_bad_engine_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_engine(1, **kwargs)
