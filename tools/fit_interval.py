"""Fit ``interval_scale`` (weighted evidence per effective count) so that the 80% interval on the leadership
share covers the annotators' share about 80% of the time on the train-split gold posts, with the rules alone
(:func:`leadlens.model.interval.fit_interval_scale`; ``leadlens train`` fits the model's own scale).

Usage: python tools/fit_interval.py [--split train]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from leadlens import get_analyser
from leadlens.gold import default_data_file, read_adverts
from leadlens.model.interval import fit_interval_scale

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
    fitted = fit_interval_scale(evidence, sc["interval_level"], sc["prior"])
    for scale, cov in fitted["table"]:
        print(f"scale {scale:>4g}: coverage {cov:.2f} of {fitted['n']}")
    print(f"smallest scale reaching {sc['interval_level']:.0%}: {fitted['scale']:g} ({fitted['coverage']:.2f})")


if __name__ == "__main__":
    main(sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "train")
