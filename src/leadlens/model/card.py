"""The model card (``MODEL_CARD.md``), rendered from the contents of ``meta.json``."""

from __future__ import annotations

import json
from typing import Any

LABELS = ("L", "M", "N")
SYSTEM_NAMES = {"rules": "rules alone", "naive": "naive stem baseline", "model": "model alone (argmax)",
                "model+rules": "**model overruling the rules** (the shipped policy)"}


def _row(name: str, m: dict[str, Any], extra: str = "") -> str:
    pc = m["per_class"]
    return (f"| {name} | {m['macro_f1']:.3f}{extra} | {m['kappa']:.3f} | {pc['L']['f1']:.3f} | {pc['M']['f1']:.3f} "
            f"| {pc['N']['f1']:.3f} |")


def _table(systems: dict[str, Any], cv: bool = False) -> list[str]:
    head = "| system | macro-F1" + (" (folds: mean ± sd)" if cv else "") + " | kappa | F1 L | F1 M | F1 N |"
    lines = [head, "|---|---|---|---|---|---|"]
    for key, name in SYSTEM_NAMES.items():
        v = systems[key]
        if cv:
            lines.append(_row(name, v["pooled"], f" ({v['fold_mean']:.3f} ± {v['fold_sd']:.3f})"))
        else:
            lines.append(_row(name, v))
    return lines


def _confusion(m: dict[str, Any]) -> list[str]:
    lines = ["| gold \\ final | L | M | N |", "|---|---|---|---|"]
    for lab, row in zip(LABELS, m["confusion"]["matrix"]):
        lines.append(f"| {lab} | " + " | ".join(str(x) for x in row) + " |")
    return lines


def _diff(d: dict[str, Any]) -> str:
    return (f"Model overruling the rules minus rules alone: **{d['diff']:+.3f}** macro-F1, 95% interval "
            f"{d['low']:+.3f} to {d['high']:+.3f} ({d['resamples']} resamples of whole adverts; the model is better "
            f"in {d['p_better']:.0%} of them).")


def _overrules(ov: dict[str, Any], units: int | None = None) -> str:
    of = f" of {units} units" if units else ""
    return (f"Overrules: {ov['overruled']}{of}; {ov['fixed']} fixed a rules error, {ov['broke']} broke a right "
            f"rules pole, {ov['both_wrong']} swapped one wrong pole for another ({ov['by_change']}).")


def _counts(c: dict[str, Any]) -> str:
    return f"{c['units']} units of {c['adverts']} adverts (L {c['L']}, M {c['M']}, N {c['N']})"


def _split_section(title: str, split: dict[str, Any] | None, note: str) -> list[str]:
    lines = ["", f"## {title}", ""]
    if not split:
        return lines + ["Not scored in this run."]
    lines += [note, ""] if note else []
    lines += _table(split["systems"])
    lines += ["", _diff(split["model+rules_minus_rules"]), "", _overrules(split["overrules"]), "",
              f"Calibration: Brier {split['calibration']['brier']}, log loss {split['calibration']['log_loss']}, "
              f"ECE {split['calibration']['ece']}.", "", "Confusion of the shipped policy:", ""]
    return lines + _confusion(split["systems"]["model+rules"])


def _verdict_section(v: dict[str, Any] | None) -> list[str]:
    if not v:
        return []
    st = v["settings"]
    lines = ["", "## Post verdicts with the model", "",
             "With the model the evidence of a post moves (overruled sentences), so the verdict settings are fitted "
             "again, on the train posts **out of fold** (each advert relabelled by a model fitted without its "
             f"units): insufficient below {st['min_evidence']:g} units of evidence, leadership at a share of at "
             f"least {st['leadership_at_least']:g}, management at most {st['management_at_most']:g}. "
             + ("`leadlens score` uses these when it uses the model, unless the classifier below decides, and "
              "`scoring.json`'s with `--rules-only`." if v.get("rule") == "classifier" else
              "`leadlens score` uses these when it uses the model, and `scoring.json`'s with `--rules-only`.")]
    cmp = v.get("compared")
    if cmp:
        lines += ["", "A second verdict rule, a small multinomial logistic regression over nine figures of the post "
                  "(its evidence and share, how many of its sentences are L and M, the model's summed probabilities; "
                  "not its title: `leadlens.model.verdict.VerdictClassifier`), was fitted on the same posts. "
                  f"Cross-validated over the train posts ({cmp['n_splits']} folds, stratified by verdict) the "
                  f"thresholds reach kappa {cmp['thresholds']['kappa']:.3f} and the classifier "
                  f"{cmp['classifier']['kappa']:.3f}; "
                  + ("the classifier decides the verdict with the model (a post with no evidence stays "
                     "`insufficient`; the thresholds still place the share's bands)." if v.get("rule") == "classifier"
                     else "the thresholds decide.")]
    lines += ["", "| posts | n | kappa with the model | kappa, rules alone |", "|---|---|---|---|"]
    for split, label in (("train_oof", "train (out of fold)"), ("dev", "dev"), ("test", "test")):
        if split in v:
            rules = v.get("train_rules_only" if split == "train_oof" else f"{split}_rules_only") or {}
            lines.append(f"| {label} | {v[split]['n']} | {v[split]['kappa']:.3f} | "
                         f"{rules.get('kappa', float('nan')):.3f} |")
    iv = v.get("interval")
    if iv:
        held = "; ".join(f"{s} {v[f'{s}_interval']['coverage']:.0%} of {v[f'{s}_interval']['n']}"
                         for s in ("dev", "test") if f"{s}_interval" in v)
        lines += ["", "The interval on the share: the model moves a post's evidence, so its scale is fitted on the "
                  f"same train posts out of fold (`leadlens.model.interval`): {iv['scale']:g} units of weighted "
                  "evidence per effective count, the smallest scale whose 80% interval holds the annotators' share "
                  f"on at least 80% of the {iv['n']} such posts with evidence ({iv['coverage']:.0%}); `scoring.json`'s "
                  f"scale is used with `--rules-only`." + (f" Coverage with the model: {held}." if held else "")]
    return lines


def _textcat_section(tc: dict[str, Any] | None) -> list[str]:
    if not tc:
        return []
    oof = tc["train_oof_macro_f1"]
    return ["", "## The text classifier averaged in", "",
            f"The model's probability is the mean, at weights {1 - tc['weight']:g} and {tc['weight']:g}, of the "
            "logistic regression above and of a small neural text classifier (`textcat/`, "
            "`leadlens.model.textcat`: spaCy's `TextCatEnsemble`, a bag of n-grams plus a convolutional encoder over "
            f"hashed word forms, width {tc['width']}, {tc['epochs']} epochs, trained from scratch on the same train "
            "units and crafted sentences; no pretrained vectors). It was fitted in the same 5 folds as the "
            "cross-validation above (the nested figures there are the logistic regression's alone), and the "
            f"threshold was refitted on the averaged out-of-fold probabilities: {tc['threshold']:.2f} (the logistic "
            f"regression's alone: {tc['linear_threshold']:.2f}).", "",
            f"Train units out of fold, macro-F1: text classifier alone {oof['text_classifier']:.3f}; logistic "
            f"regression overruling the rules {oof['linear+rules']:.3f}; the average overruling the rules "
            f"{oof['averaged+rules']:.3f} (its threshold fitted on these same probabilities, so slightly "
            "optimistic). The dev and test figures below are the average's.", "",
            "The text classifier has no named features: a sentence's explanation is its rule spans and the "
            "logistic regression's features, and its probability is the average. Its weights are hashed, so it "
            "stores no advert text; they are stored as float16 (`textcat/weights.npz`), and the classifier was "
            "rounded to them before anything was scored, so the figures are those of the shipped weights."]


def model_card(meta: dict[str, Any]) -> str:
    """The model card (Markdown) from ``meta.json``'s contents."""
    cv, dev, test = meta["cv"], meta["dev"], meta.get("test")
    cmp = cv["model+rules_minus_rules"]
    verdict = ("does not beat" if cmp["diff"] <= 0 else
               "beats, by a margin within the noise," if cmp["low"] <= 0 else "beats")
    git = meta.get("git") or {}
    feats = meta["features"]
    train, dev_counts = meta["splits"]["train"], meta["splits"]["dev"]
    lines = [
        "# leadlens sentence model", "",
        "A multinomial logistic regression that reads each sentence or bullet of an analysed NHS job advert (its "
        "rule matches and their context, its words, its syntax) and gives the probability that it is Leadership "
        "(L), Management (M) or Neither (N) by `../shared/ANNOTATION.md`. It does not replace the rules: a sentence "
        f"keeps the rules' pole unless the model gives another pole a probability of at least "
        f"**{meta['threshold']:.2f}** (the threshold, fitted by cross-validation on the train split)."
        + (" Its probabilities are averaged with a small neural text classifier's (below)." if meta.get("textcat")
           else ""), "",
        f"**Summary.** In nested cross-validation on the train split, the model overruling the rules {verdict} the "
        f"rules alone: macro-F1 {cv['systems']['model+rules']['pooled']['macro_f1']:.3f} vs "
        f"{cv['systems']['rules']['pooled']['macro_f1']:.3f} ({cmp['diff']:+.3f}, 95% interval {cmp['low']:+.3f} "
        f"to {cmp['high']:+.3f})"
        + (f"; that is the logistic regression alone, and averaged with the text classifier it reaches "
           f"{meta['textcat']['train_oof_macro_f1']['averaged+rules']:.3f} out of fold (not nested; below)"
           if meta.get("textcat") else "")
        + f". Dev: {dev['systems']['model+rules']['macro_f1']:.3f} vs "
        f"{dev['systems']['rules']['macro_f1']:.3f}."
        + (f" Test: {test['systems']['model+rules']['macro_f1']:.3f} vs {test['systems']['rules']['macro_f1']:.3f}."
           if test else ""),
        "", "## Details", "",
        f"- leadlens {meta['leadlens']}, git commit `{git.get('commit', 'unknown')}`"
        + (" (the working tree's `src/` differed from it)" if git.get("src_dirty") else ""),
        f"- created {meta['created']}; Python {meta['python']}, scikit-learn {meta['sklearn']}, spaCy "
        f"{meta['spacy']}, pipeline `{meta['spacy_model']}` {meta.get('spacy_model_version') or ''}",
        f"- rules hash `{meta['rules_digest']}`. The model reads the rules' output, so `load_model` warns when the "
        "rules in use differ; retrain then.",
        f"- gold `corpora/gold/{meta['gold']['file']}` sha256 `{meta['gold']['sha256']}`; advert text from "
        f"`{meta['data']['file']}` sha256 `{meta['data']['sha256']}`"
        + (f", then `{meta['data']['beside']['file']}` sha256 `{meta['data']['beside']['sha256']}` for adverts "
           "outside it" if meta["data"].get("beside") else ""),
        f"- features: {feats['n_features']} (words from the unit's `{feats['words']}`, n-grams up to "
        f"{feats['ngrams']}, syntax {feats['syntax']}, rules {feats['rules']}, feature version {feats['version']}); "
        f"by group {feats['groups']}",
        f"- estimator: `SentenceModel` {json.dumps(meta['estimator']['params'])} behind a `DictVectorizer`",
        f"- selection: C from {[g.get('C') for g in meta['selection']['grid']]} and the threshold from 0.30 to 1.00 "
        f"by {meta['selection']['n_splits']}-fold CV grouped by advert, maximising the macro-F1 of the decisions "
        "(ties to the higher threshold); the inner CV of the final fit gave "
        f"{meta['selection']['inner_cv_macro_f1']:.3f} (optimistic: the threshold was fitted on it).",
        "", "## Data and splits", "",
        "Gold units are sentences and bullets of real NHS Jobs 2020 adverts, labelled L/M/N by independent, "
        "blind annotators (most units by one, a tenth by two, disagreements adjudicated; who labelled what and "
        "their agreement: `corpora/gold/README.md`) in `corpora/gold/`. The split is "
        "fixed per advert by `tools/merge_gold.py`: **dev** is the first round of 25 adverts, which the rule "
        "developers read while writing the rules, so the rules' dev figures are optimistic; **train** and **test** "
        "are a hash split of the other adverts.", "",
        f"- train (the only data fitted on, and cross-validated): {_counts(train)}",
        f"- dev (a check; never fitted on): {_counts(dev_counts)}",
        f"- test (scored once, after every choice was fixed): {_counts(test['counts'])}" if test else
        "- test: not scored in this run",
    ]
    if meta["splits"].get("max_train_adverts"):
        lines.append(f"- **only the first {meta['splits']['max_train_adverts']} train adverts were used**")
    lines += ["", "## Cross-validation on train (nested: 5 outer × 5 inner folds, by advert)", "",
              "In each outer fold an inner CV on the other four folds chose C and the threshold; the outer fold was "
              "then scored, so no choice saw the units it is scored on. Pooled over the outer folds:", ""]
    lines += _table(cv["systems"], cv=True)
    lines += ["", _diff(cmp) + f" Per fold: {', '.join(f'{d:+.3f}' for d in cmp['per_fold'])} "
              f"({cmp['folds_better']} of {len(cmp['per_fold'])} better).", "",
              _overrules(cv["overrules"], train["units"]), "",
              "Chosen per fold: " + "; ".join(f"C={f['params'].get('C')}, threshold {f['threshold']:.2f}"
                                              for f in cv["folds"]) + ".", "",
              f"Calibration of the out-of-fold probabilities: Brier {cv['calibration']['brier']}, log loss "
              f"{cv['calibration']['log_loss']}, expected calibration error {cv['calibration']['ece']}."]
    lines += _textcat_section(meta.get("textcat"))
    if meta.get("textcat_rejected"):
        oof = meta["textcat_rejected"]["train_oof_macro_f1"]
        lines += ["", "A small neural text classifier averaged in (`leadlens.model.textcat`) was tried and left out: "
                  f"out of fold on train it did not beat the logistic regression alone ({oof['averaged+rules']:.3f} "
                  f"against {oof['linear+rules']:.3f})."]
    lines += _split_section("Dev split", dev, "The final model (fitted on all of train) on the 25 dev adverts.")
    lines += _split_section("Test split (held out; scored once)", test,
                            "The final model on the test adverts, scored once after every choice above was fixed; "
                            "reported as measured.")
    lines += _verdict_section(meta.get("verdict"))
    if meta.get("sentences"):
        s = meta["splits"].get("sentences") or {}
        lines += ["", "## Crafted sentences in training", "",
                  "Besides the train units, every fit (in the CV only in the training folds, never scored) also saw "
                  f"{s.get('units', '?')} crafted, labelled sentences (L {s.get('L', '?')}, M {s.get('M', '?')}, "
                  f"N {s.get('N', '?')}), each analysed on its own and counted as "
                  f"{meta.get('sentence_weight', 1.0):g} real units: "
                  + ", ".join(f"`{x['file']}` (sha256 `{x['sha256'][:12]}`)" for x in meta["sentences"])
                  + ". Without them the model learnt the real adverts' habits (text before any heading is mostly "
                  "the organisation's; 'vision' is mostly the trust's) and overruled plain duties written on their "
                  "own. Figures on those sentence files are therefore in-sample for the model."]
    lines += ["", "## What the model leans on", "", "Largest positive coefficients per class (features are counts "
              "and weights, not standardised, so read these as a rough guide):", ""]
    for c, top in meta["top_features"].items():
        lines.append(f"- **{c}**: " + ", ".join(f"`{n}` {w:+.2f}" for n, w in top))
    lines += [
        "", "## Intended use", "",
        "Relabelling the sentences of NHS job adverts that leadlens has analysed: in `leadlens score` (a "
        "posting's evidence and verdict then follow the final sentence poles) and in evaluation against the gold "
        "units. The rules remain the explanation: every sentence keeps its matched spans, and an overruled "
        "sentence carries the model's probabilities. Use `--rules-only` for the rules' own, fully explained, poles.",
        "", "## Limits", "",
        f"- Small data: {train['units']} train units of {train['adverts']} adverts, only {train['L']} L and "
        f"{train['M']} M. Differences of a couple of points of macro-F1 are within the spread across folds and "
        "the bootstrap intervals above.",
        "- Most of what it changes is rules' L or M turned to N (clinical senses, the organisation's or an "
        "opportunity's wording the rules missed); it rarely finds a duty the rules did not tag.",
        "- English NHS Jobs adverts of 2018–2020 only; other employers, years or document types (full job "
        "descriptions, person specifications on their own) may differ.",
        "- Tied to the rules: it must be retrained when the lexicon, senses, context, section rules or scoring "
        "settings change (a warning names the hashes).",
        "- The guideline's finer conventions (purpose over verb, 'opportunity to', applicant adjectives, advice) are "
        "where both the rules and the model err most; most units have a single annotator.",
        "- The probabilities are calibrated on the train distribution (about 80% N); on text made mostly of duties "
        "they will be less well calibrated.",
    ]
    if meta.get("min_adverts"):
        lines += [f"- `model.json` holds only features seen in at least {meta['min_adverts']} train adverts: "
                  "rarer words describe one advert and cannot generalise, and keeping them would ship fragments "
                  "of third-party advert text. It is plain data (feature names and weights); loading it runs no "
                  "code."]
    if meta.get("notes"):
        lines += ["", "## Notes on this run", ""] + [f"- {n}" for n in meta["notes"]]
    lines += ["", f"Training took {meta['seconds'].get('total', 0):.0f} s (by stage: {meta['seconds']}).", ""]
    return "\n".join(lines)
