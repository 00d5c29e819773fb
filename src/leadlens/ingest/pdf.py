"""PDF job descriptions: the text layer, page by page, cleaned into lines.

Text comes from pypdf, run in a separate worker process (``_pdf_worker.py``) that lives for the whole batch:
a PDF that makes the parser loop or swell is stopped after ``ReadOptions.timeout_s`` seconds (E020) or at
``ReadOptions.pdf_memory_mb`` (E026), the worker is restarted, and the batch goes on. An encrypted PDF that
needs a password is E021; a PDF whose pages have no text (a scan) is E022.

The page texts are then cleaned by pure functions, tested alone:

* :func:`strip_repeated_margins`: lines repeated at the top or bottom of most pages (running headers and
  footers, "Page 3 of 7") are removed;
* :func:`reflow`: lines wrapped by the layout are joined back into sentences (a line that does not end a
  sentence, followed by one that starts in lower case, or by any line after a full-width line), list items
  keep their own lines as ``"• "`` lines, and words hyphenated across lines are joined: the document's own
  spelling decides ("manage-/ment" joins to "management" when the document uses it), else a short list of
  compound parts keeps the hyphen ("long-/term"), else the hyphen goes.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import E, InputError
from .options import DEFAULT_OPTIONS, ReadOptions, human_size
from .text import normalise_text, title_from_text

WORKER = Path(__file__).with_name("_pdf_worker.py")
KIND = "PDF"
STARTUP_TIMEOUT_S = 60.0


class PdfWorker:
    """A long-lived pypdf process; :meth:`extract` returns the worker's answer for one file, or
    ``{"ok": False, "error": "timeout" | "crashed"}``. Use as a context manager, or call :meth:`close`."""

    def __init__(self, options: ReadOptions = DEFAULT_OPTIONS, command: Sequence[str] | None = None) -> None:
        self.options = options
        self.command = list(command) if command else [sys.executable, str(WORKER)]
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        env = dict(os.environ, LEADLENS_PDF_MEMORY_MB=str(self.options.pdf_memory_mb), PYTHONIOENCODING="utf-8")
        try:
            proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=env, text=True, encoding="utf-8", bufsize=1)
        except OSError as exc:
            raise RuntimeError(f"cannot start the PDF reader ({exc})") from exc
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, name="leadlens-pdf-reader", daemon=True).start()
        self._proc, self._lines = proc, lines
        try:
            ready = lines.get(timeout=max(STARTUP_TIMEOUT_S, self.options.timeout_s))
        except queue.Empty:
            ready = None
        if not ready or not json.loads(ready).get("ready"):
            self._kill()
            raise RuntimeError("the PDF reader did not start (is pypdf installed?)")

    def extract(self, path: str | Path, max_pages: int | None = None) -> dict[str, Any]:
        """Ask the worker for the page texts of ``path``; never waits longer than ``timeout_s``."""
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        assert self._proc is not None and self._proc.stdin is not None
        request = {"path": os.fspath(path), "max_pages": max_pages or self.options.max_pdf_pages,
                   "timeout_s": self.options.timeout_s}
        try:
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            line = self._lines.get(timeout=self.options.timeout_s)
        except queue.Empty:
            self._kill()
            return {"ok": False, "error": "timeout"}
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            code = self._kill()
            return {"ok": False, "error": "crashed", "detail": f"exit code {code}"}
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            self._kill()
            return {"ok": False, "error": "crashed", "detail": "garbled answer"}
        return answer

    def _kill(self) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.kill()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a killed process always ends
            return None
        finally:
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream:
                        stream.close()
                except OSError:  # pragma: no cover
                    pass

    def close(self) -> None:
        """End the worker (politely: close its input, then kill it if it lingers)."""
        proc = self._proc
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self._kill()


def read_pdf(path: Path, options: ReadOptions = DEFAULT_OPTIONS,
             worker: PdfWorker | None = None) -> tuple[str, str | None]:
    """Return (text, title) of a PDF, through ``worker`` (a one-off worker when None)."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(E.E011, file=source, reason=exc.strerror or str(exc)) from exc
    if size > options.max_bytes:
        raise InputError(E.E017, file=source, size=human_size(size), limit=human_size(options.max_bytes))
    try:
        if worker is None:
            with PdfWorker(options) as own:
                answer = own.extract(path.resolve())
        else:
            answer = worker.extract(path.resolve())
    except RuntimeError as exc:
        raise InputError(E.E011, file=source, reason=str(exc)) from exc
    if not answer.get("ok"):
        error = answer.get("error")
        if error == "timeout":
            raise InputError(E.E020, file=source, seconds=options.timeout_s, kind=KIND)
        if error == "encrypted":
            raise InputError(E.E021, file=source, kind=KIND)
        if error == "memory":
            raise InputError(E.E026, file=source, kind=KIND, limit=f"{options.pdf_memory_mb} MB")
        if error == "crashed":
            raise InputError(E.E025, file=source, kind=KIND,
                             reason=f"the PDF reader stopped unexpectedly, {answer.get('detail', '')}")
        raise InputError(E.E025, file=source, kind=KIND, reason=str(answer.get("detail") or error))
    pages = [p for p in answer.get("pages", []) if isinstance(p, str)]
    if not answer.get("page_count"):
        raise InputError(E.E025, file=source, kind=KIND, reason="it has no pages")
    if not any(p.strip() for p in pages):
        raise InputError(E.E022, file=source, pages=answer.get("page_count"))
    text = clean_pages(pages)
    if not text.strip():
        raise InputError(E.E022, file=source, pages=answer.get("page_count"))
    return text, title_from_text(text)


# -- cleaning the page texts -----------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[•●▪■◦○◆◇►▸➢➤✓✔\-–*·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e8]|o(?=\s+[A-Z]))"
                     r"\s*(?=\S|$)")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^-\s*#\s*-$")
_WORD_END = re.compile(r"([A-Za-z]+)-$")
_WORD_START = re.compile(r"^([a-z]+)")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")
COMPOUND_HEADS = {"long", "short", "multi", "cross", "co", "self", "well", "high", "low", "full", "part", "non",
                  "inter", "day", "face", "person", "patient", "user", "evidence", "cost", "time", "risk",
                  "decision", "problem", "forward", "hands", "follow", "front", "one", "two", "first", "second",
                  "third", "fast", "large", "small", "wide", "world", "award", "up", "in", "on", "off", "out",
                  "sign", "hand", "pre", "post", "re", "semi", "sub", "anti"}
COMPOUND_TAILS = {"term", "based", "led", "time", "making", "solving", "focused", "centred", "centered", "level",
                  "wide", "facing", "date", "going", "minded", "quality", "to", "on", "up", "day", "edge", "free",
                  "driven", "specific", "related", "ordinate", "ordination", "operate", "operation", "working",
                  "disciplinary", "professional", "agency", "off", "out", "in"}


def clean_pages(pages: Sequence[str]) -> str:
    """The text of a PDF from its page texts: margins stripped, lines reflowed, bullets unified."""
    split = [normalise_text(p.replace("\u00ad\n", "").replace("\u00ad\r\n", "")).split("\n") for p in pages]
    lines = [ln for page in strip_repeated_margins(split) for ln in page]
    return "\n".join(reflow(lines))


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def strip_repeated_margins(pages: Sequence[Sequence[str]], depth: int = 3) -> list[list[str]]:
    """Drop lines among the first or last ``depth`` non-empty lines of a page that repeat there on at least
    half of the pages (and on two or more), digits ignored; and bare page numbers there."""
    def margins(page: Sequence[str]) -> list[int]:
        idx = [i for i, ln in enumerate(page) if ln.strip()]
        return sorted(set(idx[:depth] + idx[-depth:]))

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_key(page[i]) for i in margins(page)})
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for page in pages:
        drop = {i for i in margins(page)
                if (len(pages) >= 2 and counts[_key(page[i])] >= need) or _PAGE_NUMBER.match(_key(page[i]))}
        out.append([ln for i, ln in enumerate(page) if i not in drop])
    return out


def _is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def _bulleted(line: str) -> str:
    m = _BULLET.match(line)
    return "• " + line[m.end():].strip() if m else line.strip()


def reflow(lines: Sequence[str]) -> list[str]:
    """Join lines that the layout wrapped, keep list items and headings apart, and undo hyphenation at line
    ends (see the module doc)."""
    text = " ".join(lines).lower()
    vocabulary = set(_WORDS.findall(text))
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    full = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    out: list[str] = []
    pending_bullet = False
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if _is_bullet(line):
            body = _bulleted(line)[2:]
            if not body:  # a bullet glyph alone on its line: it belongs to the next line
                pending_bullet = True
                continue
            out.append("• " + body)
            pending_bullet = False
            continue
        if pending_bullet:
            out.append("• " + line)
            pending_bullet = False
            continue
        if out and _continues(out[-1], line, full):
            out[-1] = _join(out[-1], line, vocabulary)
        else:
            out.append(line)
    return out


def _continues(prev: str, line: str, full: int) -> bool:
    if prev.endswith((".", "!", "?", ":", ";")) or prev.endswith(".)"):
        return False
    if line[0].islower() or (prev.endswith("-") and line[0].isalpha()):
        return True
    if prev.endswith((",", "&", " and", " or", " the", " of", " to", " for", " with", " a", " in")):
        return True
    return bool(full) and len(prev) >= 0.8 * full and len(prev) >= 40 and not line[0].isdigit()


def _join(prev: str, line: str, vocabulary: set[str]) -> str:
    head, tail = _WORD_END.search(prev), _WORD_START.match(line)
    if head and tail:
        first, second = head.group(1).lower(), tail.group(1)
        joined, hyphenated = first + second, f"{first}-{second}"
        if joined in vocabulary and hyphenated not in vocabulary:
            return prev[:-1] + line
        if hyphenated in vocabulary or first in COMPOUND_HEADS or second in COMPOUND_TAILS:
            return prev + line
        return prev[:-1] + line
    if prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].isupper():
        return prev + line  # "NHS-\nEngland"-like: a compound with a capital, keep the hyphen
    return prev + " " + line
