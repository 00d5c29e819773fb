"""Fit the verdict settings (minimum evidence and share thresholds) on the gold posts of the train split.

Analyses every train-split advert of ``corpora/gold/posts.jsonl`` with the rules alone, then searches a grid of
``min_evidence`` x ``leadership_at_least`` x ``management_at_most`` for the highest Cohen's kappa between
leadlens's verdict and the gold verdict (:func:`leadlens.model.verdict.fit_verdict`; ties: the more central
thresholds, then less evidence). The settings used with the sentence model are fitted by ``leadlens train``.
Prints the best setting and its agreement on the train and dev splits. The test split is never read. Write the
result into ``src/leadlens/resources/scoring.json`` by hand, with the figures, after review.

Usage: python tools/fit_verdict.py
"""

from __future__ import annotations

import json
from pathlib import Path

from leadlens import get_analyser
from leadlens.gold import default_data_file, read_adverts
from leadlens.model.verdict import fit_verdict, summary

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold" / "posts.jsonl"


def main() -> None:
    posts = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    posts = [p for p in posts if p["split"] in ("train", "dev")]
    wanted = {p["advert_id"] for p in posts}
    adverts = read_adverts(default_data_file(), wanted, GOLD)
    analyser = get_analyser()
    evidence = {}
    for p in posts:
        rec = adverts[p["advert_id"]]
        s = analyser.analyse(rec["description"], title=rec["title"]).score
        evidence[p["advert_id"]] = (s.leadership, s.management)
    train = [p for p in posts if p["split"] == "train"]
    dev = [p for p in posts if p["split"] == "dev"]
    settings, k = fit_verdict([p["verdict"] for p in train], [evidence[p["advert_id"]] for p in train])
    print(f"fitted on {len(train)} train posts: {settings} (train kappa {k:.3f})")
    for name, group in (("train", train), ("dev", dev)):
        gold = [p["verdict"] for p in group]
        print(f"  {name}: {summary(gold, [evidence[p['advert_id']] for p in group], settings)}")
    current = analyser.rules.scoring["verdict"]
    print(f"current scoring.json {current}: dev "
          f"{summary([p['verdict'] for p in dev], [evidence[p['advert_id']] for p in dev], current)}")


if __name__ == "__main__":
    main()
