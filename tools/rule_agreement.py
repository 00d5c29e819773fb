"""How often each lexicon rule's counted matches agree with the gold label of the unit they fall in.

Analyses every advert of the chosen gold splits with the rules alone (in context, as ``leadlens evaluate`` does) and,
for each lexicon rule, counts its counted matches (status ``counted``) inside gold units by the unit's label: a
match agrees when the unit is labelled with the rule's pole. The rules with the most disagreeing matches come
first; these are where a sense exclusion, a context rule or a narrower pattern is most likely to pay (the tenth
session's round on the train units started from this table). A disagreeing match does not always decide its unit:
another cue may outweigh it. ``--examples`` prints, for the listed rules, the units where the rule disagreed and
the rules' decision was wrong.

The test split is refused: it is never read for rule work (``corpora/gold/README.md``).

Usage: python tools/rule_agreement.py [--splits train,dev] [--top 40] [--min-n 10] [--examples RULE_ID ...]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from leadlens import get_analyser
from leadlens.evaluate import load_adverts, read_jsonl
from leadlens.gold import default_data_file
from leadlens.scoring import pole_settings

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold" / "units.jsonl.gz"


def agreement(units: list[dict], adverts: dict[str, dict]) -> tuple[dict[tuple[str, str], Counter], dict]:
    """Per (rule id, pole): a Counter of ``agree`` and ``gold_<label>`` over the counted matches inside gold units;
    and per rule, the disagreeing units whose rules-alone decision is wrong, as (label, decision, text)."""
    analyser = get_analyser()
    settings = pole_settings(analyser.rules.scoring)
    by_advert: dict[str, list[dict]] = defaultdict(list)
    for u in units:
        by_advert[u["advert_id"]].append(u)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    wrong: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for aid, group in by_advert.items():
        rec = adverts[aid]
        result = analyser.analyse(rec["description"], title=rec["title"], doc_id=aid)
        for u in group:
            inside = [m for m in result.matches if m.status == "counted" and u["start"] <= m.start < u["end"]]
            if not inside:
                continue
            decision = result.pole_between(u["start"], u["end"], *settings)
            for m in inside:
                agrees = m.pole == u["label"]
                counts[(m.rule_id, m.pole)]["agree" if agrees else f"gold_{u['label']}"] += 1
                if not agrees and decision != u["label"]:
                    text = rec["description"][u["start"]:u["end"]]
                    wrong[m.rule_id].append((u["label"], decision, " ".join(text.split())))
    return counts, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--splits", default="train,dev", help="comma-separated gold splits (not test)")
    ap.add_argument("--top", type=int, default=40, help="rows of the table")
    ap.add_argument("--min-n", type=int, default=10, help="leave out rules with fewer counted matches")
    ap.add_argument("--examples", nargs="*", default=[], metavar="RULE_ID", help="print wrong units for these rules")
    ap.add_argument("--data", type=Path, default=None, help="the NHS Jobs 2020 curated sample (default: shared data)")
    args = ap.parse_args(argv)
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if "test" in splits:
        print("error: the test split is never read for rule work; use train and dev", file=sys.stderr)
        return 2
    data = args.data or default_data_file()
    if data is None or not data.exists():
        print("error: the shared NHS Jobs 2020 data were not found; pass --data or set LEADLENS_SHARED_DATA",
              file=sys.stderr)
        return 2
    units = [u for u in read_jsonl(GOLD) if u.get("split") in splits]
    adverts = load_adverts(data, {u["advert_id"] for u in units}, GOLD)
    counts, wrong = agreement(units, adverts)
    rows = [(rid, pole, c) for (rid, pole), c in counts.items() if sum(c.values()) >= args.min_n]
    rows.sort(key=lambda r: (-(sum(r[2].values()) - r[2]["agree"]), r[0]))
    print(f"{len(units)} units of {len(adverts)} adverts ({'+'.join(splits)}); rules alone")
    print(f"{'rule':48} pole {'n':>6} {'agree':>6} {'share':>6} {'gold N':>7} {'gold L':>7} {'gold M':>7}")
    for rid, pole, c in rows[:args.top]:
        n = sum(c.values())
        print(f"{rid:48} {pole:4} {n:6d} {c['agree']:6d} {c['agree'] / n:6.2f} {c['gold_N']:7d} {c['gold_L']:7d} "
              f"{c['gold_M']:7d}")
    for rid in args.examples:
        print(f"\n{rid}: units where it disagreed and the rules' decision was wrong (gold -> rules)")
        for label, decision, text in wrong.get(rid, [])[:25]:
            print(f"  {label} -> {decision}: {text[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
