"""Merge the annotators' files into the adjudicated gold sets ``units.jsonl.gz`` and ``posts.jsonl``.

Units labelled by one annotator keep that label; units labelled by two keep the label they agree on, and
disagreements take the label in ``adjudication.jsonl`` (every disagreement must have one). Posts likewise, with
``post_adjudication.jsonl``; a post's share is the mean of its annotators' shares. Every advert gets a fixed
split: ``dev`` for the 25 adverts of the first round (annotators A and B), which the developers have read while
building the rules; ``train`` or ``test`` for the others, by a hash of the advert id (one third test). Prints
Cohen's kappa on the doubly labelled units and posts. Then the review of the units in the scope of CONVENTIONS 5,
whose reading was revised in the fifth session, is applied (:func:`revise_c5`), its second pass last.

The unit set is written gzip-compressed (it is large, and derived: review the annotators' files and the
adjudications, not it), without a timestamp, so the same labels always give the same bytes.

Usage: python tools/merge_gold.py
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from leadlens.evaluate import read_jsonl as read

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold"


UNITS = GOLD / "units.jsonl.gz"


def write_units(rows: list[dict], path: Path = UNITS) -> None:
    """``rows`` as gzip-compressed JSON lines, byte-for-byte reproducible (no file name or time in the header)."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text)
    path.write_bytes(buf.getvalue())


DEV_ANNOTATORS = {"A", "B"}


def split_of(advert_id: str, annotators: set[str]) -> str:
    """dev for the first round's adverts; otherwise a third of the adverts test, the rest train, by hash."""
    if annotators & DEV_ANNOTATORS:
        return "dev"
    return "test" if int(hashlib.sha1(advert_id.encode()).hexdigest(), 16) % 3 == 0 else "train"


def merge_posts() -> None:
    merged: dict[str, dict] = {}
    pairs: list[tuple[str, str]] = []
    adjudicated = {a["advert_id"]: a for a in read(GOLD / "post_adjudication.jsonl")} \
        if (GOLD / "post_adjudication.jsonl").exists() else {}
    for path in sorted(GOLD.glob("posts_*.jsonl")):
        for p in read(path):
            aid = p["advert_id"]
            if aid not in merged:
                merged[aid] = {**p, "annotators": [p["annotator"]], "shares": [p.get("leadership_share")]}
                continue
            first = merged[aid]
            pairs.append((first["verdict"], p["verdict"]))
            first["annotators"].append(p["annotator"])
            first["shares"].append(p.get("leadership_share"))
            if first["verdict"] != p["verdict"]:
                if aid not in adjudicated:
                    raise SystemExit(f"no post adjudication for {aid}: {first['verdict']} vs {p['verdict']}")
                first["verdict"] = adjudicated[aid]["verdict"]
                first["note"] = "adjudicated: " + adjudicated[aid]["reason"]
    revise_c5_posts(merged)
    units_by_advert: dict[str, set[str]] = {}
    for u in read(UNITS):
        units_by_advert.setdefault(u["advert_id"], set()).update(u["annotators"].split("+"))
    with (GOLD / "posts.jsonl").open("w", encoding="utf-8") as fh:
        for aid in sorted(merged):
            p = merged[aid]
            shares = [x for x in p["shares"] if x is not None]
            ann = set(p["annotators"]) | units_by_advert.get(aid, set())
            row = {"advert_id": aid, "title": p.get("title", ""), "verdict": p["verdict"],
                   "leadership_share": round(sum(shares) / len(shares), 1) if shares else None,
                   "annotators": "+".join(p["annotators"]), "split": split_of(aid, ann),
                   "note": p.get("note", "")}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    a, b = zip(*pairs) if pairs else ((), ())
    print(f"{len(merged)} posts; {len(pairs)} doubly labelled, verdict kappa={cohen_kappa_score(a, b):.3f}, "
          f"disagreements={sum(x != y for x, y in pairs)}")


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
    revise_c5(merged)
    out = UNITS
    ann_by_advert: dict[str, set[str]] = {}
    for (aid, _, _), u in merged.items():
        ann_by_advert.setdefault(aid, set()).update(u["annotators"])
    rows = []
    for key in sorted(merged, key=lambda k: (k[0], k[1])):
        u = merged[key]
        rows.append({"advert_id": u["advert_id"], "start": u["start"], "end": u["end"], "label": u["label"],
                     "axis": u.get("axis"), "annotators": "+".join(u["annotators"]),
                     "split": split_of(u["advert_id"], ann_by_advert[u["advert_id"]]), "note": u.get("note", "")})
    write_units(rows, out)
    a, b = zip(*pairs) if pairs else ((), ())
    print(f"{len(merged)} units written to {out}; {len(pairs)} doubly labelled, "
          f"kappa={cohen_kappa_score(a, b):.3f}, disagreements={sum(x != y for x, y in pairs)}", flush=True)
    merge_posts()


def revise_c5_posts(merged: dict[str, dict]) -> None:
    """Apply the review of the post verdicts of adverts whose units CONVENTIONS 5's revision changed
    (``post_revision_c5_<code>.jsonl``): the reviewed verdict and share replace the first ones. Posts reviewed twice
    keep the verdict the reviewers agree on; disagreements take ``post_revision_c5_adjudication.jsonl``."""
    reviews: dict[str, list[dict]] = {}
    for path in sorted(GOLD.glob("post_revision_c5_*.jsonl")):
        if path.name == "post_revision_c5_adjudication.jsonl":
            continue
        for r in read(path):
            reviews.setdefault(r["advert_id"], []).append(r)
    if not reviews:
        return
    adj_file = GOLD / "post_revision_c5_adjudication.jsonl"
    adjudicated = {a["advert_id"]: a for a in read(adj_file)} if adj_file.exists() else {}
    pairs, changed = [], {}
    for aid, rs in reviews.items():
        if aid not in merged:
            raise SystemExit(f"post_revision_c5 reviews a post that is not in the gold: {aid}")
        if len(rs) > 2:
            raise SystemExit(f"post_revision_c5: {aid} reviewed {len(rs)} times")
        verdicts = [r["verdict"] for r in rs]
        if len(rs) == 2:
            pairs.append((verdicts[0], verdicts[1]))
        if len(set(verdicts)) > 1:
            if aid not in adjudicated:
                raise SystemExit(f"no post_revision_c5 adjudication for {aid}: {verdicts[0]} vs {verdicts[1]}")
            verdict, why = adjudicated[aid]["verdict"], "adjudicated: " + adjudicated[aid]["reason"]
        else:
            verdict, why = verdicts[0], rs[0]["note"]
        p = merged[aid]
        before = p["verdict"]
        if verdict != before:
            changed[(before, verdict)] = changed.get((before, verdict), 0) + 1
        p["verdict"] = verdict
        p["shares"] = [r.get("leadership_share") for r in rs]
        p["note"] = (f"verdict reviewed after CONVENTIONS 5's revision ({'+'.join(r['annotator'] for r in rs)}; was "
                     f"{before}): {why}")
    a, b = zip(*pairs) if pairs else ((), ())
    k = f"{cohen_kappa_score(a, b):.3f}" if pairs and len(set(a) | set(b)) > 1 else "n/a"
    print(f"post_revision_c5: {len(reviews)} posts reviewed, {len(pairs)} twice (verdict kappa {k}, disagreements "
          f"{sum(x != y for x, y in pairs)}); verdicts changed: "
          + ", ".join(f"{x}->{y} {n}" for (x, y), n in sorted(changed.items())), flush=True)


SECOND_PASS = "revision_c5_second_"


def revise_c5(merged: dict[tuple, dict]) -> None:
    """Apply the review of CONVENTIONS 5's units (fifth session; ``revision_c5_<code>.jsonl``): a unit the reviewers
    put in the convention's scope takes the reviewed label; units out of scope keep theirs. Units reviewed twice
    keep what the reviewers agree on, disagreements (on scope or label) take ``revision_c5_adjudication.jsonl``.
    A second pass (``revision_c5_second_<code>.jsonl``: units reviewed again after the convention was made more
    precise) supersedes the first pass for the units it holds."""
    reviews: dict[tuple, list[dict]] = {}
    second: dict[tuple, dict] = {}
    for path in sorted(GOLD.glob("revision_c5_*.jsonl")):
        if path.name == "revision_c5_adjudication.jsonl":
            continue
        for r in read(path):
            key = (r["advert_id"], r["start"], r["end"])
            if path.name.startswith(SECOND_PASS):
                if key in second:
                    raise SystemExit(f"{path.name}: {key} is in the second pass twice")
                second[key] = r
            else:
                reviews.setdefault(key, []).append(r)
    if not reviews:
        return
    adjudicated = {(a["advert_id"], a["start"], a["end"]): a for a in read(GOLD / "revision_c5_adjudication.jsonl")} \
        if (GOLD / "revision_c5_adjudication.jsonl").exists() else {}
    pairs, changed, by_second = [], {}, 0
    for key, rs in reviews.items():
        if key not in merged:
            raise SystemExit(f"revision_c5 reviews a unit that is not in the gold: {key}")
        if len(rs) > 2:
            raise SystemExit(f"revision_c5: {key} reviewed {len(rs)} times in the first pass")
        who = "+".join(r["reviewer"] for r in rs)
        if len(rs) == 2:
            a, b = ((r["label"] if r["scope"] else "out") for r in rs)
            pairs.append((a, b))
            if a != b:
                if key not in adjudicated:
                    raise SystemExit(f"no revision_c5 adjudication for {key}: {a} vs {b}")
                adj = adjudicated[key]
                scope, label, why = adj["scope"], adj["label"], "adjudicated: " + adj["reason"]
            else:
                scope, label, why = rs[0]["scope"], rs[0]["label"], rs[0]["note"]
        else:
            scope, label, why = rs[0]["scope"], rs[0]["label"], rs[0]["note"]
        if key in second:
            r2 = second[key]
            scope, label, why, who = r2["scope"], r2["label"], r2["note"], f"{who}, then {r2['reviewer']}"
            by_second += 1
        if not scope:
            continue
        if label not in ("L", "M", "N"):
            raise SystemExit(f"revision_c5: {key} in scope with label {label!r}")
        u = merged[key]
        before = u["label"]
        if label != before:
            changed[(before, label)] = changed.get((before, label), 0) + 1
            u["axis"] = None
        u["label"] = label
        u["note"] = f"CONVENTIONS 5 as revised in the fifth session ({who}; was {before}): {why}"
    missing = set(second) - set(reviews)
    if missing:
        raise SystemExit(f"revision_c5: the second pass holds units the first did not review: {sorted(missing)[:3]}")
    a, b = zip(*pairs) if pairs else ((), ())
    print(f"revision_c5: {len(reviews)} units reviewed, {len(pairs)} twice (scope and label kappa "
          f"{cohen_kappa_score(a, b):.3f}, disagreements {sum(x != y for x, y in pairs)}), {by_second} again in a "
          f"second pass; labels changed: " + ", ".join(f"{x}->{y} {n}" for (x, y), n in sorted(changed.items())),
          flush=True)


if __name__ == "__main__":
    main()
