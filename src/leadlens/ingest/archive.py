"""Safety checks on Office Open XML packages (.docx, .xlsx) before a library opens them.

A .docx or .xlsx is a zip of XML parts. Before python-docx or openpyxl sees one, :func:`check_package`

* refuses a package whose parts would unpack to more than ``max_inflated_bytes`` in total, or that holds
  more than ``max_zip_members`` parts (E018). The sizes come from the zip's central directory; Python's
  ``zipfile``, which both libraries read through, never inflates a part past its recorded size (it stops
  there, and the CRC check fails), so the recorded total bounds the memory any later read can take;
* parses the prologue of every XML part with defusedxml and refuses any DTD, entity declaration or
  external reference (E019). Office never writes a DTD, so nothing legitimate is lost, and an XXE or
  "billion laughs" part is stopped before any parser expands it;
* turns a damaged zip or a part that is not XML into E025, and a zip-encrypted part into E021.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from ..errors import E, InputError
from .options import DEFAULT_OPTIONS, ReadOptions, human_size

XML_SUFFIXES = (".xml", ".rels", ".vml")


def check_package(path: Path, kind: str, options: ReadOptions = DEFAULT_OPTIONS) -> None:
    """Raise a coded :class:`InputError` unless ``path`` is a zip that is safe to open as ``kind`` (words
    for messages, e.g. "Word document")."""
    source = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise InputError(E.E025, file=source, kind=kind, reason=f"not a valid zip package: {exc}") from exc
    except OSError as exc:
        raise InputError(E.E011, file=source, reason=exc.strerror or str(exc)) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > options.max_zip_members:
            raise InputError(E.E018, file=source, kind=kind, size=f"{len(infos)} parts",
                             limit=f"{options.max_zip_members} parts", detail="too many parts")
        total = sum(max(i.file_size, 0) for i in infos)
        if total > options.max_inflated_bytes:
            packed = max(sum(i.compress_size for i in infos), 1)
            raise InputError(E.E018, file=source, kind=kind, size=human_size(total),
                             limit=human_size(options.max_inflated_bytes),
                             detail=f"{human_size(packed)} packed, {total // packed}x expansion")
        for info in infos:
            if info.flag_bits & 0x1:
                raise InputError(E.E021, file=source, kind=kind)
        for info in infos:
            if info.filename.lower().endswith(XML_SUFFIXES) and info.file_size > 0:
                _check_xml_part(zf, info, source, kind)


def _check_xml_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, kind: str) -> None:
    """Parse up to the root element of one part (a DTD can only come before it) with everything unsafe
    forbidden."""
    try:
        with zf.open(info) as fh:
            for _event, _elem in DET.iterparse(fh, events=("start",), forbid_dtd=True, forbid_entities=True,
                                              forbid_external=True):
                break
    except DefusedXmlException as exc:
        reason = {"DTDForbidden": "a DTD", "EntitiesForbidden": "an entity declaration",
                  "ExternalReferenceForbidden": "an external reference"}.get(type(exc).__name__, str(exc))
        raise InputError(E.E019, file=source, part=info.filename, reason=reason) from exc
    except ParseError as exc:
        raise InputError(E.E025, file=source, kind=kind, reason=f"part {info.filename} is not valid XML: {exc}") \
            from exc
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        raise InputError(E.E025, file=source, kind=kind, reason=f"part {info.filename}: {exc}") from exc
