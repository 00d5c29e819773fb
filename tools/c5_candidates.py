"""List the gold units that CONVENTIONS 5 (vacancy announcements, opportunities, "we are looking for", questions
to the reader) may govern, for a blind review under the convention's revised reading.

A unit is a candidate when its text announces the vacancy, offers an opportunity, says who is sought or asks the
reader a question. The reviewers, not this filter, decide whether the convention applies and what the label is;
the filter only keeps the review to the units where it can: a cue, and a word of a duty that could be on a pole.

Usage: python tools/c5_candidates.py OUT.json [--data NHS_JOBS_SAMPLE]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from leadlens.evaluate import read_jsonl
from leadlens.gold import default_data_file, read_adverts

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold"
CUES = re.compile(
    r"\b(opportunit(?:y|ies)|chance to|looking for|looking to recruit|seeking|we (?:want|need|require)|"
    r"(?:post|role|position|vacancy) (?:has|have) (?:arisen|become available)|has arisen|"
    r"(?:are|do|would|could|have|can|will) you\b[^.?]*\?|join (?:us|our)|wish to recruit|"
    r"invite applications|applications are invited|we are recruiting|recruit(?:ing)? an?\b)",
    re.IGNORECASE)
DUTY = re.compile(
    r"\b(lead|leading|led|leader|leadership|manag\w*|develop\w*|oversee\w*|oversight|deliver\w*|ensur\w*|run|running|"
    r"shap\w*|driv\w*|improv\w*|transform\w*|innovat\w*|chang\w*|coordinat\w*|co-ordinat\w*|supervis\w*|"
    r"responsib\w*|plan\w*|strateg\w*|vision\w*|audit\w*|monitor\w*|polic\w*|procedur\w*|budget\w*|train\w*|"
    r"teach\w*|mentor\w*|coach\w*|inspir\w*|motivat\w*|empower\w*|direct\w*|head|organis\w*|organiz\w*|govern\w*|"
    r"complian\w*|standard\w*|redesign\w*|moderni\w*|influenc\w*|champion\w*|implement\w*|establish\w*|set up|"
    r"build\w*|grow\w*|expand\w*|pioneer\w*|futur\w*|long[- ]term|risk\w*|quality|performance|delegat\w*|"
    r"instruct\w*|advis\w*|control\w*|schedul\w*|rota\w*|allocat\w*|staff\w*|resourc\w*)\b",
    re.IGNORECASE)
"""Words of a duty that may sit on either pole; a cue without one cannot change the unit's label."""
NOT_A_CUE = re.compile(r"equal opportunit", re.IGNORECASE)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    units = read_jsonl(GOLD / "units.jsonl.gz")
    data = args.data or default_data_file()
    adverts = read_adverts(data, {u["advert_id"] for u in units})
    out = []
    for u in units:
        rec = adverts[u["advert_id"]]
        text = rec["description"][u["start"]:u["end"]]
        cued = CUES.search(text) or text.rstrip().endswith("?")
        if cued and DUTY.search(text) and not NOT_A_CUE.search(text):
            out.append({"advert_id": u["advert_id"], "start": u["start"], "end": u["end"], "title": rec["title"],
                        "text": text})
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(out)} candidate units of {len(units)} written to {args.out}")


if __name__ == "__main__":
    main()
