"""Write docs/EVALUATION.md: leadlens against every gold set, split by split, with the rules alone and with the
rules and the sentence model (what ``leadlens score`` does by default).

The test split and the held-out crafted sentences (``corpora/gold/heldout/``) are reported here and in the model
card only; no choice of rules, weights, thresholds or model settings was made on them.
Usage: python tools/make_evaluation_doc.py
"""

from __future__ import annotations

import datetime
import json
import subprocess
import warnings
from pathlib import Path
from typing import Any

from leadlens import __version__, get_analyser
from leadlens.evaluate import evaluate, evaluation_markdown, metrics
from leadlens.gold import TRAINING_SENTENCES, default_data_file
from leadlens.model.verdict import kappa
from leadlens.model.apply import default_model_dir, load_model

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "gold"
SETS = [  # (file, label, what it was used for)
    ("contrast.jsonl", "crafted sentences A", "written with the rules; rule development; model training"),
    ("contrast_b.jsonl", "crafted sentences B", "written blind by a second annotator; scored once (0.794, rules), "
                                                "then rule development and model training"),
    ("contrast_d.jsonl", "crafted sentences D", "written blind by two more annotators; scored once (0.871, rules; "
                                                "0.885 with the model), then rule development and model training"),
    ("contrast_e.jsonl", "crafted sentences E", "written blind by two more annotators; scored once (0.865, rules and "
                                                "model), then rule development and model training"),
    ("contrast_f.jsonl", "crafted sentences F", "written blind by two more annotators in the third session; scored "
                                                "once (0.924, rules and model), then rule development and model "
                                                "training"),
    ("contrast_h.jsonl", "crafted sentences H", "written blind by two more annotators in the fifth session; scored "
                                                "once (0.946, rules; 0.933 with the model of the fourth session), "
                                                "used to check the crafted sentences' weight, then model training "
                                                "(never read for rules)"),
    ("contrast_i.jsonl", "crafted sentences I", "written blind by two more annotators in the eighth session; scored "
                                                "once (0.917, rules; 0.906 with the model of the seventh session, "
                                                "0.926 with its text classifier at weight 0 or 0.3), used to set that "
                                                "weight, then rule development and model training"),
    ("contrast_j.jsonl", "crafted sentences J", "written blind by two more annotators at the end of the eighth "
                                                "session, asked for hard cases; scored once (0.794, rules; 0.880 with "
                                                "the model of the eighth session), then rule development (ninth "
                                                "session) and model training"),
    ("contrast_l.jsonl", "crafted sentences L", "written blind by two more annotators in the tenth session, asked "
                                                "for realistic hard cases at the N/M and L/M boundaries; scored once "
                                                "(0.880, rules; 0.905 with the model of the ninth session), then rule "
                                                "development (tenth session) and model training"),
    ("contrast_m.jsonl", "crafted sentences M", "written blind by two more annotators in the eleventh session, asked "
                                                "for realistic hard cases on new services; scored once (0.871, rules; "
                                                "0.920 with the model of the tenth session), then rule development "
                                                "(eleventh session) and model training"),
    ("contrast_r.jsonl", "crafted sentences R", "written blind by two more annotators in the twelfth session, asked "
                                                "for realistic hard cases on services the earlier sets had not used; "
                                                "scored once (0.890, rules; 0.899 with the model of the eleventh "
                                                "session), then rule development (twelfth session) and model "
                                                "training"),
    ("heldout/contrast_c.jsonl", "crafted sentences C (held out)", "written blind by a third annotator; used for "
                                                                   "nothing but these figures"),
    ("heldout/contrast_g.jsonl", "crafted sentences G (held out)", "written blind by two annotators at the end of "
                                                                   "the third session, after the last rule round; "
                                                                   "used for nothing but these figures"),
    ("heldout/contrast_k.jsonl", "crafted sentences K (held out)", "written blind by two annotators in the ninth "
                                                                   "session, asked for realistic hard cases; scored "
                                                                   "on arrival (0.910, rules; 0.935 with the model "
                                                                   "of the eighth session); used for nothing but "
                                                                   "these figures"),
    ("heldout/contrast_p.jsonl", "crafted sentences P (held out)", "written blind by two annotators in the tenth "
                                                                   "session, asked for realistic hard cases; scored "
                                                                   "on arrival with the first of that session's two "
                                                                   "models (0.865, rules; 0.896 with the model); "
                                                                   "used for nothing but these figures"),
    ("heldout/contrast_q.jsonl", "crafted sentences Q (held out)", "written blind by two annotators in the eleventh "
                                                                   "session, asked for realistic hard cases; scored "
                                                                   "on arrival with the tenth session's model "
                                                                   "(0.880, rules; 0.916 with the model); used for "
                                                                   "nothing but these figures"),
]


def _row(label: str, n: int, rules: float, model: float | None, use: str, metric: str = "macro-F1") -> str:
    m = "" if model is None else f"{model:.3f}"
    return f"| {label} | {n} | {metric} | {rules:.3f} | {m} | {use} |"


def main() -> None:
    described = tuple(f for f, _, _ in SETS if not f.startswith("heldout/"))
    if described != TRAINING_SENTENCES:  # the table says which sets trained the model: keep it true
        raise SystemExit(f"SETS describes {described}, but leadlens train uses {TRAINING_SENTENCES}")
    analyser = get_analyser()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a model trained on other rules must not be reported
        model = load_model(default_model_dir(), analyser=analyser)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "unknown"
    systems = {"rules": None, "rules + sentence model": model}
    summary = ["| set | n | measure | rules alone | rules + model | used for |", "|---|---|---|---|---|---|"]
    details: list[str] = []
    for file, label, use in SETS:
        path = GOLD / file
        if not path.is_file():
            continue
        res = {name: evaluate(path, analyser, sentence_model=m)["contrast"][0] for name, m in systems.items()}
        summary.append(_row(label, res["rules"].n, res["rules"].macro_f1, res["rules + sentence model"].macro_f1,
                            use))
        for name, sc in res.items():
            details += [f"## {label}, {name}", "", _body({"contrast": sc.as_dict()}), ""]
    notes = {"dev": "read while writing the rules; model check",
             "train": "error analysis; fitted settings; **model training (in-sample for the model)**",
             "test": "used for nothing but these figures"}
    posts_rows = []
    sample = _sample_ids()
    for split in ("dev", "train", "test"):
        res = {name: evaluate(GOLD, analyser, splits=(split,), sentence_model=m) for name, m in systems.items()}
        units = {name: r["units"][0] for name, r in res.items()}
        posts = {name: r["posts"][0] for name, r in res.items()}
        summary.append(_row(f"real units, {split}", units["rules"].n, units["rules"].macro_f1,
                            units["rules + sentence model"].macro_f1, notes[split]))
        posts_rows.append(_row(f"post verdicts, {split}", posts["rules"].n, posts["rules"].kappa,
                               posts["rules + sentence model"].kappa, notes[split], "kappa"))
        if split == "test":  # the curated sample's test adverts (the test split of earlier sessions) and the rest
            parts = (("curated-sample adverts", True),
                     ("adverts from the whole file, fourth and fifth sessions", False))
            for part, keep in parts:
                u = {name: r["units"][1][r["units"][1]["advert_id"].isin(sample) == keep] for name, r in res.items()}
                q = {name: r["posts"][1][r["posts"][1]["advert_id"].isin(sample) == keep] for name, r in res.items()}
                f1 = {name: metrics("units", list(t["label"]), list(t["pred"])).macro_f1 for name, t in u.items()}
                k = {name: kappa(list(t["gold"]), list(t["pred"])) for name, t in q.items()}
                n_ads = q["rules"]["advert_id"].nunique()
                summary.append(_row(f"real units, test: {part} ({n_ads})", len(u["rules"]), f1["rules"],
                                    f1["rules + sentence model"], notes[split]))
                posts_rows.append(_row(f"post verdicts, test: {part}", len(q["rules"]), k["rules"],
                                       k["rules + sentence model"], notes[split], "kappa"))
        for name, r in res.items():
            report = {k: sc.as_dict() for k, (sc, _) in r.items() if k != "contrast"}
            details += [f"# Split: {split}, {name}", "", _body(report), ""]
    summary += posts_rows
    parts = ["# leadlens evaluation", "",
             f"leadlens {__version__}, commit `{commit}`, rules hash `{analyser.rules.digest[:12]}`, pipeline "
             f"`{analyser.model}`, sentence model `{model.digest[:12]}` (threshold {model.threshold}); written "
             f"{datetime.date.today().isoformat()} by `tools/make_evaluation_doc.py`.", "",
             "The gold sets, their annotators, agreement and splits are described in `corpora/gold/README.md`. "
             "**dev** was read while the rules were written, so its figures are optimistic; **train** was used "
             "for error analysis, to fit the scoring settings and verdict thresholds, and to train the sentence "
             "model (so the model's train figures are in-sample); **test** and the held-out crafted sentences "
             "were used for nothing but these figures. The sentence model's card: "
             "`models/sentence-model/MODEL_CARD.md`.", "", "## Summary", ""] + summary + [""] + details
    out = ROOT / "docs" / "EVALUATION.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print("\n".join(summary))
    print(f"written {out}")


def _sample_ids() -> set[str]:
    """The ids of the curated 420-advert sample (the gold adverts of the first three sessions)."""
    path = default_data_file()
    if path is None:
        raise SystemExit("the NHS Jobs 2020 curated sample was not found (../shared/data or $LEADLENS_SHARED_DATA)")
    with path.open(encoding="utf-8") as fh:
        return {str(json.loads(line)["id"]) for line in fh if line.strip()}


def _body(report: dict[str, Any]) -> str:
    """evaluation_markdown without its generic title and preamble, headings one level down."""
    body = evaluation_markdown(report).split("\n", 4)[-1]
    return body.replace("\n## ", "\n### ").replace("## ", "### ", 1) if body.startswith("## ") else \
        body.replace("\n## ", "\n### ")


if __name__ == "__main__":
    main()
