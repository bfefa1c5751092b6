"""Speed, memory and scaling of newsclass's prediction, side by side with scikit-learn and fastText.

    python -m benchmarks.performance [--quick] [--out docs/performance]

In one run, on this machine, on the same generated items:

1. single-core items/s for short (40 words) and long (200 words) items: newsclass's
   ``classify()`` (fast path, prediction objects included) and its bare scorer, the plain
   scikit-learn pipeline (the same model through ``TfidfVectorizer.transform``), and fastText's
   ``predict`` (trained here on the texts and labels the default model is trained from);
2. items/s against chunk size (``classify_stream``), warm single-item latency, cold start
   (import + default model; the CLI on one text), model size on disk and in memory;
3. the CLI on a JSON Lines file with ``--jobs 1`` and ``--jobs 2``; peak RSS of
   ``classify_stream`` over 100k and 1M items (flat memory);
4. Dask on a two-process LocalCluster: 1M short items (items/s, peak RSS per worker), and
   100k items with one and two workers;
5. with ``--streaming-training``: ``newsclass train --streaming`` against in-memory
   ``newsclass train`` on the same CSV, macro-F1 on the project's quality set.

Items are recombined sentences of the project's own quality set (tests/data/quality_set.csv);
the corpora in ../shared/data are read by path to train fastText and never copied.
Writes ``results.json`` and two plots to ``--out`` and the tables of docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
QUALITY_SET = REPOSITORY / "tests" / "data" / "quality_set.csv"
PYTHON = sys.executable
SHORT_WORDS, LONG_WORDS = 40, 200


# --- items ----------------------------------------------------------------------------------

def sentence_pool() -> list[str]:
    """The sentences of the project's quality set: the material items are recombined from."""
    with QUALITY_SET.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    return [sentence for text in texts for sentence in re.split(r"(?<=[.!?])\s+", text) if len(sentence.split()) >= 4]


def make_items(pool: list[str], count: int, words: int, seed: int) -> list[str]:
    """``count`` items of exactly ``words`` words, each of whole sentences drawn at random, then cut."""
    rng = random.Random(seed)
    items = []
    for _ in range(count):
        taken: list[str] = []
        while len(taken) < words:
            taken.extend(rng.choice(pool).split())
        items.append(" ".join(taken[:words]))
    return items


def generate_partition(number: int, pool: list[str], size: int, words: int) -> Any:
    """One Dask partition of generated items (made on the worker, so the client ships nothing big)."""
    import pandas as pd

    return pd.DataFrame({"text": make_items(pool, size, words, seed=10_000 + number)})


# --- helpers --------------------------------------------------------------------------------

def best_rates(runs: dict[str, Callable[[], Any]], count: int, repeats: int) -> dict[str, float]:
    """Items per second of each system, best of ``repeats``; the systems take turns, so that
    other work on the machine weighs on all of them alike."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    return {name: count / min(values) for name, values in timings.items()}


def best_rate(run: Callable[[], Any], count: int, repeats: int = 3) -> float:
    """Items per second of the best of ``repeats`` runs (the least disturbed by other work)."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return count / min(timings)


def run_python(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object."""
    completed = subprocess.run(
        [PYTHON, "-c", code, *args], capture_output=True, text=True, check=True, cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def machine() -> dict[str, Any]:
    import sklearn

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_mb": memory, "python": platform.python_version(),
        "numpy": np.__version__, "scikit-learn": sklearn.__version__, "load_average_at_start": os.getloadavg()[0],
    }


# --- fastText ---------------------------------------------------------------------------------

def train_fasttext(sample: int | None) -> tuple[Any, dict[str, Any]]:
    """fastText trained on the default model's training texts and labels (or a sample of them)."""
    import fasttext

    from training.sources import default_data_dir, read_all, read_own_labelled

    records = read_all(default_data_dir()) + read_own_labelled()
    if sample is not None and sample < len(records):
        records = random.Random(0).sample(records, sample)
    labelled = [record for record in records if record.positives]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as handle:
        for record in labelled:
            labels = " ".join(f"__label__{label}" for label in sorted(record.positives))
            handle.write(f"{labels} {' '.join(record.text.split())}\n")
    started = time.perf_counter()
    model = fasttext.train_supervised(handle.name, loss="ova", wordNgrams=2, epoch=10, lr=0.5, thread=1, verbose=0)
    seconds = time.perf_counter() - started
    os.unlink(handle.name)
    return model, {"training_items": len(labelled), "of_records": len(records), "seconds": round(seconds, 1),
                   "options": "loss=ova, wordNgrams=2, epoch=10, lr=0.5, dim=100, thread=1"}


# --- the measurements -------------------------------------------------------------------------

def single_core(pool: list[str], quick: bool, fasttext_sample: int | None) -> dict[str, Any]:
    import newsclass
    from newsclass import _classify

    newsclass.classify("warm up")  # loads the default model's scorer, as classify() uses it
    scorer = _classify._default_scoring()
    model = newsclass.default_model()  # the whole model, for the scikit-learn pipeline
    fasttext_model, fasttext_info = train_fasttext(fasttext_sample)
    results: dict[str, Any] = {"fasttext": fasttext_info}
    for name, words, count in (("short", SHORT_WORDS, 5_000 if quick else 20_000), ("long", LONG_WORDS, 1_000 if quick else 5_000)):
        items = make_items(pool, count, words, seed=1 if name == "short" else 2)
        rates = best_rates({
            "newsclass classify()": lambda items=items: newsclass.classify(items),
            "newsclass scorer (probabilities only)": lambda items=items: scorer.predict_proba(items),
            "fastText predict": lambda items=items: fasttext_model.predict(items, k=-1, threshold=0.0),
        }, count, repeats=5)
        rates["scikit-learn pipeline"] = best_rate(lambda items=items: model.predict_proba(items), count, repeats=2)
        # The same predictions as the reference path (the whole model through scikit-learn's
        # TfidfVectorizer), checked on the measured items.
        original = _classify.scorer_for
        _classify.scorer_for = lambda _model: None
        try:
            reference = newsclass.classify(items[:2000], model=model)
        finally:
            _classify.scorer_for = original
        same = reference == newsclass.classify(items[:2000])
        results[name] = {
            "items": count, "words": words, "items_per_second": {key: round(value) for key, value in rates.items()},
            "ratio_to_fasttext": round(rates["newsclass classify()"] / rates["fastText predict"], 2),
            "scorer_ratio_to_fasttext": round(rates["newsclass scorer (probabilities only)"] / rates["fastText predict"], 2),
            "speedup_over_scikit_learn": round(rates["newsclass classify()"] / rates["scikit-learn pipeline"], 1),
            "same_predictions_as_reference": same,
            "load_average": round(os.getloadavg()[0], 1),
        }
    short_items = make_items(pool, 8_192 if quick else 32_768, SHORT_WORDS, seed=3)
    results["batch_size"] = {
        str(size): round(best_rate(lambda size=size: sum(1 for _ in newsclass.classify_stream(short_items, chunk_size=size)), len(short_items), repeats=1 if size < 64 else 2))
        for size in (1, 8, 64, 256, 1024, 4096)
    }
    one = short_items[0]
    newsclass.classify(one)
    latencies = []
    for text in short_items[:2000]:
        started = time.perf_counter()
        newsclass.classify(text)
        latencies.append(time.perf_counter() - started)
    results["latency_ms"] = {"median": round(statistics.median(latencies) * 1e3, 3), "p99": round(float(np.percentile(latencies, 99)) * 1e3, 3)}
    return results


COLD_LOAD = """
import json, sys, time
started = time.perf_counter()
import newsclass
imported = time.perf_counter()
newsclass.classify("Oil prices rose after the cartel cut output.")  # reads the default model's scorer, then scores
first = time.perf_counter()
model = newsclass.default_model()  # the whole scikit-learn model, as explain=True and training need it
loaded = time.perf_counter()
print(json.dumps({"import": imported - started, "first_classify": first - imported, "whole_model": loaded - first}))
"""

# RSS growth and memory held: the scorer classify() uses (read from the model file, no scikit-learn),
# and, in another process, the whole model with its fast path (explain=True, training).
MEMORY = """
import json, gc, sys, psutil, tracemalloc
import numpy
import newsclass
trace, whole = sys.argv[1] == "trace", sys.argv[2] == "whole"  # tracemalloc's own bookkeeping would inflate RSS
process = psutil.Process()
from newsclass import _classify, _fast
if whole:
    import newsclass._model  # scikit-learn's import is no memory of the model's
gc.collect()
before = process.memory_info().rss
if trace:
    tracemalloc.start()
if whole:
    _fast.scorer_for(newsclass.default_model())
newsclass.classify("warm up")
gc.collect()
total = tracemalloc.get_traced_memory()[0] if trace else process.memory_info().rss - before
print(json.dumps({("held" if trace else "rss_growth") + ("_whole_model" if whole else "_scorer") + "_mb": total / 2**20}))
"""


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

STREAM_RSS = """
import json, random, sys, time
sys.path.insert(0, ".")
from benchmarks.performance import make_items, peak_rss_mb, sentence_pool
import newsclass
count = int(sys.argv[1])
pool = sentence_pool()
def items():
    for start in range(0, count, 10_000):
        yield from make_items(pool, min(10_000, count - start), 40, seed=start)
started = time.perf_counter()
done = sum(1 for _ in newsclass.classify_stream(items(), chunk_size=1024))
seconds = time.perf_counter() - started
print(json.dumps({"items": done, "seconds": seconds, "items_per_second": done / seconds, "peak_rss_mb": peak_rss_mb()}))
"""


def cold_start() -> dict[str, Any]:
    runs = [run_python(COLD_LOAD) for _ in range(3)]
    cli = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-m", "newsclass", "classify", "--text", "Oil prices rose after the cartel cut output."],
                       capture_output=True, check=True, cwd=REPOSITORY)
        cli.append(time.perf_counter() - started)
    median = {key: round(statistics.median(run[key] for run in runs), 3) for key in runs[0]}
    return {**median, "import_plus_load": round(median["import"] + median["first_classify"], 3), "cli_one_text": round(statistics.median(cli), 3),
            "load_average": round(os.getloadavg()[0], 1)}


def model_size() -> dict[str, Any]:
    import newsclass

    memory = {key: value for mode in ("trace", "rss") for whole in ("scorer", "whole") for key, value in run_python(MEMORY, mode, whole).items()}
    return {"on_disk_mb": round(newsclass.default_model_path().stat().st_size / 2**20, 1),
            **{key: round(value, 1) for key, value in memory.items()}}


def cli_jobs(pool: list[str], quick: bool) -> dict[str, Any]:
    count = 20_000 if quick else 100_000
    results: dict[str, Any] = {"items": count}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "items.jsonl"
        with data.open("w", encoding="utf-8") as handle:
            for number, text in enumerate(make_items(pool, count, SHORT_WORDS, seed=4)):
                handle.write(json.dumps({"id": number, "text": text}) + "\n")
        # Taken in turn, best of two, so that other work on the machine weighs on each alike.
        runs = {"jobs_1": ["--jobs", "1"], "jobs_2": ["--jobs", "2"], "jobs_2_chunk_4096": ["--jobs", "2", "--chunk-size", "4096"]}
        timings: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(2):
            for name, options in runs.items():
                started = time.perf_counter()
                subprocess.run([PYTHON, "-m", "newsclass", "classify", "--items-jsonl", str(data), *options],
                               stdout=subprocess.DEVNULL, check=True, cwd=REPOSITORY)
                timings[name].append(time.perf_counter() - started)
        results.update({f"{name}_items_per_second": round(count / min(values)) for name, values in timings.items()})
    results["load_average"] = round(os.getloadavg()[0], 1)
    return results


def stream_memory(quick: bool) -> dict[str, Any]:
    sizes = (20_000, 200_000) if quick else (100_000, 1_000_000)
    runs = {str(size): run_python(STREAM_RSS, str(size)) for size in sizes}
    small, large = (runs[str(size)]["peak_rss_mb"] for size in sizes)
    return {"runs": {key: {name: round(value, 1) for name, value in run.items()} for key, run in runs.items()},
            "growth": round(large / small - 1, 3)}


def dask_runs(pool: list[str], quick: bool) -> dict[str, Any]:
    import dask
    import dask.dataframe as dd
    import distributed
    import pandas as pd

    from newsclass.dask import classify_dataframe

    def run(count: int, workers: int) -> dict[str, Any]:
        partition = 10_000
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            client.run(lambda: __import__("newsclass").default_model())  # the model loaded once per worker, before timing
            meta = pd.DataFrame({"text": pd.Series(dtype=object)})
            frame = dd.from_map(generate_partition, range(count // partition), pool=pool, size=partition, words=SHORT_WORDS, meta=meta)
            started = time.perf_counter()
            topics = classify_dataframe(frame, "text")
            # Reductions without a shuffle: every item is classified, little comes back.
            items, labelled = dask.compute(topics.map_partitions(len).sum(), topics["top"].count())
            seconds = time.perf_counter() - started
            peaks = client.run(peak_rss_mb)
        return {"items": int(items), "with_a_label": int(labelled), "workers": workers, "seconds": round(seconds, 1),
                "items_per_second": round(count / seconds), "peak_rss_mb_per_worker": [round(value) for value in peaks.values()]}

    large = 200_000 if quick else 1_000_000
    small = 20_000 if quick else 100_000
    results = {"large": run(large, 2), "small_two_workers": run(small, 2), "small_one_worker": run(small, 1)}
    results["rss_growth_small_to_large"] = round(max(results["large"]["peak_rss_mb_per_worker"]) / max(results["small_two_workers"]["peak_rss_mb_per_worker"]) - 1, 3)
    return results


# --- report ---------------------------------------------------------------------------------

def plots(results: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [int(size) for size in results["single_core"]["batch_size"]]
    rates = list(results["single_core"]["batch_size"].values())
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.plot(sizes, rates, marker="o", label="newsclass classify_stream")
    axes.axhline(results["single_core"]["short"]["items_per_second"]["fastText predict"], color="grey", linestyle="--", label="fastText predict")
    axes.set_xscale("log", base=2)
    axes.set_xlabel("chunk size (items)")
    axes.set_ylabel("items/s, one core, 40-word items")
    axes.legend()
    figure.tight_layout()
    figure.savefig(out / "throughput_vs_batch_size.png", dpi=120)
    plt.close(figure)

    figure, axes = plt.subplots(figsize=(6, 3.5))
    cli = results["cli_jobs"]
    axes.plot([1, 2], [cli["jobs_1_items_per_second"], cli["jobs_2_items_per_second"]], marker="o", label="CLI --jobs (JSON Lines in and out)")
    if "dask" in results:
        dask = results["dask"]
        axes.plot([1, 2], [dask["small_one_worker"]["items_per_second"], dask["small_two_workers"]["items_per_second"]], marker="s", label="Dask workers (DataFrame)")
    axes.set_xticks([1, 2])
    axes.set_xlabel("worker processes")
    axes.set_ylabel("items/s, 40-word items")
    axes.set_ylim(bottom=0)
    axes.legend()
    figure.tight_layout()
    figure.savefig(out / "throughput_vs_workers.png", dpi=120)
    plt.close(figure)


def render(results: dict[str, Any]) -> str:
    """docs/performance.md from the results: the machine, the figures, the targets and whether they are met."""
    machine_info, single = results["machine"], results["single_core"]
    short, long = single["short"], single["long"]
    cold, size = results["cold_start"], results["model_size"]
    systems = list(short["items_per_second"])
    lines = [
        "# Performance",
        "",
        "Generated by `python -m benchmarks.performance --streaming-training` (the tables and plots of one run; "
        "`results.json` beside the plots holds every figure). Items are recombined sentences of the project's "
        "quality set; fastText is trained in the same run on the texts and labels the default model is trained "
        f"from ({single['fasttext']['training_items']:,} labelled items of {single['fasttext']['of_records']:,} records, "
        f"{single['fasttext']['options']}).",
        "",
        f"Machine: {machine_info['cpu']}, {machine_info['cores']} cores, {machine_info['memory_mb'] / 1024:.0f} GB; "
        f"Python {machine_info['python']}, NumPy {machine_info['numpy']}, scikit-learn {machine_info['scikit-learn']}. "
        f"Load average at the start: {machine_info['load_average_at_start']:.1f} "
        f"({'other work shared the machine' if busy(results) else 'the machine was otherwise idle'}: "
        "single-core figures are the best of five runs taken in turn by newsclass and fastText, two for the slow "
        "scikit-learn pipeline, so that any other work weighs on every system alike).",
        "",
        "## Single core",
        "",
        "Items per second on one core, all labels scored for every item. `classify()` returns "
        "`TopicPrediction` objects (labels and rounded scores); the scorer figure is probabilities only; "
        "fastText's `predict(texts, k=-1, threshold=0)` returns every label and probability.",
        "",
        "| system | short (40 words) | long (200 words) |",
        "|---|---:|---:|",
        *[f"| {system} | {short['items_per_second'][system]:,} | {long['items_per_second'][system]:,} |" for system in systems],
        f"| **ratio newsclass `classify()` / fastText** | **{short['ratio_to_fasttext']:.2f}** | **{long['ratio_to_fasttext']:.2f}** |",
        f"| ratio newsclass scorer / fastText | {short['scorer_ratio_to_fasttext']:.2f} | {long['scorer_ratio_to_fasttext']:.2f} |",
        f"| speed-up over the scikit-learn pipeline | {short['speedup_over_scikit_learn']:.1f}x | {long['speedup_over_scikit_learn']:.1f}x |",
        "",
        f"Same predictions as the scikit-learn path on the measured items: short {short['same_predictions_as_reference']}, "
        f"long {long['same_predictions_as_reference']} (the features are bit-for-bit equal; `tests/test_fast.py`).",
        "",
        f"Warm single-item latency: median {single['latency_ms']['median']:.2f} ms, 99th percentile {single['latency_ms']['p99']:.2f} ms.",
        "",
        "![items/s against chunk size](performance/throughput_vs_batch_size.png)",
        "",
        "| chunk size | " + " | ".join(single["batch_size"]) + " |",
        "|---|" + "---:|" * len(single["batch_size"]),
        "| items/s | " + " | ".join(f"{rate:,}" for rate in single["batch_size"].values()) + " |",
        "",
        "## Start-up and memory",
        "",
        "`classify()`, `classify_page()` and `classify_stream()` with the default model or a model path read only "
        "what scoring needs from the model file, with NumPy alone: neither scikit-learn nor SciPy is imported. "
        "The whole scikit-learn model is built only when asked for (`default_model()`, `load_model()`, "
        "`explain=True`, training).",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| `import newsclass` | {cold['import']:.3f} s |",
        f"| first `classify()`: reads the default model's scorer, builds its tables, scores | {cold['first_classify']:.2f} s |",
        f"| **import + load (import, then the first `classify()`)** | **{cold['import_plus_load']:.2f} s** |",
        f"| **CLI on one text, cold** (`newsclass classify --text ...`) | **{cold['cli_one_text']:.2f} s** |",
        f"| then `default_model()`: the whole model, scikit-learn imported | {cold['whole_model']:.2f} s |",
        f"| model file on disk | {size['on_disk_mb']:.1f} MB |",
        f"| memory held by the scorer (tracemalloc) | {size['held_scorer_mb']:.0f} MB |",
        f"| **process RSS growth: scorer loaded, after the first `classify()`** | **{size['rss_growth_scorer_mb']:.0f} MB** |",
        f"| memory held by the whole model and its fast path (tracemalloc) | {size['held_whole_model_mb']:.0f} MB |",
        f"| process RSS growth: whole model and its fast path | {size['rss_growth_whole_model_mb']:.0f} MB |",
        "",
        f"Load average during the cold-start runs: {cold.get('load_average', float('nan')):.1f} (median of three runs each).",
        "",
        "## More than one core",
        "",
    ]
    cli, stream = results["cli_jobs"], results["stream_memory"]
    lines += [
        f"`newsclass classify --items-jsonl` on {cli['items']:,} short items (JSON Lines in and out, start-up included; "
        f"runs taken in turn, best of two; load average {cli.get('load_average', float('nan')):.1f}): "
        f"{cli['jobs_1_items_per_second']:,} items/s with `--jobs 1`, {cli['jobs_2_items_per_second']:,} items/s with `--jobs 2`, "
        f"{cli.get('jobs_2_chunk_4096_items_per_second', 0):,} items/s with `--jobs 2 --chunk-size 4096`. With `--jobs N` the "
        "workers parse the JSON lines, score and write the output lines themselves; this process only reads and writes text.",
        "",
        "Peak RSS of `classify_stream()` in one process (VmHWM, whole process):",
        "",
        "| items | seconds | items/s | peak RSS |",
        "|---:|---:|---:|---:|",
        *[f"| {int(run['items']):,} | {run['seconds']:.0f} | {run['items_per_second']:,.0f} | {run['peak_rss_mb']:.0f} MB |" for run in stream["runs"].values()],
        "",
        f"Growth from the smaller to the larger run: {stream['growth']:+.1%} (target: within 10%).",
        "",
    ]
    if "dask" in results:
        dask = results["dask"]
        large = dask["large"]
        lines += [
            "Dask, `newsclass.dask.classify_dataframe` on a `distributed.LocalCluster` (one thread per worker "
            "process; items generated on the workers, only counts brought back; the model is loaded on every worker "
            "before the clock starts):",
            "",
            "| items | workers | seconds | items/s | peak RSS per worker |",
            "|---:|---:|---:|---:|---|",
            *[f"| {run['items']:,} | {run['workers']} | {run['seconds']:.1f} | {run['items_per_second']:,} | "
              + ", ".join(f"{value} MB" for value in run["peak_rss_mb_per_worker"]) + " |"
              for run in (dask["small_one_worker"], dask["small_two_workers"], large)],
            "",
            f"1 million items with two workers: {large['seconds']:.0f} s (target: under 120 s); peak RSS per worker "
            f"{dask['rss_growth_small_to_large']:+.1%} from 100k to 1M items (target: within 10%).",
            "",
        ]
    lines += ["![items/s against worker processes](performance/throughput_vs_workers.png)", ""]
    if "streaming_training" in results:
        training = results["streaming_training"]
        lines += [
            "## Out-of-core training",
            "",
            _separate_run_note(training)
            + f"`newsclass train` (in memory) and `newsclass train --streaming` (hashed features, SGD, {training.get('passes', 3)} passes) on the same CSV "
            f"of the default model's training data ({training['records']:,} records"
            + (", a random sample" if training.get("sample") else "") + f", {training['csv_mb']} MB; "
            "uncertain labels count as negatives in both, as a CSV has no per-label weights), scored on the project's "
            "quality set and on the CSV's held-out tenth:",
            "",
            "| trainer | seconds | terms | macro-F1, quality set | macro-F1, held-out tenth |",
            "|---|---:|---:|---:|---:|",
            *[f"| {name.replace('_', ' ')} | {training[name]['seconds']:.0f} | {training[name]['terms']:,} | "
              f"{training[name]['quality_set_macro_f1']} | {training[name]['held_out_macro_f1']} |" for name in ("in_memory", "streaming")],
            "",
            f"Difference (streaming - in memory): quality set {training.get('quality_set_macro_f1_difference', 'n/a')}, "
            f"held-out tenth {training.get('held_out_macro_f1_difference', 'n/a')} (target: within 0.03).",
            "",
        ]
    lines += ["## Targets", "", *targets(results), "", *notes(results)]
    return "\n".join(lines)


def busy(results: dict[str, Any]) -> bool:
    """Whether other work used a core when the run started (load average 1.5 or more on 2 cores)."""
    return results["machine"]["load_average_at_start"] >= 1.5


def notes(results: dict[str, Any]) -> list[str]:
    """What the figures rest on, and why a target is not met, from the results of the run."""
    single, cold, size, cli = results["single_core"], results["cold_start"], results["model_size"], results["cli_jobs"]
    lines = [
        "## Notes",
        "",
        f"- **Load.** {'Other work shared' if busy(results) else 'Nothing else used'} the 2 cores during the run "
        f"(load average {results['machine']['load_average_at_start']:.1f} at the start, "
        f"{cli.get('load_average', float('nan')):.1f} during the `--jobs` runs). Single-core figures alternate between "
        "the systems, so any load weighs on each alike; start-up times and `--jobs` do not have that protection and "
        "move with the load.",
        f"- **Cold start.** `import newsclass` imports only its version ({cold['import']:.3f} s). The first "
        f"`classify()` imports NumPy (0.1-0.2 s), reads and checks the model file (inflating {size['on_disk_mb']:.1f} MB "
        "of ZIP, checksums, shapes, duplicate terms: about 0.1 s) and builds the scorer's tables (about 0.15 s); "
        f"{cold['import_plus_load']:.2f} s in all. On a busy machine (load average 5-6) the same step took 0.48 s, "
        "and up to 0.9 s during development: the 0.5 s target leaves little room under load.",
        f"- **Long items.** The word look-up is one NumPy hash table look-up per batch for ASCII words of up to "
        "eight bytes, and another for words of 9 to 16 bytes (keyed by both halves, each hit checked against them); "
        "the rest is per token (bytes operations, a sort of the (text, feature) keys). The default model also "
        "scores each long item's lead (its first 60 tokens) from the text's own term occurrences, as more rows of "
        "the same pass: more work on a 200-word item, which the second word table pays back in part. "
        f"`classify()` is {single['long']['ratio_to_fasttext']:.2f}x fastText on 200-word items. The scorer row is one call on all "
        "items at once, without `classify()`'s chunking, which keeps a chunk's arrays in the caches: for long "
        "items it is slower than `classify()` itself.",
        f"- **Memory.** The scorer holds {size['held_scorer_mb']:.0f} MB; the process grows by "
        f"{size['rss_growth_scorer_mb']:.0f} MB, as loading's temporary objects are freed but the allocator keeps "
        "most of their memory for reuse.",
        f"- **`--jobs 2`** gave {cli['jobs_2_items_per_second'] / cli['jobs_1_items_per_second']:.2f}x the items/s of "
        "`--jobs 1`. The parent does not parse or write JSON (with `--items-jsonl` and JSON Lines output the "
        "workers do it all, the parent's main thread waits most of the run); starting two workers costs about "
        "0.7 s (1,000 items, measured during development: 0.67 s with one job, 1.37 s with two). With both cores "
        "busy with other work (load average 6) the same runs gave 0.70x: there is no idle core for a second worker.",
    ]
    if "streaming_training" in results:
        lines.append(
            "- **Streaming training.** Its defaults (8 passes, 600,000 hashed columns kept) were chosen by macro-F1 on "
            "the trainer's own validation rows of the training CSV, never on the held-out tenth or the quality set: "
            "5 passes and 200,000 columns 0.6882, 600,000 columns 0.6909, with 2^22 hashed columns 0.6909, "
            "8 passes and 600,000 columns 0.6975, half the default alpha 0.6855. The held-out tenth's negatives are "
            "noisy (uncertain labels count as negatives), which weighs more on SGD than on the exact solver."
        )
    return [*lines, ""]


def targets(results: dict[str, Any]) -> list[str]:
    single, cold, size = results["single_core"], results["cold_start"], results["model_size"]
    rows = [
        ("ratio to fastText, short items, single core", ">= 1.0", f"{single['short']['ratio_to_fasttext']:.2f}", single["short"]["ratio_to_fasttext"] >= 1.0),
        ("ratio to fastText, long items, single core", ">= 1.0", f"{single['long']['ratio_to_fasttext']:.2f}", single["long"]["ratio_to_fasttext"] >= 1.0),
        ("warm single-item latency", "< 1 ms", f"{single['latency_ms']['median']:.2f} ms", single["latency_ms"]["median"] < 1.0),
        ("import + default model (first `classify()`)", "< 0.5 s", f"{cold['import_plus_load']:.2f} s", cold["import_plus_load"] < 0.5),
        ("CLI on one item, cold", "< 1 s", f"{cold['cli_one_text']:.2f} s", cold["cli_one_text"] < 1.0),
        ("default model in memory (held, scorer)", "< 100 MB", f"{size['held_scorer_mb']:.0f} MB", size["held_scorer_mb"] < 100),
        ("default model in memory (RSS growth, scorer)", "< 100 MB", f"{size['rss_growth_scorer_mb']:.0f} MB", size["rss_growth_scorer_mb"] < 100),
        ("`--jobs 2` faster than `--jobs 1`", "> 1.0x", f"{results['cli_jobs']['jobs_2_items_per_second'] / results['cli_jobs']['jobs_1_items_per_second']:.2f}x",
         results["cli_jobs"]["jobs_2_items_per_second"] > results["cli_jobs"]["jobs_1_items_per_second"]),
        ("streaming peak RSS, small to large run", "within 10%", f"{results['stream_memory']['growth']:+.1%}", abs(results["stream_memory"]["growth"]) <= 0.10),
    ]
    if "dask" in results:
        dask = results["dask"]
        rows += [
            ("1M short items, Dask, 2 workers", "< 120 s", f"{dask['large']['seconds']:.0f} s", dask["large"]["seconds"] < 120),
            ("Dask peak RSS per worker, 100k to 1M", "within 10%", f"{dask['rss_growth_small_to_large']:+.1%}", abs(dask["rss_growth_small_to_large"]) <= 0.10),
        ]
    if "streaming_training" in results and "quality_set_macro_f1_difference" in results["streaming_training"]:
        difference = results["streaming_training"]["quality_set_macro_f1_difference"]
        rows.append(("streaming training macro-F1 vs in memory (quality set)", "within 0.03", f"{difference:+.3f}", abs(difference) <= 0.03 or difference > 0))
        held = results["streaming_training"]["held_out_macro_f1_difference"]
        rows.append(("streaming training macro-F1 vs in memory (held-out tenth)", "within 0.03", f"{held:+.3f}", abs(held) <= 0.03 or held > 0))
    return ["| target | wanted | measured | met |", "|---|---|---|---|",
            *[f"| {name} | {wanted} | {measured} | {'yes' if met else '**no**'} |" for name, wanted, measured, met in rows]]


def _separate_run_note(training: dict[str, Any]) -> str:
    """Where the training comparison's figures come from, when not from the run of the other tables."""
    if not training.get("separate_run"):
        return ""
    if training["in_memory"].get("from_an_earlier_run"):
        return ("The streaming trainer was measured in a separate run after the others (`--only-training`); the "
                "in-memory figures are those of an earlier run of the same recipe (same data and seed, same model). ")
    return ("Both trainers were measured in a separate run after the others (`--only-training`), since the "
            "in-memory recipe changed after it (its class weights). ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer items, for a smoke test (figures not for the docs)")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "performance")
    parser.add_argument("--fasttext-sample", type=int, help="train fastText on a sample of this many records")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--streaming-training", action="store_true", help="also compare streaming and in-memory training")
    parser.add_argument("--training-sample", type=int, help="compare the trainers on a random sample of this many records")
    parser.add_argument("--render-only", action="store_true", help="only redraw the plots and docs/performance.md from results.json")
    parser.add_argument("--only-training", action="store_true", help="only re-run the training comparison, into results.json")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.render_only or args.only_training:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        if args.only_training:
            from benchmarks.performance_training import compare_training, in_memory_parameters

            earlier = results.get("streaming_training", {}).get("in_memory")
            if earlier is not None and earlier.get("parameters") != in_memory_parameters():
                earlier = None  # the in-memory recipe changed since: measure it again
            results["streaming_training"] = {**compare_training(args.quick, args.training_sample, earlier), "separate_run": True}
            (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        plots(results, args.out)
        (REPOSITORY / "docs" / "performance.md").write_text(render(results), encoding="utf-8")
        return 0
    pool = sentence_pool()
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}

    def step(name: str, function: Callable[[], Any]) -> None:
        began = time.perf_counter()
        results[name] = function()
        print(f"{name}: {time.perf_counter() - began:.0f}s {json.dumps(results[name])[:400]}", file=sys.stderr)
        # Written after every step, so that a long run interrupted late keeps what it measured.
        (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")

    step("single_core", lambda: single_core(pool, args.quick, args.fasttext_sample))
    step("cold_start", cold_start)
    step("model_size", model_size)
    step("cli_jobs", lambda: cli_jobs(pool, args.quick))
    step("stream_memory", lambda: stream_memory(args.quick))
    if not args.skip_dask:
        step("dask", lambda: dask_runs(pool, args.quick))
    if args.streaming_training:
        from benchmarks.performance_training import compare_training

        step("streaming_training", lambda: compare_training(args.quick, args.training_sample))
    results["total_seconds"] = round(time.perf_counter() - started)
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    plots(results, args.out)
    if not args.quick:
        (REPOSITORY / "docs" / "performance.md").write_text(render(results), encoding="utf-8")
    print(f"wrote {args.out / 'results.json'} and the plots in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
