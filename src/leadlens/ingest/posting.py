"""The unit of input: one job advert or role description."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Posting:
    """One posting as read: ``text`` is what offsets index; ``error`` is set when it could not be read."""

    doc_id: str
    source: str
    text: str = ""
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error
