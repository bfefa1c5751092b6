"""Pin the quality gate: per-label F1 floors of the shipped model on the project's labelled set.

    python -m training.quality_floors            # show current scores against the pinned floors
    python -m training.quality_floors --update   # re-pin after retraining the default model

Each floor is the measured F1 minus a margin of 0.02 (rounded down to 0.01), so tiny numeric
differences between machines do not fail the gate while a real regression does. The number of
items of the shared fixture page (../shared/fixtures) that get exactly their gold labels is
pinned too, when that page is present, and so is the disaster F1 on the weather set (routine
forecasts that must get no label, and weather disasters). The file also
records the SHA-256 of the labelled sets and of the model, so a new model or changed data fails
the gate until someone re-pins the floors, and lowering a floor shows up in review.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

from newsclass import StoryItem, classify, default_model_path, segment
from newsclass._evaluate import evaluate

REPOSITORY = Path(__file__).resolve().parent.parent
QUALITY_SET = REPOSITORY / "tests" / "data" / "quality_set.csv"
WEATHER_SET = REPOSITORY / "tests" / "data" / "weather_set.csv"
FLOORS = REPOSITORY / "tests" / "data" / "quality_floors.json"
SHARED_FIXTURE = REPOSITORY.parent / "shared" / "fixtures" / "gzero_digest.txt"
MARGIN = 0.02


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture_items() -> tuple[list[StoryItem], list[tuple[str, ...]]] | None:
    """The shared fixture page's story items and their gold label sets, sorted; None when the page is absent."""
    if not SHARED_FIXTURE.is_file():
        return None
    gold = json.loads(SHARED_FIXTURE.with_suffix(".gold.json").read_text(encoding="utf-8"))
    return list(segment(SHARED_FIXTURE.read_bytes())), [tuple(sorted(item["labels"])) for item in gold["items"]]


def fixture_label_sets(model: Any = None) -> list[tuple[tuple[str, ...], tuple[str, ...]]] | None:
    """(predicted, gold) label sets of the shared fixture page's items, sorted; None when the page is absent.

    ``model`` is what :func:`newsclass.classify` takes: None for the default model.
    """
    page = fixture_items()
    if page is None:
        return None
    items, gold = page
    return [(tuple(sorted(p.labels)), labels) for p, labels in zip(classify(items, model=model), gold)]


def fixture_exact_items(model: Any = None) -> int | None:
    """How many items of the shared fixture page get exactly their gold label set (None: page absent)."""
    pairs = fixture_label_sets(model)
    return None if pairs is None else sum(predicted == expected for predicted, expected in pairs)


def floor(f1: float) -> float:
    """The pinned floor of a measured F1: MARGIN below it, rounded down to 0.01."""
    return math.floor((f1 - MARGIN) * 100) / 100


def measured_floors() -> dict[str, object]:
    result = evaluate(None, QUALITY_SET)
    weather = evaluate(None, WEATHER_SET).labels["disaster"].f1
    fixture = fixture_exact_items()
    return {
        "fixture_exact_items": fixture,
        "quality_set_sha256": sha256(QUALITY_SET),
        "model_sha256": sha256(default_model_path()),
        "margin": MARGIN,
        "measured": {label: scores.f1 for label, scores in result.labels.items()} | {"macro": result.macro.f1, "micro": result.micro.f1},
        "floors": {label: floor(scores.f1) for label, scores in result.labels.items()} | {"macro": floor(result.macro.f1)},
        "weather_set": {"sha256": sha256(WEATHER_SET), "disaster_f1": weather, "floor": floor(weather)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Show or re-pin the quality-gate floors.")
    parser.add_argument("--update", action="store_true", help=f"write the floors to {FLOORS.relative_to(REPOSITORY)}")
    args = parser.parse_args(argv)
    current = measured_floors()
    if args.update:
        FLOORS.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {FLOORS}")
    pinned = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    floors = pinned.get("floors", {})
    for label, f1 in current["measured"].items():
        print(f"{label:<12} F1 {f1:.3f}  floor {floors.get(label, float('nan')):.2f}")
    weather_floor = pinned.get("weather_set", {}).get("floor", float("nan"))
    print(f"weather set  disaster F1 {current['weather_set']['disaster_f1']:.3f}  floor {weather_floor:.2f}")
    print(f"shared fixture: {current['fixture_exact_items']} of 8 items get exactly their gold labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
