"""A resumable result cache: append-only JSON Lines shards inside the output folder.

Each scored posting is appended as one line ``{"key", "doc", "sentences", "matches"}`` and flushed, so a run
killed at any moment (even ``kill -9``) leaves every finished posting on disk; a torn last line is ignored on
the next read. The key hashes the posting's text and title with the settings digest (leadlens version, spaCy
pipeline name and version, every rule file, the scoring settings), so a change of model or rules never
reuses stale results. Only an index of keys to file offsets is held in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

CACHE_DIR = ".leadlens-cache"
_PREFIX = b'{"key": "'
_KEY_END = len(_PREFIX) + 64


def content_key(settings_digest: str, text: str, title: str | None) -> str:
    """The cache key of one posting."""
    h = hashlib.sha256()
    for part in (settings_digest, title or "", text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class ResultCache:
    """Append-only store of scored postings under ``out/.leadlens-cache``."""

    def __init__(self, out: Path) -> None:
        self.dir = Path(out) / CACHE_DIR
        self.dir.mkdir(parents=True, exist_ok=True)
        self.index: dict[str, tuple[Path, int]] = {}
        for shard in sorted(self.dir.glob("shard-*.jsonl")):
            self._scan(shard)
        self._shard = self.dir / f"shard-{os.getpid()}-{len(list(self.dir.glob('shard-*.jsonl'))):05d}.jsonl"
        self._fh = None

    def _scan(self, shard: Path) -> None:
        with shard.open("rb") as fh:
            offset = 0
            for line in fh:
                # a complete line starts with the fixed-width key and ends with "}\n"; a torn one is skipped
                if line.startswith(_PREFIX) and line.endswith(b"}\n") and len(line) > _KEY_END:
                    key = line[len(_PREFIX):_KEY_END].decode("ascii", "replace")
                    self.index[key] = (shard, offset)
                offset += len(line)

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def __len__(self) -> int:
        return len(self.index)

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached entry for ``key``, or None (also when its line turns out to be damaged)."""
        where = self.index.get(key)
        if where is None:
            return None
        shard, offset = where
        with shard.open("rb") as fh:
            fh.seek(offset)
            try:
                return json.loads(fh.readline())
            except ValueError:
                return None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Append one entry and flush it to the operating system."""
        if self._fh is None:
            self._fh = self._shard.open("ab")
        offset = self._fh.tell()
        line = json.dumps({"key": key, **entry}, ensure_ascii=False, default=_jsonable).encode("utf-8") + b"\n"
        self._fh.write(line)
        self._fh.flush()
        self.index[key] = (self._shard, offset)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None


def _jsonable(x: Any) -> Any:
    if isinstance(x, float):
        return None
    try:
        return x.item()  # numpy scalars
    except AttributeError:
        return str(x)
