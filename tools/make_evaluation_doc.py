"""Write docs/EVALUATION.md: leadlens (rules only) against every gold set, split by split.

The test split is reported here and in the model card only; no choice of rules, weights or thresholds was made
on it. Usage: python tools/make_evaluation_doc.py
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

from leadlens import __version__, get_analyser
from leadlens.evaluate import evaluate, evaluation_markdown

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    analyser = get_analyser()
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "unknown"
    parts = ["# leadlens evaluation (rules only)", "",
             f"leadlens {__version__}, commit `{commit}`, rules hash `{analyser.rules.digest[:12]}`, pipeline "
             f"`{analyser.model}`; written {datetime.date.today().isoformat()} by `tools/make_evaluation_doc.py`.",
             "", "The gold sets, their annotators, agreement and splits are described in `corpora/gold/README.md`. "
             "**dev** was read while the rules were written, so its figures are optimistic; **train** was used "
             "for error analysis and to fit the scoring settings and verdict thresholds; **test** was used for "
             "nothing but these figures. The learned sentence model has its own card in "
             "`models/sentence-model/MODEL_CARD.md`.", ""]
    first = True
    for split in ("dev", "train", "test"):
        results = evaluate(ROOT / "corpora" / "gold", analyser, splits=(split,))
        report = {name: sc.as_dict() for name, (sc, _) in results.items()}
        if not first:
            report.pop("contrast", None)
        body = evaluation_markdown(report).split("\n", 4)[-1]  # drop the generic title and preamble
        parts += [f"# Split: {split}" + (" (with the contrast sentences, which have no split)" if first else ""),
                  "", body]
        first = False
    out = ROOT / "docs" / "EVALUATION.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
