"""Saved web pages (NHS Jobs adverts, trust career pages): the main content as lines.

Parsed with BeautifulSoup over lxml's HTML parser, which is forgiving of the broken markup saved pages
have, is fast, and never loads DTDs or external entities (an internal DTD subset is dropped before parsing,
so its entities are never defined). trafilatura would find main content on arbitrary sites, but it is a
large dependency that rewrites lists and tables; saved NHS pages mark their content with ``<main>``, so a
small extractor keeps reading order, bullets and headings under our control.

What is kept: the ``<main>`` element (else ``role="main"``, the largest ``<article>``, ``#main-content``,
``#content``, else ``<body>``), with headings as their own lines, list items as ``"• "`` lines, definition
lists and two-column table rows as ``"Label: value"`` lines, and every other block on its own line. What is
dropped: scripts, styles, forms, navigation, site header and footer, cookie banners, breadcrumbs, and
anything hidden.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from ..errors import E, InputError
from .options import DEFAULT_OPTIONS, ReadOptions
from .text import decode, read_limited, title_from_text

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "nav",
             "form", "button", "select", "input", "textarea", "aside", "dialog", "head", "link", "meta")
SITE_TAGS = ("header", "footer")  # dropped when outside the main content
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert"}
DROP_CLASS_WORDS = {"nav", "navigation", "navbar", "menu", "breadcrumb", "breadcrumbs", "cookie", "cookies",
                    "skip", "skiplink", "share", "social", "sidebar", "footer", "banner", "pagination"}
HIDDEN_CLASSES = {"hidden", "visually-hidden", "visuallyhidden", "sr-only", "screen-reader-text", "hide"}
BLOCK_TAGS = {"address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
              "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
              "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
              "thead", "tr", "ul", "br", "html"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]{0,500}\[.*?\]\s*>", re.I | re.S)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]{1,40})", re.I)
_BULLETS = ("•", "·", "-", "*", "–", "▪", "●", "◦")


def decode_html(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode a page: a forced encoding, a byte-order mark, the ``<meta charset>`` (ISO-8859-1 and ASCII read
    as Windows-1252, as browsers do), else :func:`leadlens.ingest.text.decode`'s detection."""
    if not encoding and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            if declared in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"):
                declared = "cp1252"
            try:
                codecs.lookup(declared)
            except LookupError:
                declared = ""
            if declared and declared.replace("-", "").replace("_", "") != "utf8":
                encoding = declared
    return decode(data, name, encoding)


def read_html(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> tuple[str, str | None]:
    """Return (text, title) of a saved web page."""
    html = decode_html(read_limited(path, options), str(path), options.encoding)
    text, title = html_to_text(html)
    if not text.strip():
        raise InputError(E.E014, file=str(path))
    return text, title


def html_to_text(html: str) -> tuple[str, str | None]:
    """The main content of a page as lines, and its title (a "Job title:" line, the first ``<h1>``, the
    page ``<title>``, another heading, or the first line)."""
    html = _INTERNAL_SUBSET.sub("<!DOCTYPE html>", html[:8192], count=1) + html[8192:]
    soup = BeautifulSoup(html, "lxml")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = _main(soup)
    _prune(root, inside_main=root.name not in ("body", "[document]", "html"))
    lines, headings = _Lines().walk(root)
    h1 = [h for level, h in headings if level == "h1"]
    rest = [h for level, h in headings if level != "h1"]
    text = "\n".join(lines)
    return text, title_from_text(text, h1 + ([page_title] if page_title else []) + rest)


def _main(soup: BeautifulSoup) -> Tag:
    for found in (soup.find("main"), soup.find(attrs={"role": "main"})):
        if isinstance(found, Tag):
            return found
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    for key in ("main-content", "maincontent", "content", "main"):
        found = soup.find(id=key)
        if isinstance(found, Tag):
            return found
    return soup.body or soup


def _prune(root: Tag, inside_main: bool) -> None:
    doomed: list[Tag] = []
    for el in root.find_all(True):
        if el.name in DROP_TAGS or (not inside_main and el.name in SITE_TAGS) or _hidden(el):
            doomed.append(el)
    for el in doomed:
        el.extract()


def _hidden(el: Tag) -> bool:
    attrs = el.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in DROP_ROLES:
        return True
    if _HIDDEN_STYLE.search(str(attrs.get("style", ""))):
        return True
    classes = attrs.get("class") or []
    names = list(classes if isinstance(classes, list) else str(classes).split()) + [str(attrs.get("id", ""))]
    for name in (n.lower() for n in names if n):
        if name in HIDDEN_CLASSES or name.endswith(("-visually-hidden", "__visually-hidden")):
            return True
        if any(word in DROP_CLASS_WORDS for word in re.split(r"[-_\s]+", name)):
            return True
    return False


class _Lines:
    """Walks a tree without recursion (deeply nested pages are common) into lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.buf: list[str] = []
        self.prefix = ""
        self.glue = False
        self.pre = 0

    def walk(self, root: Tag) -> tuple[list[str], list[tuple[str, str]]]:
        _mark_label_cells(root)
        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, (Comment, CData, ProcessingInstruction, Declaration, Doctype)):
                    self.buf.append(str(node))
                continue
            assert isinstance(node, Tag)
            if leaving:
                self.leave(node)
                continue
            self.enter(node)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        self.flush()
        return self.lines, self.headings

    def enter(self, tag: Tag) -> None:
        if tag.name == "pre":
            self.pre += 1
        if tag.name in BLOCK_TAGS:
            if self.glue and tag.name in ("dd", "td", "th"):
                self.glue = False
            else:
                self.flush()
        if tag.name == "li":
            self.prefix = "• "

    def leave(self, tag: Tag) -> None:
        if tag.name == "pre":
            self.flush()
            self.pre -= 1
        if tag.name == "dt" or tag.has_attr("data-leadlens-label"):
            label = "".join(self.buf).strip().rstrip(":")
            if label:
                self.buf = [label, ": "]
                self.glue = True
                return
        if tag.name in HEADINGS:
            line = self.flush()
            if line:
                self.headings.append((tag.name, line))
        elif tag.name in BLOCK_TAGS:
            self.flush()

    def flush(self) -> str:
        raw = "".join(self.buf)
        self.buf = []
        self.glue = False
        if self.pre:
            parts = [" ".join(p.split()) for p in raw.split("\n")]
        else:
            parts = [" ".join(raw.split())]
        out = ""
        for part in parts:
            if not part:
                continue
            if self.prefix:
                part = part if part.startswith(_BULLETS) else self.prefix + part
                self.prefix = ""
            self.lines.append(part)
            out = out or part
        return out


def _mark_label_cells(root: Tag) -> None:
    """In two-cell table rows whose first cell is a short label ("Band", "Job title"), mark that cell so the
    row reads as one "Label: value" line."""
    for tr in root.find_all("tr"):
        cells = [c for c in tr.find_all(["td", "th"], recursive=False)]
        if len(cells) != 2:
            continue
        label = " ".join(cells[0].get_text(" ").split())
        if label and len(label) <= 60 and cells[1].get_text().strip() and not cells[0].find(["p", "li", "br"]):
            cells[0]["data-leadlens-label"] = "1"
