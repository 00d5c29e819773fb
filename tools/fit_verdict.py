"""Fit the verdict settings (minimum evidence and share thresholds) on the gold posts of the train split.

Analyses every train-split advert of ``corpora/gold/posts.jsonl``, then searches a grid of
``min_evidence`` x ``leadership_at_least`` x ``management_at_most`` for the highest Cohen's kappa between
leadlens's verdict and the gold verdict (ties: the simpler, more central setting). Prints the best setting and
its agreement on the train and dev splits. The test split is never read. Write the result into
``src/leadlens/resources/scoring.json`` by hand, with the figures, after review.

Usage: python tools/fit_verdict.py
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from leadlens import get_analyser
from leadlens.evaluate import default_data_file
from leadlens.scoring import verdict

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold" / "posts.jsonl"


def main() -> None:
    posts = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    posts = [p for p in posts if p["split"] in ("train", "dev")]
    adverts = {}
    with default_data_file().open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            adverts[str(rec["id"])] = rec
    analyser = get_analyser()
    evidence = {}
    for p in posts:
        rec = adverts[p["advert_id"]]
        s = analyser.analyse(rec["description"], title=rec["title"]).score
        evidence[p["advert_id"]] = (s.leadership, s.management)
    grid = itertools.product([1, 2, 3, 4, 5, 6, 8, 10, 12, 15], [0.5, 0.55, 0.6, 0.65, 0.7],
                             [0.3, 0.35, 0.4, 0.45, 0.5])
    results = []
    for min_ev, lead_at, man_at in grid:
        if man_at >= lead_at:
            continue
        settings = {"min_evidence": min_ev, "leadership_at_least": lead_at, "management_at_most": man_at}
        kappas = {}
        for split in ("train", "dev"):
            gold, pred = [], []
            for p in posts:
                if p["split"] != split:
                    continue
                lead, man = evidence[p["advert_id"]]
                share = lead / (lead + man) if lead + man else 0.0
                gold.append(p["verdict"])
                pred.append(verdict(lead, man, share, settings))
            kappas[split] = cohen_kappa_score(gold, pred)
        results.append((round(kappas["train"], 4), -abs(lead_at + man_at - 1), settings, kappas))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for _, _, settings, kappas in results[:5]:
        print(f"train kappa {kappas['train']:.3f}  dev kappa {kappas['dev']:.3f}  {settings}")


if __name__ == "__main__":
    main()
