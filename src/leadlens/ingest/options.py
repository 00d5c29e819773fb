"""Limits and choices for reading input files.

Every reader takes a :class:`ReadOptions`; the defaults suit a batch of thousands of NHS job descriptions
(Word, PDF, web pages, exports) on an ordinary laptop. Each limit, when hit, gives a coded error row
(see :mod:`leadlens.errors`), never a crash or a hang.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How to read input files.

    Attributes:
        max_bytes: Largest input file read, in bytes (E017 above it).
        max_inflated_bytes: Largest total unpacked size of a .docx or .xlsx (a zip of XML parts), in
            bytes; a zip bomb hits this first (E018).
        max_zip_members: Most parts a .docx or .xlsx may hold (E018 above it).
        timeout_s: Seconds one PDF may take to read before it is stopped (E020). PDFs are read in a
            separate process so that a parser that hangs can be ended.
        pdf_memory_mb: Memory cap of that process, in MiB, where the system allows one (POSIX);
            0 for none (E026 when hit).
        max_pdf_pages: Pages read from one PDF; the rest are left out (a job description has a few).
        encoding: Force this encoding for text, CSV and JSON files instead of detecting it.
    """

    max_bytes: int = 50 * MB
    max_inflated_bytes: int = 200 * MB
    max_zip_members: int = 5000
    timeout_s: float = 60.0
    pdf_memory_mb: int = 2048
    max_pdf_pages: int = 2000
    encoding: str | None = None

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_inflated_bytes", "max_zip_members", "max_pdf_pages"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) <= 0:
                raise ValueError(f"ReadOptions.{name} must be a positive whole number, got {getattr(self, name)!r}")
        if not self.timeout_s > 0:
            raise ValueError(f"ReadOptions.timeout_s must be positive, got {self.timeout_s!r}")
        if self.pdf_memory_mb < 0:
            raise ValueError(f"ReadOptions.pdf_memory_mb must be 0 (no cap) or more, got {self.pdf_memory_mb!r}")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ValueError(f"ReadOptions.encoding: unknown encoding {self.encoding!r}") from None

    @classmethod
    def from_cli(cls, max_file_mb: float = 50, max_inflated_mb: float = 200, read_timeout: float = 60,
                 pdf_memory_mb: int = 2048, encoding: str | None = None) -> ReadOptions:
        """Build options from the command line's units (MiB and seconds)."""
        return cls(max_bytes=int(max_file_mb * MB), max_inflated_bytes=int(max_inflated_mb * MB),
                   timeout_s=float(read_timeout), pdf_memory_mb=int(pdf_memory_mb), encoding=encoding or None)


DEFAULT_OPTIONS = ReadOptions()


def human_size(n: int) -> str:
    """``1536`` -> ``'1.5 KB'``; sizes in binary units, as file managers show them."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover
