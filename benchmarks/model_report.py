"""Turn the cross-source benchmark's JSON results into docs/benchmarks.md tables and a plot.

    python -m benchmarks.model_report docs/benchmarks/model_benchmark_*.json

Prints the Markdown tables (paste them into docs/benchmarks.md) and writes
docs/benchmarks/per_label_f1.png (needs matplotlib: newsclass[bench]).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
SYSTEMS = ("plain", "tuned plain", "fastText", "newsclass")


def load(paths: list[Path]) -> dict[str, dict]:
    splits: dict[str, dict] = {}
    for path in paths:
        splits.update(json.loads(path.read_text(encoding="utf-8"))["splits"])
    return splits


def summary_table(splits: dict[str, dict]) -> str:
    lines = [
        "| cross-source test | system | macro-F1 | micro-F1 | training s | items/s | labels F1 ≥ 0.6 (of those with ≥ 30 test positives) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, split in splits.items():
        for system in SYSTEMS:
            result = split["systems"].get(system)
            if result is None:
                continue
            large = {label: value for label, value in result["labels"].items() if value["support"] >= 30}
            passing = sum(value["f1"] >= 0.6 for value in large.values())
            lines.append(
                f"| {name} ({split['test_items']:,} items) | {system} | {result['macro_f1']:.3f} | {result['micro_f1']:.3f} "
                f"| {result['training_seconds']:.0f} | {result['items_per_second']:,} | {passing} / {len(large)} |"
            )
    return "\n".join(lines)


def margin_table(splits: dict[str, dict]) -> str:
    lines = ["| cross-source test | newsclass macro-F1 | best peer | its macro-F1 | margin |", "|---|---|---|---|---|"]
    for name, split in splits.items():
        systems = split["systems"]
        if "newsclass" not in systems:
            continue
        peers = {system: result["macro_f1"] for system, result in systems.items() if system != "newsclass"}
        best = max(peers, key=peers.get) if peers else "-"
        ours = systems["newsclass"]["macro_f1"]
        peer = f"{best}{_chosen(systems[best].get('chosen', {}))}" if peers else best
        lines.append(f"| {name} | {ours:.4f} | {peer} | {peers.get(best, float('nan')):.4f} | {ours - peers.get(best, 0):+.4f} |")
    return "\n".join(lines)


def _chosen(settings: dict[str, object]) -> str:
    """The settings a peer's tuning chose, as " (C 4)": a margin can move with them."""
    return f" ({', '.join(f'{name} {value:g}' for name, value in settings.items())})" if settings else ""


def per_label_table(splits: dict[str, dict]) -> str:
    parts = []
    for name, split in splits.items():
        labels = sorted({label for result in split["systems"].values() for label in result["labels"]})
        present = [system for system in SYSTEMS if system in split["systems"]]
        parts += [f"**{name}**", "", "| label | support | " + " | ".join(present) + " |", "|---|---|" + "---|" * len(present)]
        for label in labels:
            support = next(r["labels"][label]["support"] for r in split["systems"].values() if label in r["labels"])
            cells = [f"{split['systems'][system]['labels'].get(label, {}).get('f1', float('nan')):.2f}" for system in present]
            parts.append(f"| {label} | {support} | " + " | ".join(cells) + " |")
        parts.append("")
    return "\n".join(parts)


def plot(splits: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    figure, axes = plt.subplots(len(splits), 1, figsize=(10, 3.2 * len(splits)), squeeze=False)
    for axis, (name, split) in zip(axes[:, 0], splits.items()):
        labels = sorted({label for result in split["systems"].values() for label in result["labels"]})
        present = [system for system in SYSTEMS if system in split["systems"]]
        width = 0.8 / max(len(present), 1)
        for offset, system in enumerate(present):
            values = [split["systems"][system]["labels"].get(label, {}).get("f1", 0) for label in labels]
            axis.bar(np.arange(len(labels)) + offset * width, values, width, label=system)
        axis.set_xticks(np.arange(len(labels)) + 0.4 - width / 2, labels, rotation=30, ha="right", fontsize=8)
        axis.set_ylim(0, 1)
        axis.set_ylabel("F1")
        axis.set_title(name, fontsize=9)
        axis.legend(fontsize=7, ncol=4)
    figure.tight_layout()
    figure.savefig(path, dpi=90)


def main(argv: list[str]) -> int:
    splits = load([Path(argument) for argument in argv])
    print(summary_table(splits), margin_table(splits), per_label_table(splits), sep="\n\n")
    plot(splits, REPOSITORY / "docs" / "benchmarks" / "per_label_f1.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
