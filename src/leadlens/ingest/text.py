"""Plain text and Markdown files: decoded with encoding detection, one posting per file.

Also the text helpers every reader shares: :func:`decode` (bytes to text), :func:`normalise_text` (line
breaks, NULs and invisible control characters) and :func:`title_from_text` / :func:`clean_title`.

Decoding, in order: a byte-order mark (UTF-8, UTF-16, UTF-32) wins; then strict UTF-8; then UTF-16 without
a mark (every other byte NUL); binary data is refused (E024); a file that is mostly UTF-8 with a few stray
Windows-1252 bytes (text pasted from Word into a UTF-8 file) keeps both; then Windows-1252, which also
reads Latin-1 text (the two differ only in 0x80-0x9F, control codes nobody types); then the best guess of
charset-normalizer. Line breaks are kept: they are sentence boundaries downstream.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import E, InputError
from .options import DEFAULT_OPTIONS, ReadOptions, human_size

_TITLE_PREFIX = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?(?:job\s+title|post\s+title|role\s+title|job\s+role|position|vacancy|title|post|role)"
    r"\s*(?:\*\*)?\s*[:\-–|]\s*(?:\*\*)?\s*", re.I)

# C0 controls but tab and newline, DEL, C1 controls, BOM/zero-width/soft hyphen, bidi overrides and isolates:
# invisible, and some of them hostile in a terminal or a spreadsheet (ANSI escapes, "Trojan source" text);
# lone surrogates (which no file can encode) too.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u00ad\u200b\u2060\ufeff\u202a-\u202e"
                        "\u2066-\u2069\ud800-\udfff]")
# Terminal escape sequences (CSI colours and cursor moves, OSC titles and links): removed whole, not just
# their ESC byte, so no "[31m" is left behind.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)?|[@-Z\\-_])"
                   r"|\x9b[0-?]*[ -/]*[@-~]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (0, 9, 10, 12, 13, 11, 27))


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):  # pragma: no cover - only registered for decoding
        raise exc
    return exc.object[exc.start:exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("leadlens.cp1252", _cp1252_fallback)


def looks_utf16(data: bytes) -> str | None:
    """``'utf-16-le'``/``'utf-16-be'`` for UTF-16 text without a byte-order mark (ASCII-range text has a NUL
    in every other byte), else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True when the first 8 KB hold too many control bytes (or NULs) to be text in an 8-bit or UTF-8
    encoding. A few stray NULs are fine: they are stripped."""
    sample = data[:8192]
    if not sample or looks_utf16(sample):
        return False
    controls = sum(sample.count(b) for b in _CONTROL_BYTES)
    return controls > 0.05 * len(sample) or sample.count(0) > 0.3 * len(sample)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode the bytes of a text file (see the module doc for the order), normalised by
    :func:`normalise_text`. Raises E024 when the bytes are not text."""
    if encoding:
        return normalise_text(data.decode(encoding, errors="replace"))
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            errors = "leadlens.cp1252" if codec == "utf-8-sig" else "replace"
            return normalise_text(data.decode(codec, errors=errors))
    try:
        return normalise_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    utf16 = looks_utf16(data)
    if utf16:
        return normalise_text(data.decode(utf16, errors="replace"))
    if looks_binary(data):
        raise InputError(E.E024, file=name, reason="binary data, not text")
    if _UTF8_MULTIBYTE.search(data):  # mostly UTF-8 with stray Windows-1252 bytes
        return normalise_text(data.decode("utf-8", errors="leadlens.cp1252"))
    try:
        return normalise_text(data.decode("cp1252"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(E.E024, file=name, reason="no encoding fits its bytes")
    return normalise_text(str(best))


def normalise_text(text: str) -> str:
    """Unify line breaks to ``\\n`` (CR LF, CR, form feed, Unicode line and paragraph separators) and drop
    NULs, terminal escape sequences and invisible control characters (see ``_INVISIBLE``)."""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    return _INVISIBLE.sub("", _BREAKS.sub("\n", text))


def clean_title(title: object, limit: int = 200) -> str | None:
    """A title as one line: control characters dropped, whitespace collapsed, at most ``limit`` characters;
    None when nothing is left. Markup and formula-like text are kept as written (the outputs escape them)."""
    if title is None:
        return None
    text = " ".join(normalise_text(str(title)).split())
    return text[:limit].rstrip() or None


def title_from_text(text: str, headings: Sequence[str] = ()) -> str | None:
    """The title: a "Job title:" line among the first lines, else the first of ``headings`` (from a reader
    that knows them), else the first non-empty line (Markdown marks removed)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for ln in lines[:8]:
        if _TITLE_PREFIX.match(ln) and len(ln) < 150:
            found = _TITLE_PREFIX.sub("", ln).strip(" *#")
            if found:
                return clean_title(found)
    for heading in headings:
        if heading.strip():
            return clean_title(heading)
    if not lines:
        return None
    first = lines[0].lstrip("#").strip().strip("*").strip()
    return clean_title(first)


def read_limited(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> bytes:
    """The bytes of ``path``, refusing a file over ``options.max_bytes`` (E017) before reading it."""
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputError(E.E017, file=str(path), size=human_size(size), limit=human_size(options.max_bytes))
        with path.open("rb") as fh:
            data = fh.read(options.max_bytes + 1)
    except OSError as exc:
        raise InputError(E.E011, file=str(path), reason=exc.strerror or str(exc)) from exc
    if len(data) > options.max_bytes:  # it grew while we looked
        raise InputError(E.E017, file=str(path), size=f"over {human_size(options.max_bytes)}",
                         limit=human_size(options.max_bytes))
    return data


def read_text(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> tuple[str, str | None]:
    """Return (text, title) of a .txt or .md file."""
    text = decode(read_limited(path, options), str(path), options.encoding)
    if not text.strip():
        raise InputError(E.E014, file=str(path))
    return text, title_from_text(text)
