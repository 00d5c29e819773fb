"""Reading limits (leadlens.ingest.options)."""

from __future__ import annotations

import pytest

from leadlens.ingest.options import MB, ReadOptions, human_size


def test_defaults_and_cli_units():
    assert ReadOptions().max_bytes == 50 * MB and ReadOptions().max_inflated_bytes == 200 * MB
    opts = ReadOptions.from_cli(max_file_mb=1.5, max_inflated_mb=10, read_timeout=5, pdf_memory_mb=0, encoding="")
    assert (opts.max_bytes, opts.max_inflated_bytes, opts.timeout_s, opts.pdf_memory_mb, opts.encoding) == \
           (int(1.5 * MB), 10 * MB, 5.0, 0, None)


@pytest.mark.parametrize("kwargs", [
    {"max_bytes": 0}, {"max_inflated_bytes": -1}, {"timeout_s": 0}, {"pdf_memory_mb": -5},
    {"encoding": "no-such-codec"}, {"max_zip_members": 1.5},
])
def test_bad_options_are_refused(kwargs):
    with pytest.raises(ValueError, match="ReadOptions"):
        ReadOptions(**kwargs)


@pytest.mark.parametrize("n, text", [(0, "0 bytes"), (1023, "1023 bytes"), (1536, "1.5 KB"),
                                     (50 * MB, "50.0 MB"), (3 * 1024 * MB, "3.0 GB")])
def test_human_size(n, text):
    assert human_size(n) == text
