"""One test of the model benchmark for newsclass alone, with the recipe changed: the experiments
table of docs/benchmarks.md.

    python -m benchmarks.recipe_variants --split 1                        # the recipe as it is
    python -m benchmarks.recipe_variants --split 1 --set C=8              # a hyperparameter changed
    python -m benchmarks.recipe_variants --split 1 --set stop_words=null  # values are JSON
    python -m benchmarks.recipe_variants --split 0 --own-item-weight 20 --no-short-views
    python -m benchmarks.recipe_variants --split 1 --set lead_tokens=null # whole texts only
    python -m benchmarks.recipe_variants --split 1 --set class_weight='"balanced"'  # full class weights
    python -m benchmarks.recipe_variants --split 1 --demote-unnamed defence,diplomacy
    python -m benchmarks.recipe_variants --split 1 --demote-unnamed defence --demote-where conflict
    python -m benchmarks.recipe_variants --split 1 --lead-combination lead       # a long text scored by its lead only
    python -m benchmarks.recipe_variants --split 1 --defence-outside-fighting    # war stories' defence, training and truth
    python -m benchmarks.recipe_variants --split 1 --weather-review              # CAP 26 review + own weather items
    python -m benchmarks.recipe_variants --split 1 --weather-review --without-weather-items   # the review alone
    python -m benchmarks.recipe_variants --split 1 --set threshold_rule='"calibrated"'  # thresholds at half the best F1
    python -m benchmarks.recipe_variants --split 1 --group-views                 # no item's short view in its validation

Splits as in benchmarks.model_benchmark: 0 NYT-CAP held out, 1 AllSides held out, 2 outlets held
out, 3 the quality set and the weather set (and, when ../shared is there, the shared fixture page). A split takes one
to six minutes on 2 cores; the figures match the full benchmark's newsclass row for the same recipe.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence

import numpy as np

from newsclass import TopicClassifier
from newsclass._evaluate import score_label_sets
from newsclass._train import read_labelled_csv
from training.quality_floors import WEATHER_SET, fixture_exact_items, fixture_items
from training.sources import (
    SOURCE_NAMES,
    TAXONOMY_LABELS,
    LabelledText,
    vocabulary_scores,
)
from training.train_default import HYPERPARAMETERS, OWN_ITEM_WEIGHT, training_arrays

from .model_benchmark import (
    LABELS,
    benchmark_records,
    cross_source_splits,
    indicator,
    parse_settings,
    quality_set_split,
    scores,
)

WEAK_F1, WEAK_SUPPORT = 0.6, 30  # the target: labels with 30 test items reach F1 0.6


def summary(truth: np.ndarray, known: np.ndarray, predicted: np.ndarray, *, every_label: bool = False) -> dict[str, object]:
    """Macro- and micro-F1, and the labels under the target (or, with ``every_label``, all of them)
    with their precision and recall."""
    outcome = scores(truth, known, predicted)
    labels = {}
    for column, label in enumerate(LABELS):
        value = outcome["labels"].get(label)
        if value is not None and (every_label or (value["support"] >= WEAK_SUPPORT and value["f1"] < WEAK_F1)):
            mask = known[:, column]
            hits = int((predicted[mask, column] & truth[mask, column]).sum())
            labels[label] = {
                "f1": value["f1"],
                "precision": round(hits / max(int(predicted[mask, column].sum()), 1), 3),
                "recall": round(hits / max(int(truth[mask, column].sum()), 1), 3),
            }
    return {"macro_f1": outcome["macro_f1"], "micro_f1": outcome["micro_f1"], ("labels" if every_label else "below_target"): labels}


def demote_unnamed(
    records: Sequence[LabelledText], labels: frozenset[str], where: frozenset[str] = frozenset()
) -> list[LabelledText]:
    """Turn each uncertain label of ``labels`` into a negative where the item's opening does not name it.

    The experiment "a main subject is named in the opening": a label the source left uncertain
    but whose vocabulary scores 0 or less (:func:`training.sources.vocabulary_scores`) is taken
    as absent, so war stories that never name the army teach the model they are not defence.
    With ``where``, only items that have one of those labels as a positive are changed.
    """
    demoted = []
    for record in records:
        candidates = record.uncertain & labels if not where or record.positives & where else frozenset()
        if candidates:
            scores = vocabulary_scores(record.text)
            unnamed = {label for label in candidates if scores.get(label, 0) <= 0}
            record = dataclasses.replace(record, uncertain=record.uncertain - unnamed) if unnamed else record
        demoted.append(record)
    return demoted


def defence_outside_fighting(records: Sequence[LabelledText]) -> list[LabelledText]:
    """The taxonomy's reading of defence ("outside active fighting") applied to war stories.

    In an item with conflict as a positive, a defence positive becomes uncertain (AllSides files
    US forces fighting under its ``defense`` tag) and an uncertain defence the opening does not
    name becomes a negative (:func:`demote_unnamed`). Meant for the training records and the
    test truth alike, as a mapping review would change both; hand-labelled items (the own files,
    the quality set) keep their labels.
    """
    reviewed = []
    for record in records:
        if record.source in SOURCE_NAMES and "conflict" in record.positives:
            if "defence" in record.positives:
                record = dataclasses.replace(record, positives=record.positives - {"defence"}, uncertain=record.uncertain | {"defence"})
            (record,) = demote_unnamed([record], frozenset({"defence"}))
        reviewed.append(record)
    return reviewed


# How a long text's lead and whole-text scores make its score (TopicClassifier takes the higher).
LEAD_COMBINATIONS = {
    "max": lambda lead, whole: np.maximum(lead, whole),
    "lead": lambda lead, whole: lead,
    "max-of-mean": lambda lead, whole: np.maximum(lead, (lead + whole) / 2),
}


def with_lead_combination(model: TopicClassifier, name: str) -> TopicClassifier:
    """``model`` scoring long texts with another combination (calibration and thresholds included)."""
    combine = LEAD_COMBINATIONS[name]
    if name == "max":
        return model

    class Combined(TopicClassifier):
        _combine = staticmethod(combine)

    return Combined(**model.get_params())


def fixture_exact(model: TopicClassifier) -> int | None:
    """The fixture page's exact items through the model's own predict: a changed lead combination
    is not what the fast path of ``classify`` computes."""
    page = fixture_items()
    if page is None:
        return None
    items, gold = page
    predicted = model.predict_labels([item.text for item in items])
    return sum(tuple(sorted(labels)) == expected for labels, expected in zip(predicted, gold))


def weather_set_summary(model: TopicClassifier) -> dict[str, object]:
    """Disaster F1 on the weather set and how many of its routine forecasts get any label."""
    data = read_labelled_csv(WEATHER_SET, allowed_labels=LABELS)
    predicted = model.predict_labels(data.texts)
    forecasts = [labels for labels, gold in zip(predicted, data.label_sets) if not gold]
    per_label, _micro, _macro = score_label_sets(data.label_sets, predicted, LABELS)
    return {
        "disaster_f1": round(per_label["disaster"].f1, 4),
        "forecasts_tagged": f"{sum(bool(labels) for labels in forecasts)} of {len(forecasts)}",
    }


def parse_labels(value: str) -> frozenset[str]:
    """``--demote-unnamed``'s value: comma-separated taxonomy labels, or "all"."""
    labels = frozenset(TAXONOMY_LABELS) if value == "all" else frozenset(value.split(","))
    unknown = sorted(labels - set(TAXONOMY_LABELS))
    if unknown:
        raise argparse.ArgumentTypeError(f"not taxonomy labels: {', '.join(unknown)}")
    return labels


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", type=int, required=True, choices=range(4))
    parser.add_argument("--set", action="append", default=[], metavar="NAME=JSON", help="a TopicClassifier hyperparameter")
    parser.add_argument("--own-item-weight", type=float, default=OWN_ITEM_WEIGHT)
    parser.add_argument("--no-short-views", action="store_true")
    parser.add_argument("--jobs", type=int, default=-1)
    parser.add_argument(
        "--demote-unnamed", type=parse_labels, default=frozenset(), metavar="LABELS",
        help="uncertain training labels (comma-separated, or all) become negatives where the opening does not name them",
    )
    parser.add_argument(
        "--demote-where", type=parse_labels, default=frozenset(), metavar="LABELS",
        help="with --demote-unnamed: only in items that have one of these labels (e.g. conflict: war stories)",
    )
    parser.add_argument(
        "--lead-combination", choices=list(LEAD_COMBINATIONS), default="max",
        help="how a long text's lead and whole-text scores combine (default: max, the recipe's)",
    )
    parser.add_argument(
        "--defence-outside-fighting", action="store_true",
        help="war stories' defence: positives become uncertain, unnamed ones negatives, in the training and the test truth",
    )
    parser.add_argument(
        "--group-views", action="store_true",
        help="hold an item and its short view out together in the validation splits (TopicClassifier.fit's groups)",
    )
    parser.add_argument(
        "--weather-review", action="store_true",
        help="CAP 26's disaster only where named (training and truth), and the candidate own weather items",
    )
    parser.add_argument(
        "--without-weather-items", action="store_true",
        help="with --weather-review: the CAP 26 review alone, without the candidate own weather items",
    )
    args = parser.parse_args(argv)
    if args.without_weather_items and not args.weather_review:
        parser.error("--without-weather-items goes with --weather-review")

    records = benchmark_records(args.weather_review, weather_items=not args.without_weather_items)
    split = [*cross_source_splits(records), quality_set_split(records)][args.split]
    if args.defence_outside_fighting:
        split = dataclasses.replace(split, train=defence_outside_fighting(split.train), test=defence_outside_fighting(split.test))
    started = time.perf_counter()
    texts, label_sets, weights, groups = training_arrays(
        demote_unnamed(split.train, args.demote_unnamed, args.demote_where), own_item_weight=args.own_item_weight, short_views=not args.no_short_views
    )
    model = TopicClassifier(n_jobs=args.jobs, **{"random_state": 0, **HYPERPARAMETERS, **parse_settings(args.set)})
    model = with_lead_combination(model, args.lead_combination)
    model.fit(texts, label_sets, label_weight=weights, groups=groups if args.group_views else None)
    result: dict[str, object] = {"split": split.name, "training_seconds": round(time.perf_counter() - started)}

    order = [list(model.classes_).index(label) for label in LABELS]
    truth, known = indicator(split.test)
    predicted = model.predict([r.text for r in split.test])[:, order]
    # On the quality set every label counts (the gate's floors), not only those under 0.6.
    result.update(summary(truth, known, predicted, every_label=split.test[0].source == "quality"))
    result["thresholds"] = {label: float(model.thresholds_[column]) for column, label in zip(order, LABELS)}
    if split.test[0].source == "quality":
        result["fixture_exact_items"] = fixture_exact_items(model) if args.lead_combination == "max" else fixture_exact(model)
        result["weather_set"] = weather_set_summary(model)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
