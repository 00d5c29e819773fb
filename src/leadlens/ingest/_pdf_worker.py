"""The PDF text worker: a separate process that reads PDFs with pypdf, so a file that makes the parser hang
or swell can be stopped without stopping the batch (see :mod:`leadlens.ingest.pdf`).

Run as a script, never imported by leadlens: it imports nothing of the package (importing ``leadlens``
would load spaCy), and it takes its own folder off ``sys.path`` so that ``ingest/html.py`` cannot shadow
the standard library's ``html``.

Protocol: one JSON request a line on stdin (``{"path": ..., "max_pages": ..., "timeout_s": ...}``), one JSON
answer a line on the original stdout: ``{"ok": true, "pages": [...], "page_count": n}`` or
``{"ok": false, "error": "encrypted" | "damaged" | "memory", "detail": ...}``. The first line written is
``{"ready": true}``. Anything pypdf prints goes to stderr.
"""

import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != _HERE]


def _limit_memory(mb: int) -> None:
    if mb <= 0:
        return
    try:
        import resource

        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not POSIX, or not allowed: the timeout still holds
        pass


def extract(path: str, max_pages: int) -> dict:
    """Text of each page of the PDF at ``path``."""
    import logging

    logging.disable(logging.WARNING)  # pypdf warns about every repairable flaw
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):  # no user password: only an owner password restricts it
                    return {"ok": False, "error": "encrypted"}
            except (DependencyError, NotImplementedError, FileNotDecryptedError, PdfReadError) as exc:
                return {"ok": False, "error": "encrypted", "detail": str(exc)}
        count = len(reader.pages)
        pages = []
        failed = 0
        for i in range(min(count, max_pages)):
            try:
                pages.append(reader.pages[i].extract_text() or "")
            except MemoryError:
                raise
            except Exception:  # one bad page must not lose the others
                pages.append("")
                failed += 1
        return {"ok": True, "pages": pages, "page_count": count, "failed_pages": failed}
    except MemoryError:
        return {"ok": False, "error": "memory"}
    except FileNotDecryptedError:
        return {"ok": False, "error": "encrypted"}
    except RecursionError:
        return {"ok": False, "error": "damaged", "detail": "its object structure nests without end"}
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        return {"ok": False, "error": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:300]}


def main() -> None:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    sys.stdout = sys.stderr
    _limit_memory(int(os.environ.get("LEADLENS_PDF_MEMORY_MB", "0") or 0))
    import pypdf  # noqa: F401 - load before saying ready, so start-up is not charged to the first file

    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    alarm = getattr(__import__("signal"), "alarm", None)
    for line in sys.stdin:
        try:
            req = json.loads(line)
            if alarm and req.get("timeout_s"):
                # A second guard: should the parent die while a file hangs, the worker still ends itself.
                alarm(int(float(req["timeout_s"])) + 30)
            answer = extract(req["path"], int(req.get("max_pages", 2000)))
            if alarm:
                alarm(0)
        except MemoryError:
            answer = {"ok": False, "error": "memory"}
        except Exception as exc:  # noqa: BLE001
            answer = {"ok": False, "error": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:300]}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
