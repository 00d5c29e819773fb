"""Helpers of the report tests (a module of its own so test files and conftest can both import it).

The fixtures in conftest.py build small output folders written by the real scorer, then reported on.

``batch_out`` runs :func:`leadlens.batch.score` with the shipped rules (whose lexicon may still be partial) on
a few sample adverts, a posting titled ``<script>alert(1)</script>`` and an unreadable file. ``lexicon_out``
scores the same inputs plus a CSV with band and employer columns with a small fixed lexicon
(``data/lexicon.jsonl``), so spans, exclusions and breakdowns are there whatever the shipped lexicon holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "adverts"
DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS = ROOT / "test-artifacts"
SCRIPT_TITLE = "<script>alert(1)</script>"
PICKED = ["01-head-of-patient-flow.txt", "05-clinical-coding-team-leader.txt",
          "11-director-of-transformation-and-partnerships.txt", "18-ward-manager-acute-medical-unit.txt",
          "26-staff-nurse-day-surgery.txt", "34-head-of-clinical-services.txt"]
XSS_TEXT = (f"{SCRIPT_TITLE}\n\nMain duties of the job\n\n"
            "- Manage the budget <b>and</b> the rota & audit results.\n"
            "- Set the vision for the team; coach and empower staff to redesign the service.\n"
            "- Maintain standards <img src=x onerror=alert(2)> and follow the policy.\n")


def make_inputs(folder: Path) -> Path:
    """A folder of inputs: sample adverts, the markup-titled posting, a formula-titled one, an empty file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in PICKED:
        shutil.copy(SAMPLE / name, folder / name)
    (folder / "zz-markup-title.txt").write_text(XSS_TEXT, encoding="utf-8")
    (folder / "zz-formula-title.txt").write_text("=HYPERLINK(\"http://example.invalid\",\"x\")\n\n"
                                                  "Main duties\n\n- Manage the budget and the rota.\n",
                                                  encoding="utf-8")
    (folder / "zz-empty.txt").write_text("", encoding="utf-8")
    return folder


def score_with(analyser, paths: list[Path], out: Path) -> Path:
    """Score ``paths`` with ``analyser`` (custom rules) and write the output contract, as ``leadlens score``
    would, through :class:`leadlens.batch.Results`."""
    import pandas as pd

    from leadlens.analysis import MATCH_COLUMNS
    from leadlens.batch import DOC_COLUMNS, SENT_COLUMNS, Results, error_row
    from leadlens.ingest import iter_postings

    docs, sents, matches = [], [], []
    for p in iter_postings(paths, text_field="description", title_field="job_title", id_field="id"):
        if not p.ok:
            docs.append(error_row(p))
            continue
        r = analyser.analyse(p.text, title=p.title, doc_id=p.doc_id, source=p.source, meta=p.meta)
        docs.append({**r.document_row(), "duplicate_of": ""})
        sents.extend(r.sentence_rows())
        matches.extend(r.match_rows())
    documents = pd.DataFrame(docs)
    documents = documents.reindex(columns=DOC_COLUMNS + [c for c in documents.columns if c not in DOC_COLUMNS])
    documents["error"] = documents["error"].fillna("")
    run = {"leadlens": "test", "model": analyser.model, "lexicon_hash": analyser.rules.digest,
           "rules": analyser.rules.summary(), "scoring": analyser.rules.scoring,
           "inputs": [str(p) for p in paths]}
    Results(documents, pd.DataFrame(sents, columns=SENT_COLUMNS), pd.DataFrame(matches, columns=MATCH_COLUMNS),
            run).write(out)
    return out


def synthetic_output(folder: Path, n_docs: int, sentences_per_doc: int = 12, matches_per_doc: int = 8,
                     seed: int = 0) -> Path:
    """A large output folder made up of random rows in the shape of the output contract (for size tests)."""
    import json

    import numpy as np
    import pandas as pd

    from leadlens.analysis import MATCH_COLUMNS
    from leadlens.batch import DOC_COLUMNS, SENT_COLUMNS, Results
    from leadlens.report.tables import axes

    rng = np.random.default_rng(seed)
    names = list(axes())
    titles = np.array(["Head of Estates", "Team Leader", "Ward Manager", "Staff Nurse", "Director of Finance",
                       "Matron", "Lead Pharmacist", "Healthcare Assistant"])
    kinds = {"Head of Estates": "leader", "Team Leader": "leader", "Ward Manager": "manager",
             "Staff Nurse": "other", "Director of Finance": "leader", "Matron": "manager",
             "Lead Pharmacist": "leader", "Healthcare Assistant": "other"}
    ids = [f"job-{i:06d}.txt" for i in range(n_docs)]
    t = titles[rng.integers(0, len(titles), n_docs)]
    lead, man = rng.gamma(1.5, 2.0, n_docs).round(2), rng.gamma(2.0, 2.0, n_docs).round(2)
    share = lead / (lead + man)
    verdict = np.where(lead + man < 2, "insufficient", np.where(share >= .6, "leadership",
                                                                 np.where(share <= .4, "management", "mixed")))
    kind = [kinds[x] for x in t]
    docs = pd.DataFrame({"doc_id": ids, "source": [f"/data/{i}" for i in ids], "title": t, "title_kind": kind,
                         "words": rng.integers(100, 900, n_docs), "leadership": lead, "management": man,
                         "leadership_share": share.round(4), "share_low": (share * .7).round(4),
                         "share_high": np.minimum(1, share * 1.3).round(4), "verdict": verdict,
                         "leader_in_name_only": [k == "leader" and v == "management" for k, v in zip(kind, verdict)],
                         "error": ""})
    for a in names:
        docs[f"L_{a}"] = (lead / len(names)).round(3)
        docs[f"M_{a}"] = (man / len(names)).round(3)
    docs["duplicate_of"] = ""
    docs["band"] = rng.choice(["2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "9"], n_docs)
    docs["employer"] = [f"Trust {k}" for k in rng.integers(0, 200, n_docs)]
    docs = docs.reindex(columns=DOC_COLUMNS + ["band", "employer"])
    sentence = "You will manage the budget and set the vision for the service."
    sents = pd.DataFrame({"doc_id": np.repeat(ids, sentences_per_doc),
                          "sent_id": np.tile(np.arange(sentences_per_doc), n_docs)})
    sents["start"] = sents["sent_id"] * (len(sentence) + 1)
    sents["end"] = sents["start"] + len(sentence)
    sents["section"], sents["pole"], sents["leadership"], sents["management"] = "duties", "M", 1.0, 1.0
    sents["text"] = sentence
    k = n_docs * matches_per_doc
    sid = rng.integers(0, sentences_per_doc, k)
    which = rng.integers(0, 2, k)
    base = sid * (len(sentence) + 1)
    start = np.where(which == 0, base + sentence.index("budget"), base + sentence.index("vision"))
    matches = pd.DataFrame({"doc_id": np.repeat(ids, matches_per_doc), "sent_id": sid, "start": start,
                            "end": start + 6, "text": np.where(which == 0, "budget", "vision"),
                            "lemma": np.where(which == 0, "budget", "vision"),
                            "axis": np.where(which == 0, "power", "guidance"),
                            "pole": np.where(which == 0, "M", "L"),
                            "rule_id": np.where(which == 0, "control.budget", "vision.vision"),
                            "section": "duties", "negated": False, "hypothetical": False, "agent": "post_holder",
                            "weight": 1.0, "status": rng.choice(["counted", "counted", "negated"], k)})
    matches = matches.reindex(columns=MATCH_COLUMNS)
    run = {"leadlens": "synthetic", "model": "none", "lexicon_hash": "0" * 64}
    Results(docs, sents.reindex(columns=SENT_COLUMNS), matches, run).write(folder)
    (folder / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return folder
