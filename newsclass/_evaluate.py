"""Scoring a model against labelled data: per-label and averaged precision, recall, F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np

from ._classify import _resolve_model
from ._errors import NewsclassError
from ._model import TopicClassifier
from ._train import read_labelled_csv

__all__ = ["Evaluation", "LabelScores", "evaluate", "score_label_sets"]


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Precision, recall, F1 and support (true examples) of one label, or an average."""

    precision: float
    recall: float
    f1: float
    support: int

    def to_dict(self) -> dict[str, float | int]:
        """Return the scores as a JSON-ready dict."""
        # Plain Python numbers: the scores are NumPy floats where NumPy computed them.
        return {"precision": float(self.precision), "recall": float(self.recall), "f1": float(self.f1), "support": int(self.support)}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores of a model on a labelled set.

    ``macro`` averages the labels that occur in the set or in the predictions (a label neither
    names nor assigns is left out, as in scikit-learn). ``confusions`` counts, over items, pairs (true label the model missed,
    label it assigned instead; "(none)" on either side), most frequent first.
    """

    labels: dict[str, LabelScores]
    micro: LabelScores
    macro: LabelScores
    items: int
    exact_match: float
    confusions: tuple[tuple[str, str, int], ...] = ()
    probabilities: Any = field(default=None, repr=False, compare=False)
    truth: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the scores as a JSON-ready dict (without the probabilities)."""
        return {
            "items": self.items,
            "exact_match": self.exact_match,
            "micro": self.micro.to_dict(),
            "macro": self.macro.to_dict(),
            "labels": {label: scores.to_dict() for label, scores in self.labels.items()},
            "confusions": [list(confusion) for confusion in self.confusions],
        }


def score_label_sets(
    truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: Sequence[str]
) -> tuple[dict[str, LabelScores], LabelScores, LabelScores]:
    """Per-label, micro-averaged and macro-averaged scores of predicted label sets.

    The macro average is over the labels that occur in the truth or the predictions, as in
    scikit-learn: a label the data never mentions and the model never assigns says nothing
    either way, and counting it as F1 0 would make a file of a few labels look like a failure.
    """
    per_label: dict[str, LabelScores] = {}
    occurring: list[LabelScores] = []
    totals = np.zeros(3, dtype=np.int64)  # true positives, predicted, actual
    for label in labels:
        actual = np.array([label in item for item in truth])
        guessed = np.array([label in item for item in predicted])
        counts = np.array([(actual & guessed).sum(), guessed.sum(), actual.sum()])
        totals += counts
        per_label[label] = _scores(*counts)
        if counts[1] or counts[2]:
            occurring.append(per_label[label])
    micro = _scores(*totals)
    macro = LabelScores(
        precision=_mean([scores.precision for scores in occurring]),
        recall=_mean([scores.recall for scores in occurring]),
        f1=_mean([scores.f1 for scores in occurring]),
        support=int(totals[2]),
    )
    return per_label, micro, macro


def evaluate(
    model: TopicClassifier | str | PathLike[str] | None,
    data: str | PathLike[str],
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    label_separator: str = "|",
    title_column: str | None = None,
) -> Evaluation:
    """Score ``model`` on a labelled CSV (same format as for training).

    Raises
    ------
    DataError
        The CSV is unusable, or holds a label the model does not know.

    Examples
    --------
    >>> import newsclass
    >>> result = newsclass.evaluate(None, "tests/data/quality_set.csv")
    >>> result.items, sorted(result.labels)[:3]
    (234, ['conflict', 'defence', 'diplomacy'])
    """
    resolved = _resolve_model(model)
    labels = [str(label) for label in resolved.classes_]
    dataset = read_labelled_csv(
        data,
        text_column=text_column,
        labels_column=labels_column,
        label_separator=label_separator,
        title_column=title_column,
        allowed_labels=labels,
    )
    probabilities = resolved.predict_proba(dataset.texts)
    predicted = [
        tuple(label for label, probability, threshold in zip(labels, row, resolved.thresholds_) if probability >= threshold)
        for row in probabilities
    ]
    per_label, micro, macro = score_label_sets(dataset.label_sets, predicted, labels)
    return Evaluation(
        labels=per_label,
        micro=micro,
        macro=macro,
        items=len(dataset.texts),
        exact_match=round(float(np.mean([set(t) == set(p) for t, p in zip(dataset.label_sets, predicted)])), 4),
        confusions=_confusions(dataset.label_sets, predicted),
        probabilities=probabilities,
        truth=np.array([[label in item for label in labels] for item in dataset.label_sets]),
    )


def _confusions(truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> tuple[tuple[str, str, int], ...]:
    pairs: Counter[tuple[str, str]] = Counter()
    for actual, guessed in zip(truth, predicted):
        missed = set(actual) - set(guessed)
        extra = set(guessed) - set(actual)
        pairs.update((true_label, "(none)") for true_label in missed if not extra)
        pairs.update(("(none)", wrong) for wrong in extra if not missed)
        pairs.update((true_label, wrong) for true_label in missed for wrong in extra)
    return tuple((true_label, wrong, count) for (true_label, wrong), count in pairs.most_common())


def _scores(true_positive: int, predicted: int, actual: int) -> LabelScores:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScores(round(precision, 4), round(recall, 4), round(f1, 4), int(actual))


def _mean(values: list[float]) -> float:
    return round(float(np.mean(values)), 4) if values else 0.0


def write_report(evaluation: Evaluation, folder: str | PathLike[str], *, title: str = "Evaluation") -> Path:
    """Write a Markdown report with PNG plots (needs matplotlib: ``pip install 'newsclass[report]'``)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise NewsclassError("plots need matplotlib: install 'newsclass[report]'") from None
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    labels = list(evaluation.labels)
    _plot_f1_bars(plt, evaluation, labels, out / "f1_per_label.png")
    _plot_confusions(plt, evaluation, labels, out / "confusions.png")
    _plot_precision_recall(plt, evaluation, labels, out / "precision_recall_by_threshold.png")
    lines = [
        f"# {title}",
        "",
        f"{evaluation.items:,} items; exact label-set match {evaluation.exact_match:.3f}.",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
        *[
            f"| {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |"
            for label, s in [*evaluation.labels.items(), ("**micro**", evaluation.micro), ("**macro**", evaluation.macro)]
        ],
        "",
        "Most frequent confusions (true label missed → label assigned instead):",
        "",
        *[f"- {true_label} → {wrong}: {count}" for true_label, wrong, count in evaluation.confusions[:10]],
        "",
        "![F1 per label](f1_per_label.png)",
        "",
        "![Confusions](confusions.png)",
        "",
        "![Precision and recall by threshold](precision_recall_by_threshold.png)",
        "",
    ]
    report = out / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report


def _plot_f1_bars(plt: Any, evaluation: Evaluation, labels: list[str], path: Path) -> None:
    figure, axes = plt.subplots(figsize=(8, 4))
    axes.bar(labels, [evaluation.labels[label].f1 for label in labels], color="#3a6ea5")
    axes.set_ylim(0, 1)
    axes.set_ylabel("F1")
    axes.set_title("F1 per label")
    axes.tick_params(axis="x", rotation=45)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _plot_confusions(plt: Any, evaluation: Evaluation, labels: list[str], path: Path) -> None:
    names = [*labels, "(none)"]
    matrix = np.zeros((len(names), len(names)))
    for true_label, wrong, count in evaluation.confusions:
        matrix[names.index(true_label), names.index(wrong)] = count
    figure, axes = plt.subplots(figsize=(7, 6))
    image = axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(names)), names, rotation=60, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("assigned instead")
    axes.set_ylabel("true label missed")
    figure.colorbar(image)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _plot_precision_recall(plt: Any, evaluation: Evaluation, labels: list[str], path: Path) -> None:
    thresholds = np.linspace(0.05, 0.95, 19)
    figure, axes = plt.subplots(figsize=(7, 4))
    for column, label in enumerate(labels):
        truth = evaluation.truth[:, column]
        if not truth.any():
            continue
        guessed = evaluation.probabilities[:, column][:, None] >= thresholds[None, :]
        true_positive = (guessed & truth[:, None]).sum(axis=0)
        precision = true_positive / np.maximum(guessed.sum(axis=0), 1)
        recall = true_positive / truth.sum()
        axes.plot(recall, precision, marker=".", label=label)
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_title("Precision and recall as the threshold goes from 0.05 to 0.95")
    axes.legend(fontsize=6, ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
