"""Rendering the Markdown model card written beside every trained model."""

from __future__ import annotations

from typing import Any

__all__ = ["render_model_card"]


def render_model_card(metadata: dict[str, Any], *, name: str) -> str:
    """Return the model card of a model from its training metadata.

    ``metadata`` may carry ``description``, ``intended_use``, ``limitations``
    and ``credits`` (Markdown) written by whoever trained the model.
    """
    sections = [
        f"# Model card: {name}",
        metadata.get("description", "A newsclass topic model: TF-IDF features and one calibrated "
                     "logistic regression per label."),
        "## Labels and training data",
        f"{metadata['rows']:,} training rows, {metadata['rows_without_label']:,} of them with no label.",
        _table(["label", "training examples", "threshold"],
               [[label, f"{count:,}", f"{metadata['thresholds'].get(label, 0.5):.2f}"]
                for label, count in metadata["label_counts"].items()]),
        "Training files:",
        _table(["file", "rows", "sha256"],
               [[source.get("path", "?"), f"{source.get('rows', 0):,}", f"`{source.get('sha256', '?')}`"]
                for source in metadata["training_files"]]) if metadata["training_files"] else "(passed in memory)",
        "## Validation scores",
        f"Precision, recall and F1 of each label {_validation_source(metadata)}, at the "
        "label's tuned threshold (the thresholds were tuned on these scores, so these figures are slightly "
        "optimistic; use `newsclass evaluate` on data of your own for unbiased ones).",
        _table(["label", "precision", "recall", "F1", "support"],
               [[label, f"{scores['precision']:.3f}", f"{scores['recall']:.3f}", f"{scores['f1']:.3f}", str(scores["support"])]
                for label, scores in metadata["validation"].items()]) if metadata["validation"] else "(no validation split)",
        "## Hyper-parameters",
        _table(["parameter", "value"], [[key, f"`{value}`"] for key, value in sorted(metadata["hyperparameters"].items())]),
        f"Vocabulary: {metadata['terms']:,} terms.",
        "## Versions",
        _table(["library", "version"], [[library, version] for library, version in metadata["versions"].items()]),
        "## Intended use and limits",
        metadata.get("intended_use", "Tagging short news items (a headline and a few paragraphs) with the labels "
                     "above. It reads English only; it learns the register and period of its training data, so "
                     "check it on a sample of your own data before you rely on it. Scores are probabilities "
                     "calibrated on the validation split, not guarantees."),
    ]
    if metadata.get("credits"):
        sections += ["## Credits", metadata["credits"]]
    return "\n\n".join(sections) + "\n"


def _validation_source(metadata: dict[str, Any]) -> str:
    """Where the validation scores come from, as the card's sentence says it."""
    hyperparameters = metadata["hyperparameters"]
    folds, splits = hyperparameters.get("validation_folds"), hyperparameters.get("validation_splits") or 1
    if folds:
        source = f"on out-of-fold scores of {folds} folds (each row scored once, by a model fitted without it)"
    elif splits > 1:
        source = (f"on the pooled held-out scores of {splits} random validation splits (a row that several "
                  "splits held out counts once for each)")
    else:
        source = "on the held-out validation split"
    groups = metadata.get("validation_groups")
    return source + (f", holding out the rows of each of {groups:,} groups together" if groups else "")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)
