"""Word documents (.docx, also .docm and .dotx): paragraphs, list items and table cells in reading order.

The package is checked first (:func:`leadlens.ingest.archive.check_package`: size when unpacked, number
of parts, no DTD or entity in any XML part), then opened with python-docx, whose XML parser never resolves
entities. The body is walked in document order, content controls included:

* headings (styles "Title", "Subtitle", "Heading N", or an outline level) become their own lines and are
  the title candidates after a "Job title:" line;
* list items (numbered or bulleted, directly or through their style) become ``"• "`` lines;
* table rows become lines cell by cell; a two-cell row whose first cell is a short label ("Band",
  "Job title") becomes one ``"Label: value"`` line; merged cells are read once;
* text boxes are read after the paragraph that anchors them; headers, footers, comments and deleted
  (tracked) text are left out.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import E, InputError
from .archive import check_package
from .options import DEFAULT_OPTIONS, ReadOptions
from .text import normalise_text, title_from_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
KIND = "Word document"
_LEVELS = {"0", "1", "2", "3", "4", "5"}
_WORD_CONTENT_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def read_docx(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> tuple[str, str | None]:
    """Return (text, title) of a Word document."""
    check_package(path, KIND, options)
    lines, headings = _Walker(_open(path)).run()
    text = normalise_text("\n".join(lines))
    if not text.strip():
        raise InputError(E.E014, file=str(path))
    return text, title_from_text(text, headings)


def _open(path: Path):  # noqa: ANN202 - a python-docx Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart
    from lxml.etree import XMLSyntaxError

    for ct in _WORD_CONTENT_TYPES:  # macro-enabled documents and templates hold the same body
        PartFactory.part_type_for.setdefault(ct, DocumentPart)
    try:
        part = Package.open(str(path)).main_document_part
        if not isinstance(part, DocumentPart):
            raise InputError(E.E023, file=str(path), expected="a Word .docx document",
                             actual=f"an Office file of another kind ({part.content_type})",
                             advice="Open it in Word and save it as a .docx document.")
        return part.document
    except InputError:
        raise
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile, AttributeError) as exc:
        raise InputError(E.E025, file=str(path), kind=KIND, reason=f"{type(exc).__name__}: {exc}") from exc


class _Walker:
    def __init__(self, document) -> None:  # noqa: ANN001
        self.document = document
        self.lines: list[str] = []
        self.headings: list[str] = []
        self.titles: list[str] = []
        self._style_cache: dict[str, tuple[bool, bool, bool]] = {}

    def run(self) -> tuple[list[str], list[str]]:
        self.blocks(self.document.element.body, self.lines)
        return self.lines, self.titles + self.headings

    def blocks(self, container, out: list[str]) -> None:  # noqa: ANN001
        # Explicit stack: nested tables and content controls can be deep.
        stack = [iter(container)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if tag == W + "p":
                out.extend(self.paragraph(child))
            elif tag == W + "tbl":
                out.extend(self.table(child))
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag"):
                stack.append(iter(child))

    def paragraph(self, p) -> list[str]:  # noqa: ANN001
        text = _paragraph_text(p)
        is_title, is_heading, is_list = self.kind(p)
        lines = [" ".join(part.split()) for part in text.split("\n")]
        lines = [ln for ln in lines if ln]
        if lines and is_list and not lines[0].startswith("•"):
            lines[0] = "• " + lines[0]
        if lines and (is_heading or is_title):
            heading = " ".join(lines)
            (self.titles if is_title else self.headings).append(heading)
            lines = [heading]
        for box in p.iter(W + "txbxContent"):
            if not _excluded(box, p):  # boxes directly anchored here; nested ones come with their box
                self.blocks(box, lines)
        return lines

    def table(self, tbl) -> list[str]:  # noqa: ANN001
        out: list[str] = []
        for tr in tbl.iter(W + "tr"):
            if _nearest(tr, W + "tbl") is not tbl:
                continue  # a row of a nested table: read with its cell
            cells = []
            for tc in tr.iter(W + "tc"):
                if _nearest(tc, W + "tr") is not tr:
                    continue
                cell: list[str] = []
                self.blocks(tc, cell)
                if cell:
                    cells.append(cell)
            out.extend(row_lines(cells))
        return out

    def kind(self, p) -> tuple[bool, bool, bool]:  # noqa: ANN001
        """(title?, heading?, list item?) of a paragraph, from its properties and its style."""
        ppr = p.find(W + "pPr")
        style_id = ""
        direct_list = outline = False
        if ppr is not None:
            ps = ppr.find(W + "pStyle")
            style_id = ps.get(W + "val", "") if ps is not None else ""
            direct_list = ppr.find(W + "numPr") is not None
            ol = ppr.find(W + "outlineLvl")
            outline = ol is not None and ol.get(W + "val", "9") in _LEVELS
        is_title, is_heading, style_list = self.style_kind(style_id)
        return is_title, is_heading or outline, direct_list or style_list

    def style_kind(self, style_id: str) -> tuple[bool, bool, bool]:
        if style_id not in self._style_cache:
            name, has_num, outline = style_id, False, False
            try:
                style = self.document.styles.element.get_by_id(style_id) if style_id else None
                depth = 0
                while style is not None and depth < 10:  # follow basedOn for numbering and outline level
                    name = name if depth else (style.name_val or style_id)
                    ppr = style.find(W + "pPr")
                    if ppr is not None:
                        has_num = has_num or ppr.find(W + "numPr") is not None
                        ol = ppr.find(W + "outlineLvl")
                        outline = outline or (ol is not None and ol.get(W + "val", "9") in _LEVELS)
                    based = style.find(W + "basedOn")
                    style = self.document.styles.element.get_by_id(based.get(W + "val")) if based is not None \
                        else None
                    depth += 1
            except (KeyError, ValueError, AttributeError):
                pass
            low = (name or "").lower()
            is_title = low in ("title", "subtitle")
            is_heading = low.startswith("heading") or outline
            is_list = has_num or low.startswith("list")
            self._style_cache[style_id] = (is_title, is_heading and not is_title, is_list)
        return self._style_cache[style_id]


def _nearest(el, tag: str):  # noqa: ANN001, ANN202
    for a in el.iterancestors(tag):
        return a
    return None


def _paragraph_text(p) -> str:  # noqa: ANN001
    """Visible text of one paragraph: runs anywhere inside it (hyperlinks, fields, content controls, tracked
    insertions), tabs and breaks; not text boxes (read separately) nor fallback copies."""
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        if _excluded(el, p):
            continue
        if el.tag == W + "t":
            parts.append(el.text or "")
        elif el.tag == W + "tab":
            parts.append("\t")
        elif el.tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _excluded(el, p) -> bool:  # noqa: ANN001
    """True when ``el`` sits in a text box, a fallback copy or the paragraph's properties (tab stops), at
    any depth below paragraph ``p``."""
    a = el.getparent()
    while a is not None and a is not p:
        if a.tag in (W + "txbxContent", MC_FALLBACK, W + "pPr", W + "rPr"):
            return True
        a = a.getparent()
    return False


def row_lines(cells: list[list[str]]) -> list[str]:
    """Lines of one table row: a short one-line label and a value read as ``"Label: value"``; otherwise each
    cell's lines in order."""
    if len(cells) == 2 and len(cells[0]) == 1 and len(cells[0][0]) <= 60 and not cells[0][0].startswith("•"):
        label = cells[0][0].rstrip().rstrip(":")
        first, *rest = cells[1]
        if first.startswith("•"):
            return [f"{label}:", first, *rest]
        return [f"{label}: {first}", *rest]
    return [line for cell in cells for line in cell]
