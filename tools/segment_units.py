"""Cut an advert's description into annotation units (lines, then sentences) with character offsets.

Units are defined independently of leadlens's own segmentation so that gold labels do not depend on the
analyser: every non-empty line is a unit, and a line holding several sentences is cut after ".", "!" or "?"
when the next character after the spaces is an upper-case letter, a digit or a bullet. Leading bullet
markers and surrounding spaces are left out of the unit's offsets.

Adverts are read from the curated sample, or from the whole NHS Jobs 2020 file beside it for adverts outside it.

Usage: python tools/segment_units.py ADVERT_ID [ADVERT_ID ...] [--data PATH]
Prints JSON lines: {"advert_id", "unit", "start", "end", "text"}.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from leadlens.gold import read_adverts

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/nhs_jobs_2020/nhs_jobs_curated_sample.jsonl"
_BULLET = re.compile(r"^[\s•·\-\*–o]+(?=\S)")
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9•(\"'])")


def segment(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character offsets of the units of ``text``."""
    units: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        m = _BULLET.match(line)
        offset = m.end() if m and (m.group(0).strip() in {"•", "·", "-", "*", "–", "o"}) else 0
        body = line[offset:]
        cuts = [0] + [m.end() for m in _SENT_END.finditer(body)] + [len(body)]
        for a, b in zip(cuts, cuts[1:]):
            seg = body[a:b]
            if not seg.strip():
                continue
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            units.append((line_start + offset + a + lead, line_start + offset + a + trail))
    return units


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="+")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    adverts = read_adverts(args.data, set(args.ids), "the ids given")
    for advert_id in args.ids:
        text = adverts[advert_id]["description"]
        for i, (s, e) in enumerate(segment(text)):
            print(json.dumps({"advert_id": advert_id, "unit": i, "start": s, "end": e, "text": text[s:e]},
                             ensure_ascii=False))


if __name__ == "__main__":
    main()
