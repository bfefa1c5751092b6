"""Cross-source benchmark of the default model against three peers (issue 6).

    python -m benchmarks.model_benchmark [--quick] [--out docs/benchmarks]
    python -m benchmarks.model_benchmark --weather-review --set threshold_rule='"calibrated"' --out DIR

Side by side, in one run, each system trained on the same training items and tested on the
same held-out source:

1. plain: TfidfVectorizer(sublinear_tf, (1, 2), min_df=2) + OneVsRest(LogisticRegression), threshold 0.5;
2. tuned plain: the same + English stop words, max_df=0.5, class_weight="balanced", C chosen on a
   validation split;
3. fastText supervised (loss="ova", wordNgrams=2; epochs and learning rate chosen on the validation split);
4. newsclass: the default model's recipe (training/train_default.py).

Cross-source tests: train without NYT-CAP and test on it; train without AllSides and test on it;
AllSides outlets held out by outlet (one outlet in five, by a stable hash of its name; none
of their articles is seen in training). A fourth test trains on everything and tests on the
project's own multi-label quality set (tests/data/quality_set.csv), where every label is known.
In the cross-source tests truth on a test item is known only where the source says so: a label
that the item's source marks as uncertain is left out of the scores (neither a positive nor a
negative).

Writes docs/benchmarks.md's tables as JSON and Markdown plus a per-label F1 plot. A candidate
recipe change runs in full with ``--set`` (a newsclass hyperparameter) and ``--weather-review`` (a
data change, so the peers train on it too); the results record both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier

from newsclass import TopicClassifier
from training.sources import (
    CAP_POSITIVES_NEEDING_A_NAME,
    OWN_DATA_DIR,
    WEATHER_REVIEW,
    LabelledText,
    default_data_dir,
    read_all,
    read_own_labelled,
)
from training.train_default import HYPERPARAMETERS, TAXONOMY, training_arrays

LABELS = sorted(TAXONOMY)
REPOSITORY = Path(__file__).resolve().parent.parent


@dataclass
class Split:
    name: str
    train: list[LabelledText]
    test: list[LabelledText]


def benchmark_records(weather_review: bool = False, *, weather_items: bool = True) -> list[LabelledText]:
    """The corpora and the project's own items; with ``weather_review``, CAP 26's disaster only where
    the opening names one, and (unless not ``weather_items``) the candidate own weather items
    (docs/label_mapping.md)."""
    records = read_all(default_data_dir(), cap_needing_a_name=WEATHER_REVIEW if weather_review else CAP_POSITIVES_NEEDING_A_NAME)
    candidates = read_own_labelled(OWN_DATA_DIR / "candidates") if weather_review and weather_items else []
    return records + read_own_labelled() + candidates


def parse_settings(pairs: Sequence[str]) -> dict[str, object]:
    """``--set`` values: NAME=JSON pairs of TopicClassifier hyperparameters."""
    settings = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator:
            raise SystemExit(f"--set takes NAME=VALUE, not {pair!r}")
        settings[name] = json.loads(value)
    return settings


def cross_source_splits(records: Sequence[LabelledText]) -> list[Split]:
    nyt = [r for r in records if r.source == "nyt-cap"]
    allsides = [r for r in records if r.source == "allsides"]
    held_out_outlets = {r.group for r in allsides if _held_out_outlet(r.group)}
    return [
        Split("train without NYT-CAP, test on NYT-CAP", [r for r in records if r.source != "nyt-cap"], nyt),
        Split("train without AllSides, test on AllSides", [r for r in records if r.source != "allsides"], allsides),
        Split(
            "AllSides outlets held out (one outlet in five)",
            [r for r in records if r.group not in held_out_outlets],
            [r for r in allsides if r.group in held_out_outlets],
        ),
    ]


def quality_set_split(records: Sequence[LabelledText]) -> Split:
    """Train on everything, test on the project's own multi-label set (every label known)."""
    from newsclass._train import read_labelled_csv

    data = read_labelled_csv(REPOSITORY / "tests" / "data" / "quality_set.csv", allowed_labels=LABELS)
    test = [LabelledText(text, frozenset(labels), frozenset(), "quality", "quality") for text, labels in zip(data.texts, data.label_sets)]
    return Split("train on all, test on the project's quality set (multi-label)", list(records), test)


def _held_out_outlet(group: str) -> bool:
    """One outlet in five, chosen by a stable hash of its name: whole outlets are never split."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % 5 == 0


def indicator(records: Sequence[LabelledText]) -> tuple[np.ndarray, np.ndarray]:
    """0/1 truth and a mask of the cells whose truth the source states.

    Uncertain labels and positives inferred from the text (not from the source label) are
    left out, so no rule of the training data can define the truth it is scored on.
    """
    truth = np.array([[label in r.positives for label in LABELS] for r in records], dtype=bool)
    known = np.array(
        [[label not in r.uncertain and label not in r.inferred for label in LABELS] for r in records], dtype=bool
    )
    return truth, known


def scores(truth: np.ndarray, known: np.ndarray, predicted: np.ndarray) -> dict[str, object]:
    per_label = {}
    totals = np.zeros(3)
    for column, label in enumerate(LABELS):
        mask = known[:, column]
        actual, guessed = truth[mask, column], predicted[mask, column]
        counts = np.array([(actual & guessed).sum(), guessed.sum(), actual.sum()], dtype=float)
        if counts[2] == 0:
            continue  # no test positive: F1 is undefined, the label is left out of the macro average
        totals += counts
        per_label[label] = {"f1": _f1(*counts), "support": int(counts[2])}
    return {
        "micro_f1": _f1(*totals),
        "macro_f1": round(float(np.mean([value["f1"] for value in per_label.values()])), 4),
        "labels": per_label,
    }


def _f1(true_positive: float, predicted: float, actual: float) -> float:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


# --- the four systems ------------------------------------------------------------------------
# Each takes training records and returns what it trained: a function from texts to a 0/1
# prediction matrix, and the settings its tuning chose on the validation split.


@dataclass(frozen=True)
class Trained:
    predict: Callable[[list[str]], np.ndarray]
    chosen: dict[str, object] = field(default_factory=dict)


def plain_recipe(train: Sequence[LabelledText], **_: object) -> Trained:
    texts, label_sets = [r.text for r in train], [r.positives for r in train]
    targets = np.array([[label in labels for label in LABELS] for labels in label_sets], dtype=int)
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2)
    classifier = OneVsRestClassifier(LogisticRegression(max_iter=1000), n_jobs=1)
    classifier.fit(vectorizer.fit_transform(texts), targets)
    return Trained(lambda batch: classifier.predict_proba(vectorizer.transform(batch)) >= 0.5)


def tuned_plain_recipe(train: Sequence[LabelledText], *, quick: bool = False, **_: object) -> Trained:
    texts = [r.text for r in train]
    targets = np.array([[label in r.positives for label in LABELS] for r in train], dtype=int)
    fit_rows, validation_rows = train_test_split(np.arange(len(texts)), test_size=0.15, random_state=0)

    def fit(rows: np.ndarray, c_value: float) -> tuple[TfidfVectorizer, OneVsRestClassifier]:
        vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2, max_df=0.5, stop_words="english")
        classifier = OneVsRestClassifier(LogisticRegression(C=c_value, class_weight="balanced", max_iter=1000))
        classifier.fit(vectorizer.fit_transform([texts[i] for i in rows]), targets[rows])
        return vectorizer, classifier

    best_c, best_f1 = 1.0, -1.0
    for c_value in ([1.0, 4.0] if quick else [0.25, 1.0, 4.0, 16.0]):
        vectorizer, classifier = fit(fit_rows, c_value)
        guessed = classifier.predict_proba(vectorizer.transform([texts[i] for i in validation_rows])) >= 0.5
        f1 = _macro(targets[validation_rows].astype(bool), guessed)
        if f1 > best_f1:
            best_c, best_f1 = c_value, f1
    vectorizer, classifier = fit(np.arange(len(texts)), best_c)
    return Trained(lambda batch: classifier.predict_proba(vectorizer.transform(batch)) >= 0.5, {"C": best_c})


def _macro(truth: np.ndarray, guessed: np.ndarray) -> float:
    values = [_f1((truth[:, c] & guessed[:, c]).sum(), guessed[:, c].sum(), truth[:, c].sum()) for c in range(truth.shape[1]) if truth[:, c].any()]
    return float(np.mean(values)) if values else 0.0


def fasttext_recipe(train: Sequence[LabelledText], *, quick: bool = False, **_: object) -> Trained:
    import fasttext  # benchmark-only dependency

    def line(record: LabelledText) -> str:
        labels = " ".join(f"__label__{label}" for label in sorted(record.positives)) or "__label__none"
        return f"{labels} {_fasttext_text(record.text)}"

    rows = np.arange(len(train))
    fit_rows, validation_rows = train_test_split(rows, test_size=0.15, random_state=0)
    folder = Path(tempfile.mkdtemp())

    def fit(subset: np.ndarray, epochs: int, rate: float):  # type: ignore[no-untyped-def]
        path = folder / "train.txt"
        path.write_text("\n".join(line(train[i]) for i in subset) + "\n", encoding="utf-8")
        return fasttext.train_supervised(str(path), loss="ova", wordNgrams=2, epoch=epochs, lr=rate, thread=1, verbose=0, seed=0)

    validation_truth = np.array([[label in train[i].positives for label in LABELS] for i in validation_rows])
    best, best_f1 = (10, 0.5), -1.0
    for epochs, rate in ([(10, 0.5)] if quick else [(5, 0.5), (10, 0.5), (25, 0.5), (10, 1.0), (25, 0.1)]):
        model = fit(fit_rows, epochs, rate)
        guessed = _fasttext_predict(model, [train[i].text for i in validation_rows])
        f1 = _macro(validation_truth, guessed)
        if f1 > best_f1:
            best, best_f1 = (epochs, rate), f1
    model = fit(rows, *best)
    return Trained(lambda batch: _fasttext_predict(model, batch), {"epochs": best[0], "learning_rate": best[1]})


def _fasttext_text(text: str) -> str:
    return " ".join(text.lower().split())


def _fasttext_predict(model, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    labels, _probabilities = model.predict([_fasttext_text(t) for t in texts], k=-1, threshold=0.5)
    column = {label: index for index, label in enumerate(LABELS)}
    result = np.zeros((len(texts), len(LABELS)), dtype=bool)
    for row, predicted in enumerate(labels):
        for label in predicted:
            name = label.removeprefix("__label__")
            if name in column:
                result[row, column[name]] = True
    return result


def newsclass_recipe(train: Sequence[LabelledText], *, settings: dict[str, object] | None = None, **_: object) -> Trained:
    texts, label_sets, weights, _groups = training_arrays(train)
    model = TopicClassifier(**{"random_state": 0, **HYPERPARAMETERS, **(settings or {})}).fit(texts, label_sets, label_weight=weights)
    order = [list(model.classes_).index(label) for label in LABELS]
    return Trained(lambda batch: model.predict(batch)[:, order].astype(bool))


SYSTEMS = {
    "plain": plain_recipe,
    "tuned plain": tuned_plain_recipe,
    "fastText": fasttext_recipe,
    "newsclass": newsclass_recipe,
}


def run(
    quick: bool,
    systems: Sequence[str],
    split_numbers: Sequence[int],
    save: Callable[[dict[str, object]], None] = lambda _: None,
    *,
    weather_review: bool = False,
    settings: dict[str, object] | None = None,
) -> dict[str, object]:
    """Train and score every system on every chosen split; ``save`` gets the results after each split.

    ``weather_review`` changes the data of every system; ``settings`` the newsclass recipe only.
    """
    # The project's own fully labelled items train every system, in every split; they are never tested on.
    records = benchmark_records(weather_review)
    results: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"scikit-learn {sklearn.__version__}",
        "quick": quick,
        "weather_review": weather_review,
        "newsclass_settings": settings or {},
        "splits": {},
    }
    splits = [*cross_source_splits(records), quality_set_split(records)]
    for split in [splits[number] for number in split_numbers]:
        truth, known = indicator(split.test)
        texts = [r.text for r in split.test]
        split_results = {"train_items": len(split.train), "test_items": len(split.test), "systems": {}}
        for name in systems:
            started = time.perf_counter()
            trained = SYSTEMS[name](split.train, quick=quick, settings=settings)
            training_seconds = time.perf_counter() - started
            started = time.perf_counter()
            predicted = trained.predict(texts)
            items_per_second = len(texts) / (time.perf_counter() - started)
            outcome = scores(truth, known, predicted)
            outcome.update({"training_seconds": round(training_seconds, 1), "items_per_second": round(items_per_second)})
            if trained.chosen:
                outcome["chosen"] = trained.chosen
            split_results["systems"][name] = outcome
            print(f"{split.name} | {name}: macro-F1 {outcome['macro_f1']:.3f} micro-F1 {outcome['micro_f1']:.3f} "
                  f"({training_seconds:.0f}s training)", file=sys.stderr)
        results["splits"][split.name] = split_results
        save(results)  # a long run interrupted keeps the splits it finished
    return results


def with_earlier_systems(results: dict[str, Any], earlier: dict[str, Any], source: Path) -> dict[str, Any]:
    """``results`` with, in each split, the systems of an earlier run that this run did not train."""
    reviewed = earlier.get("weather_review", False)  # runs before the field had no review
    if reviewed != results["weather_review"]:
        raise SystemExit(f"{source} was run {'with' if reviewed else 'without'} --weather-review: its peers trained on other data")
    merged = {**results, "splits": {}, "earlier_systems_from": str(source)}
    for name, split in results["splits"].items():
        previous = earlier["splits"].get(name)
        if previous is None or previous["train_items"] != split["train_items"] or previous["test_items"] != split["test_items"]:
            raise SystemExit(f"{source} has no run of {name!r} on the same items: run every system")
        systems = {system: value for system, value in previous["systems"].items() if system not in split["systems"]}
        merged["splits"][name] = {**split, "systems": {**systems, **split["systems"]}}
    return merged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller tuning grids (for a smoke run)")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--splits", nargs="+", type=int, default=[0, 1, 2, 3], help="which tests: 0-2 cross-source, 3 the quality set")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "benchmarks")
    parser.add_argument(
        "--peers-from", type=Path, metavar="JSON",
        help="take the systems not run from this earlier run's results (same data and splits; a peer's "
        "result does not depend on newsclass's recipe), to re-run newsclass alone after a recipe change",
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=JSON",
        help="a newsclass hyperparameter changed from training/train_default.py's (values are JSON)",
    )
    parser.add_argument(
        "--weather-review", action="store_true",
        help="every system's data: CAP 26's disaster only where named (training and truth), and the candidate own weather items",
    )
    args = parser.parse_args(argv)
    settings = parse_settings(args.set)
    earlier = json.loads(args.peers_from.read_text(encoding="utf-8")) if args.peers_from else None
    args.out.mkdir(parents=True, exist_ok=True)
    name = "model_benchmark" + ("" if args.splits == [0, 1, 2, 3] else "_" + "_".join(map(str, args.splits)))

    def save(results: dict[str, object]) -> None:
        if earlier is not None:
            results = with_earlier_systems(results, earlier, args.peers_from)
        (args.out / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")

    results = run(args.quick, args.systems, args.splits, save, weather_review=args.weather_review, settings=settings)
    if earlier is not None:
        results = with_earlier_systems(results, earlier, args.peers_from)
    print(json.dumps({name: {s: v["macro_f1"] for s, v in split["systems"].items()} for name, split in results["splits"].items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
