"""Fit ``interval_scale`` (weighted evidence per effective count) so that the 80% interval on the leadership
share covers the annotators' share about 80% of the time on the train-split gold posts.

Usage: python tools/fit_interval.py [--split train]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from leadlens import get_analyser
from leadlens.gold import default_data_file, read_adverts
from leadlens.scoring import share_interval

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold" / "posts.jsonl"


def main(split: str = "train") -> None:
    posts = [p for p in map(json.loads, GOLD.open(encoding="utf-8"))
             if p["split"] == split and p.get("leadership_share") is not None]
    adverts = read_adverts(default_data_file(), {p["advert_id"] for p in posts}, GOLD)
    analyser = get_analyser()
    sc = analyser.rules.scoring
    evidence = []
    for p in posts:
        rec = adverts[p["advert_id"]]
        s = analyser.analyse(rec["description"], title=rec["title"]).score
        if s.leadership + s.management > 0:
            evidence.append((s.leadership, s.management, p["leadership_share"] / 100))
    for scale in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        inside = 0
        for lead, man, gold in evidence:
            _, lo, hi = share_interval(lead, man, sc["interval_level"], sc["prior"], scale)
            inside += lo <= gold <= hi
        print(f"scale {scale:>4}: coverage {inside}/{len(evidence)} = {inside / len(evidence):.2f}")


if __name__ == "__main__":
    main(sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "train")
