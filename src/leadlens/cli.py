"""The ``leadlens`` command line: a thin layer over the Python API.

Commands: ``score`` (files and folders to the output contract), ``explain`` (one posting in the terminal),
``evaluate`` (agreement with gold labels), ``lexicon validate`` and ``lexicon show``.

Exit codes: 0 success; 1 a failure the user must fix (bad resource file, model not installed, bad gold);
2 bad command-line usage; 3 with ``--strict``, when any input could not be read.
"""

from __future__ import annotations

import json
import logging
import sys
import warnings
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__
from .errors import LeadlensError
from .gold import TRAINING_SENTENCES

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Tell leadership from management in NHS job adverts.")
lexicon_app = typer.Typer(no_args_is_help=True, help="Check and list the lexicon and the other rule files.")
app.add_typer(lexicon_app, name="lexicon")
console = Console(stderr=True)
out_console = Console()
log = logging.getLogger("leadlens")

POLE_STYLE = {"L": "bold green", "M": "bold magenta"}


def _fail(exc: Exception, code: int = 1) -> None:
    """Print ``error: <message>`` on one unwrapped line (so file:line stays greppable) and exit."""
    console.print(Text("error: ", style="red") + Text(str(exc)), soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"leadlens {__version__}")
        raise typer.Exit()


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    """Print a warning as ``warning: <message>`` on stderr (not Python's file:line form)."""
    console.print(Text("warning: ", style="yellow") + Text(str(message)), soft_wrap=True, highlight=False)


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """leadlens reads NHS job adverts and reports how much of each role is leadership and how much management."""
    warnings.showwarning = _show_warning


SENTENCE_MODEL_HELP = ("A sentence model folder (default: $LEADLENS_SENTENCE_MODEL, else the shipped "
                       "models/sentence-model). The model may overrule the rules' pole of a sentence where it is "
                       "confident.")
RULES_ONLY_HELP = "Score with the rules alone (no sentence model): every pole explained by its spans."


def _sentence_model(path: Path | None, rules_only: bool) -> str | None:
    """The ``sentence_model`` argument of the API: None for the rules alone, a folder, or ``"default"``."""
    from .batch import DEFAULT_SENTENCE_MODEL

    if rules_only:
        if path is not None:
            _fail(ValueError("--rules-only and --sentence-model contradict each other; pass one"), 2)
        return None
    return str(path) if path is not None else DEFAULT_SENTENCE_MODEL


@app.command()
def score(
    inputs: list[Path] = typer.Argument(..., help="Files and folders (walked recursively)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    model: str | None = typer.Option(None, "--model", help="Installed spaCy pipeline (or $LEADLENS_MODEL)."),
    text_field: str = typer.Option("text", help="Text column of CSV/TSV/XLSX/JSON/JSONL inputs."),
    title_field: str = typer.Option("title", help="Title column of CSV/TSV/XLSX/JSON/JSONL inputs."),
    id_field: str = typer.Option("id", help="Id column of CSV/TSV/XLSX/JSON/JSONL inputs."),
    max_file_mb: float = typer.Option(50, help="Largest input file read (MiB)."),
    max_inflated_mb: float = typer.Option(200, help="Largest unpacked size of a .docx/.xlsx (MiB; stops zip bombs)."),
    read_timeout: float = typer.Option(60, help="Seconds allowed to read one PDF."),
    pdf_memory_mb: int = typer.Option(2048, help="Memory cap of the PDF reader process (MiB, 0 = none)."),
    encoding: str | None = typer.Option(None, help="Force the encoding of text/CSV/JSON inputs (default: detect)."),
    workers: int = typer.Option(1, min=1, help="Worker processes (also the size of a local Dask cluster)."),
    engine: str = typer.Option("local", help="local (this machine's processes) or dask (a Dask cluster)."),
    scheduler: str | None = typer.Option(None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: "
                                                    "start a local cluster)."),
    batch_size: int = typer.Option(16, min=1, help="Postings per spaCy batch."),
    cache: bool = typer.Option(True, help="Reuse results cached in --out (resume after a crash)."),
    report: bool = typer.Option(True, help="Also write report.html, explanation pages and summary.xlsx."),
    explain_all: bool = typer.Option(False, help="Write an explanation page for every post (default: those in the "
                                                 "report's tables)."),
    strict: bool = typer.Option(False, help="Exit with code 3 if any input could not be read."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
    sentence_model: Path | None = typer.Option(None, help=SENTENCE_MODEL_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Score postings and write documents.csv, sentences.csv, matches.csv and run.json to --out."""
    import time

    from .batch import run as run_batch
    from .ingest import discover
    from .ingest.options import ReadOptions
    from .nlp import load_spacy

    smodel = _sentence_model(sentence_model, rules_only)
    try:
        load_spacy(model)  # fail early, with a clear message, if the pipeline is not installed
    except LeadlensError as exc:
        _fail(exc)
    n_files = sum(1 for _ in discover(inputs))
    state = {"n": 0, "errors": 0, "files": set()}
    t0 = time.time()
    bar = None
    if not quiet and console.is_terminal:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        bar = Progress(TextColumn("scoring"), BarColumn(), TextColumn("{task.completed}/{task.total} files"),
                       TextColumn("{task.fields[posts]} postings, {task.fields[rate]}/s, "
                                  "{task.fields[errors]} failed"),
                       TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console)
        task = bar.add_task("score", total=n_files, posts=0, rate="-", errors=0)
        bar.start()

    def progress(posting, error: str) -> None:  # noqa: ANN001
        state["n"] += 1
        state["files"].add(posting.source)
        if error:
            state["errors"] += 1
            if not quiet:
                console.print(f"[yellow]could not read[/yellow] {error}", highlight=False, soft_wrap=True)
        rate = f"{state['n'] / max(time.time() - t0, 1e-6):.1f}"
        if bar is not None:
            bar.update(task, completed=len(state["files"]), posts=state["n"], rate=rate, errors=state["errors"])
        elif not quiet and state["n"] % 200 == 0:
            console.print(f"scored {state['n']} postings from {len(state['files'])}/{n_files} files "
                          f"({rate}/s, {state['errors']} failed)", highlight=False)

    try:
        read_options = ReadOptions.from_cli(max_file_mb, max_inflated_mb, read_timeout, pdf_memory_mb, encoding)
        summary = run_batch(inputs, out=out, model=model, text_field=text_field, title_field=title_field,
                            id_field=id_field, workers=workers, batch_size=batch_size, progress=progress,
                            use_cache=cache, read_options=read_options, engine=engine, scheduler=scheduler,
                            sentence_model=smodel)
    except (LeadlensError, ValueError, ImportError, RuntimeError, OSError) as exc:
        _fail(exc)
    finally:
        if bar is not None:
            bar.stop()
    if report:
        from .report import write_report

        try:
            write_report(out, explain_all=explain_all)
        except LeadlensError as exc:
            _fail(exc)
    c = summary["counts"]
    if not quiet:
        sm = summary.get("sentence_model")
        console.print("scored with the rules alone" if sm is None else
                      f"scored with the rules and the sentence model in {sm['path']}", highlight=False)
        console.print(f"{c['postings']} postings from {n_files} files: {c['ok']} scored "
                      f"({c['cached']} from cache, {c['duplicates']} duplicates), {c['errors']} could not be read; "
                      f"verdicts {c['verdicts']}; leaders in name only: {c['leader_in_name_only']}. "
                      f"Results in {out}/", highlight=False)
    if strict and c["errors"]:
        raise typer.Exit(3)


@app.command("report")
def report_cmd(
    out: Path = typer.Argument(..., help="An output folder written by `leadlens score`."),
    explain_all: bool = typer.Option(False, help="An explanation page for every post."),
    evaluation: Path | None = typer.Option(None, help="evaluation.json from `leadlens evaluate --out` to cite."),
) -> None:
    """(Re)write report.html, the explanation pages and summary.xlsx from an existing output folder."""
    from .report import write_report

    try:
        ev = json.loads(evaluation.read_text(encoding="utf-8")) if evaluation else None
        path = write_report(out, explain_all=explain_all, evaluation=ev)
    except (LeadlensError, OSError, ValueError) as exc:
        _fail(exc)
    out_console.print(f"report written to {path}")


@app.command()
def explain(
    file: Path = typer.Argument(..., help="One posting: .txt, .md, .docx, .pdf or .html."),
    title: str | None = typer.Option(None, help="Title (default: the first line)."),
    model: str | None = typer.Option(None, "--model"),
    show_all: bool = typer.Option(False, "--all", help="Also list sentences with no evidence."),
    sentence_model: Path | None = typer.Option(None, help=SENTENCE_MODEL_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Print one posting's verdict with its spans highlighted."""
    from .analysis import get_analyser
    from .batch import resolve_sentence_model
    from .ingest import read_document
    from .nlp import model_name

    smodel = _sentence_model(sentence_model, rules_only)
    try:
        text, first_line = read_document(file)
        analyser = get_analyser(model)
        res = analyser.analyse(text, title=title or first_line, doc_id=file.name, source=str(file))
        info = resolve_sentence_model(smodel, model_name(model), analyser.rules)
        if info is not None:
            from .model.apply import apply_model, get_model

            res, _ = apply_model(res, get_model(info["path"], model))
    except LeadlensError as exc:
        _fail(exc)
    s = res.score
    share = "n/a" if s.leadership_share != s.leadership_share else f"{s.leadership_share:.0%}"
    interval = "" if s.share_low != s.share_low else f" (80% interval {s.share_low:.0%}–{s.share_high:.0%})"
    out_console.print(f"[bold]{res.title}[/bold]  title kind: {res.title_kind}")
    out_console.print(f"verdict: [bold]{s.verdict}[/bold]  leadership share: {share}{interval}  "
                      f"L={s.leadership:g} M={s.management:g}"
                      + ("  [red]leader in name only[/red]" if res.leader_in_name_only else ""))
    by_sent: dict[int, list] = {}
    for m in res.matches:
        by_sent.setdefault(m.sent_id, []).append(m)
    for sent in res.sentences:
        ms = by_sent.get(sent.sent_id, [])
        overruled = bool(sent.rule_pole) and sent.rule_pole != sent.pole
        if not ms and not show_all and not overruled:
            continue
        line = Text(f"[{sent.pole}] ", style=POLE_STYLE.get(sent.pole, "dim"))
        if overruled and sent.proba:
            line.append(f"(model: rules said {sent.rule_pole}, p({sent.pole})={sent.proba[sent.pole]:.2f}) ",
                        style="yellow")
        line.append(f"({sent.section}) ", style="dim")
        pos = sent.start
        body = res.text[sent.start:sent.end]
        for m in sorted(ms, key=lambda m: m.start):
            line.append(res.text[pos:m.start])
            style = POLE_STYLE[m.pole] if m.status == "counted" else "strike dim"
            line.append(res.text[m.start:m.end], style=style)
            tag = f"{m.axis}:{m.pole}" if m.status == "counted" else f"{m.axis}:{m.pole}, {m.status}"
            line.append(f"⟨{tag}⟩", style="cyan" if m.status == "counted" else "dim")
            pos = m.end
        line.append(res.text[pos:sent.end] if body else "")
        out_console.print(line)


@app.command()
def evaluate(
    gold: Path = typer.Argument(Path("corpora/gold"), help="Gold folder or file."),
    data: Path | None = typer.Option(None, help="The NHS Jobs 2020 curated sample (for real-advert units)."),
    model: str | None = typer.Option(None, "--model"),
    out: Path | None = typer.Option(None, help="Write evaluation.json and per-item tables here."),
    split: list[str] = typer.Option([], "--split", help="Only real units and posts of this split (dev, train, test); "
                                                        "repeatable."),
    markdown: Path | None = typer.Option(None, help="Also write the figures as Markdown here (docs/EVALUATION.md)."),
    sentence_model: Path | None = typer.Option(None, help=SENTENCE_MODEL_HELP),
    rules_only: bool = typer.Option(False, "--rules-only", help=RULES_ONLY_HELP),
) -> None:
    """Print precision, recall and F1 per class, macro-F1 and confusion tables (of what `leadlens score` would
    do: the rules and, by default, the sentence model)."""
    from .analysis import get_analyser
    from .batch import resolve_sentence_model
    from .evaluate import evaluate as run_eval
    from .nlp import model_name

    smodel = _sentence_model(sentence_model, rules_only)
    try:
        analyser = get_analyser(model)
        info = resolve_sentence_model(smodel, model_name(model), analyser.rules)
        loaded = None
        if info is not None:
            from .model.apply import get_model

            loaded = get_model(info["path"], model)
        results = run_eval(gold, analyser, data, tuple(split) or None, sentence_model=loaded)
    except (LeadlensError, FileNotFoundError, ValueError) as exc:
        _fail(exc)
    if not results:
        _fail(FileNotFoundError(f"{gold}: no gold set found (contrast.jsonl, units.jsonl[.gz], posts.jsonl)"))
    system = "rules" if info is None else "rules + sentence model"
    out_console.print(f"system: {system}" + ("" if info is None else f" ({info['path']})"))
    if info is not None and (not split or "train" in split) and any(n in results for n in ("units", "posts")):
        console.print("note: the sentence model was fitted on the train split and on the crafted sentences it "
                      "lists in its meta.json; its figures there are in-sample", highlight=False)
    report: dict = {"system": {"name": system, "sentence_model": info}}
    for name, (sc, table) in results.items():
        report[name] = sc.as_dict()
        t = Table(title=f"{name}: {sc.data}")
        for col in ("class", "precision", "recall", "F1", "support"):
            t.add_column(col)
        for lab, v in sc.per_class.items():
            t.add_row(lab, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", str(v["support"]))
        t.add_row("macro", "", "", f"{sc.macro_f1:.3f}", str(sc.n))
        out_console.print(t)
        out_console.print(f"Cohen's kappa {sc.kappa:.3f}")
        out_console.print(sc.confusion.to_string())
        if name == "posts":
            lino = sc.by_group["leader_in_name_only"]
            out_console.print(f"leader in name only: precision {lino['precision']:.3f}, recall {lino['recall']:.3f} "
                              f"({lino['n_pred']} predicted, {lino['n_gold']} in gold)")
        if sc.by_group and name == "contrast":
            g = Table(title="accuracy by phenomenon")
            g.add_column("phenomenon")
            g.add_column("n")
            g.add_column("accuracy")
            for k, v in sc.by_group.items():
                g.add_row(k, str(v["n"]), f"{v['accuracy']:.3f}")
            out_console.print(g)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            table.to_csv(out / f"{name}_predictions.csv", index=False)
    if out:
        from .evaluate import write_evaluation_html

        (out / "evaluation.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        write_evaluation_html(report, out / "evaluation.html")
    if markdown:
        from .evaluate import evaluation_markdown

        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(evaluation_markdown(report), encoding="utf-8")


@app.command()
def train(
    gold: Path = typer.Argument(Path("corpora/gold/units.jsonl.gz"),
                               help="Gold units (with splits; .jsonl or .jsonl.gz)."),
    out: Path = typer.Option(Path("models/sentence-model"), help="Where model.json, meta.json and MODEL_CARD.md go."),
    data: Path | None = typer.Option(None, help="The NHS Jobs 2020 curated sample holding the adverts' text."),
    model: str | None = typer.Option(None, "--model"),
    features: str = typer.Option("parse", help="parse (words and syntax from a parse of each unit) or tokens."),
    test: bool = typer.Option(True, help="Score the test split once at the end (turn off while developing)."),
    min_adverts: int = typer.Option(3, min=1, help="Keep only features seen in at least this many train adverts."),
    sentences: list[Path] = typer.Option([Path("corpora/gold") / name for name in TRAINING_SENTENCES],
                                         "--sentences",
                                         help="Crafted labelled sentences added to the training data (repeatable)."),
    sentence_weight: float = typer.Option(3.0, min=0.0, help="How many real units a crafted sentence counts as."),
    textcat_weight: float = typer.Option(0.3, min=0.0, max=1.0,
                                         help="Share of the small neural text classifier in the averaged probability "
                                              "(0: the linear model alone; default leadlens.model.textcat."
                                              "DEFAULT_WEIGHT)."),
    shape: bool = typer.Option(False, help="Add shape features (length, colon, Title Case, bullet). Off by default: "
                                           "they tell real adverts from crafted sentences rather than L from M."),
    stopwords: bool = typer.Option(True, help="Keep stop words among the word features."),
    note: list[str] = typer.Option([], "--note", help="A line for the model card's notes on this run (repeatable)."),
) -> None:
    """Train the sentence model on the train split (cross-validated by advert) and write its model card."""
    from .analysis import get_analyser
    from .evaluate import default_data_file
    from .model.features import FeatureConfig
    from .model.train import train as run_train

    data_file = data or default_data_file()
    if data_file is None:
        _fail(FileNotFoundError("the NHS Jobs 2020 curated sample was not found; pass --data"))
    config = FeatureConfig(shape=shape, stopwords=stopwords) if features == "parse" else \
        FeatureConfig(words="tokens", syntax=False, shape=shape, stopwords=stopwords)
    try:
        meta = run_train(gold, data_file, get_analyser(model), out, feature_config=config, evaluate_test=test,
                         min_adverts=min_adverts, sentences=[p for p in sentences if str(p)],
                         sentence_weight=sentence_weight, textcat_weight=textcat_weight, notes=note,
                         progress=lambda msg: console.print(msg, highlight=False))
    except (LeadlensError, FileNotFoundError, ValueError) as exc:
        _fail(exc)
    out_console.print(f"model written to {out} (threshold {meta.get('threshold')}); see {out / 'MODEL_CARD.md'}")


@lexicon_app.command("validate")
def lexicon_validate(root: Path | None = typer.Option(None, help="A resources folder (default: shipped).")) -> None:
    """Check every rule file; fail with file, line and reason on a bad rule."""
    from .rules import RuleSet, resource_files

    try:
        rules = RuleSet.load(root)
    except (LeadlensError, KeyError, TypeError) as exc:
        _fail(exc)
    summary = rules.summary()
    out_console.print(f"ok: {len(resource_files(root))} files, {summary['rules']} lexicon rules, "
                      f"{summary['senses']} sense exclusions, {summary['context_rules']} context rules, "
                      f"{summary['section_rules']} section rules; hash {summary['hash'][:12]}")


@lexicon_app.command("show")
def lexicon_show(
    axis: str | None = typer.Option(None, help="Only this axis."),
    pole: str | None = typer.Option(None, help="Only this pole (L or M)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines instead of a table."),
) -> None:
    """List lexicon rules by axis and pole."""
    from .rules import RuleSet

    try:
        rules = RuleSet.load()
    except LeadlensError as exc:
        _fail(exc)
    chosen = [r for r in rules.lexicon if (axis is None or r.axis == axis) and (pole is None or r.pole == pole)]
    order = {a: i for i, a in enumerate(rules.axes)}
    chosen.sort(key=lambda r: (order[r.axis], r.pole, r.id))
    if as_json:
        for r in chosen:
            sys.stdout.write(json.dumps(r.to_dict()) + "\n")
        return
    t = Table(title=f"{len(chosen)} lexicon rules")
    for col in ("axis", "pole", "id", "kind", "weight", "what it matches"):
        t.add_column(col)
    for r in chosen:
        ax = rules.axes[r.axis]
        what = (f"{'/'.join(r.verbs)} + {'/'.join(r.objects)}" if r.kind == "verb_object"
                else " ".join(_tok_repr(t) for t in r.token_pattern()))
        t.add_row(r.axis, f"{r.pole} ({ax.label_L if r.pole == 'L' else ax.label_M})", r.id, r.kind,
                  f"{r.weight:g}", what[:80])
    out_console.print(t)


def _tok_repr(tok: dict) -> str:
    for key in ("LEMMA", "LOWER", "ORTH", "TEXT"):
        if key in tok:
            v = tok[key]
            s = v if isinstance(v, str) else "|".join(v.get("IN", [])) if isinstance(v, dict) else str(v)
            return s + (tok.get("OP", "") if tok.get("OP") in ("?", "*", "+") else "")
    return "·"
