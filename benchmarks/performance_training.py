"""Streaming (out-of-core) training against in-memory training on the same CSV (part of benchmarks/performance.py).

Both read one CSV written from the texts and positive labels the default model is trained from
(training/sources.py: ``read_all()`` + ``read_own_labelled()``); uncertain labels count as
negatives in both, since a CSV has no per-label weights. Both models are scored on the project's
quality set (every label known) and on the held-out tenth of the CSV.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
QUALITY_SET = REPOSITORY / "tests" / "data" / "quality_set.csv"


def write_training_csv(folder: Path, sample: int | None) -> tuple[Path, Path, int]:
    """The default training data as a train CSV and a held-out CSV (every tenth record)."""
    from training.sources import default_data_dir, read_all, read_own_labelled

    records = read_all(default_data_dir()) + read_own_labelled()
    random.Random(0).shuffle(records)
    if sample is not None:
        records = records[:sample]
    train, held_out = folder / "train.csv", folder / "held_out.csv"
    with train.open("w", encoding="utf-8", newline="") as train_file, held_out.open("w", encoding="utf-8", newline="") as held_file:
        writers = [csv.writer(train_file), csv.writer(held_file)]
        for writer in writers:
            writer.writerow(["text", "labels"])
        for number, record in enumerate(records):
            writers[number % 10 == 9].writerow([record.text, "|".join(sorted(record.positives))])
    return train, held_out, len(records)


def compare_training(quick: bool, sample: int | None = None, in_memory: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train both ways and score both; ``in_memory`` reuses the in-memory figures of an earlier run
    on the same data (the same data and seed give the same model, so only its time is not re-measured)."""
    import newsclass
    from newsclass._stream_train import DEFAULT_PASSES, train_streaming

    results: dict[str, Any] = {"passes": DEFAULT_PASSES}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        train, held_out, records = write_training_csv(folder, 8_000 if quick else sample)
        results["records"] = records
        results["sample"] = sample
        results["csv_mb"] = round(train.stat().st_size / 2**20, 1)
        if in_memory is not None:
            results["in_memory"] = {**in_memory, "from_an_earlier_run": True}
        for kind in ("streaming",) if in_memory is not None else ("in_memory", "streaming"):
            started = time.perf_counter()
            if kind == "in_memory":
                model = newsclass.train(train, folder / kind, progress=lambda message: None)
            else:
                model = train_streaming(train, folder / kind, progress=lambda message: None)
            seconds = time.perf_counter() - started
            labels = set(str(label) for label in model.classes_)
            quality = newsclass.evaluate(model, QUALITY_SET) if labels >= _labels_of(QUALITY_SET) else None
            held = newsclass.evaluate(model, held_out)
            results[kind] = {
                **({"parameters": in_memory_parameters()} if kind == "in_memory" else {}),
                "seconds": round(seconds, 1),
                "terms": int(model.coef_.shape[1]),
                "quality_set_macro_f1": None if quality is None else round(quality.macro.f1, 4),
                "held_out_macro_f1": round(held.macro.f1, 4),
            }
    for measure in ("quality_set_macro_f1", "held_out_macro_f1"):
        memory, streaming = results["in_memory"][measure], results["streaming"][measure]
        if memory is not None and streaming is not None:
            results[f"{measure}_difference"] = round(streaming - memory, 4)
    return results


def in_memory_parameters() -> dict[str, Any]:
    """The in-memory trainer's default hyperparameters, as JSON: figures of another recipe are not reused."""
    import json

    from newsclass import TopicClassifier

    return json.loads(json.dumps(TopicClassifier().get_params()))


def _labels_of(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {label for row in csv.DictReader(handle) for label in row["labels"].split("|") if label}
