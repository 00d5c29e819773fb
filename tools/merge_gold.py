"""Merge the annotators' unit files into the adjudicated gold set ``corpora/gold/units.jsonl``.

Units labelled by one annotator keep that label; units labelled by two keep the label they agree on, and
disagreements take the label in ``adjudication.jsonl`` (every disagreement must have one). Prints Cohen's
kappa on the doubly labelled units.

Usage: python tools/merge_gold.py
"""

from __future__ import annotations

import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold"


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main() -> None:
    merged: dict[tuple, dict] = {}
    pairs: list[tuple[str, str]] = []
    adjudicated = {(a["advert_id"], a["start"], a["end"]): a for a in read(GOLD / "adjudication.jsonl")}
    for path in sorted(GOLD.glob("units_*.jsonl")):
        for u in read(path):
            key = (u["advert_id"], u["start"], u["end"])
            if key not in merged:
                merged[key] = {**u, "annotators": [u["annotator"]]}
                continue
            first = merged[key]
            pairs.append((first["label"], u["label"]))
            first["annotators"].append(u["annotator"])
            if first["label"] != u["label"]:
                if key not in adjudicated:
                    raise SystemExit(f"no adjudication for disagreement {key}: {first['label']} vs {u['label']}")
                first["label"] = adjudicated[key]["label"]
                first["note"] = "adjudicated: " + adjudicated[key]["reason"]
    out = GOLD / "units.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for key in sorted(merged, key=lambda k: (k[0], k[1])):
            u = merged[key]
            row = {"advert_id": u["advert_id"], "start": u["start"], "end": u["end"], "label": u["label"],
                   "axis": u.get("axis"), "annotators": "+".join(u["annotators"]), "note": u.get("note", "")}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    a, b = zip(*pairs) if pairs else ((), ())
    print(f"{len(merged)} units written to {out}; {len(pairs)} doubly labelled, "
          f"kappa={cohen_kappa_score(a, b):.3f}, disagreements={sum(x != y for x, y in pairs)}")


if __name__ == "__main__":
    main()
