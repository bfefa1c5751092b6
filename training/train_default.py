"""Rebuild the shipped default model from the corpora in ../shared/data.

Run from the repository root::

    python -m training.train_default            # writes models/default/
    python -m training.train_default --out /tmp/candidate

The corpora are read by path and never copied into the repository; what is
written is the model file and its model card, which credits them.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from newsclass._train import train_model

from .sources import OWN_DATA_DIR, LabelledText, default_data_dir, read_all, read_own_labelled

REPOSITORY = Path(__file__).resolve().parent.parent
TAXONOMY = (
    "conflict", "defence", "diplomacy", "immigration", "energy", "environment", "economy",
    "trade", "elections", "government", "justice", "health", "technology", "disaster",
)
# Chosen on the validation split of the training data (see docs/benchmarks.md).
# An uncertain label's item still counts as a weak negative: a war story filed as a war is
# rarely also about diplomacy, but sometimes is.
UNCERTAIN_WEIGHT = 0.0
# The project's own items are few but fully labelled: each counts as this many corpus items,
# so that their negatives (a war story that is not about diplomacy) are heard.
OWN_ITEM_WEIGHT = 10.0
# Items on digest pages, and whole corpora (NYT-CAP: a headline and a one-line summary, 14 words
# at the median), are short; AllSides (177 words) and Reuters (85) teach topics from long texts
# only. Each of their longer items therefore also trains as its short view: the title and first
# sentence, at most this many words, with the item's labels.
SHORT_VIEW_WORDS = 40
SHORT_VIEW_SOURCES = frozenset({"allsides", "reuters"})
# A sentence ends at . ! or ? before a capital or an opening quote, but not after a title.
_SENTENCE_END = re.compile(r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<=[.!?])\s+(?=[A-Z\"“‘'])")
HYPERPARAMETERS = {
    "ngram_range": (1, 2), "min_df": 2, "max_df": 0.5, "stop_words": "english", "lead_tokens": 60, "C": 4.0,
    "class_weight": "sqrt_balanced",
    # Three random validation splits, pooled: thresholds that do not hang on one split's draw.
    "validation_splits": 3,
    "max_terms": 200_000,
}

DESCRIPTION = (
    "The default newsclass topic model: TF-IDF word uni- and bigrams and one calibrated logistic "
    "regression per label of the 14-label taxonomy (docs/taxonomy.md), trained by "
    "`python -m training.train_default` from four labelled news corpora and the fully labelled "
    "items written by the project (training/data/). Each corpus has one label per item, so an item "
    "counts as a positive for its mapped topic and is left out of the training of topics it may also "
    "be about (docs/label_mapping.md), rather than taken as a negative; the project's own items state "
    "every label, and each weighs as ten corpus items, so that the model learns where neighbouring "
    "topics end (a war story is not a diplomacy story unless talks are its subject). Long AllSides "
    "and Reuters items also train as their short view (title and first sentence, at most 40 words), "
    "so that topics are learnt for short items (headlines, briefs) as well as for long ones. Terms made "
    "only of function words and reporting verbs (\"said\", \"of the\") are left out: they mark a source's "
    "register, not a story's topic. A long item is also scored by its lead (its first 60 tokens), and each "
    "topic takes the higher of the two scores: a long article's main subjects are in its opening, and over "
    "the whole text they are diluted by everything else it mentions. Each label's few positives weigh more "
    "than its many negatives, by the square roots of scikit-learn's balanced class weights."
)
CREDITS = """Trained on, and with thanks to:

- **NYT front page / Comparative Agendas Project**: A. E. Boydstun, *Making the News* (2013), Comparative Agendas Project coding; research data, free for research with citation.
- **Article-Bias-Prediction / AllSides**: R. Baly et al., "We Can Detect Your Bias", EMNLP 2020 (repository under Apache-2.0); topic tags by AllSides; article texts are their publishers'.
- **Reuters-21578, Distribution 1.0** (D. Lewis): free distribution for research purposes, copyright Reuters Ltd.
- **News Category Dataset v3** (R. Misra, 2022), CC BY 4.0.

None of their texts are shipped with newsclass; only the weights learned from them. The labelled
items in training/data/ are the project's own text."""


def short_view(text: str, limit: int = SHORT_VIEW_WORDS) -> str:
    """The title line and the first sentence of ``text``, cut to ``limit`` words.

    >>> short_view("Quake hits city\\nHundreds are feared dead. Rescuers dig on.")
    'Quake hits city Hundreds are feared dead.'
    """
    title, _, body = text.partition("\n")
    first_sentence = _SENTENCE_END.split(body.strip(), maxsplit=1)[0]
    return " ".join(f"{title} {first_sentence}".split()[:limit])


def _short_views(records: Sequence[LabelledText], limit: int = SHORT_VIEW_WORDS) -> list[tuple[int, LabelledText]]:
    """The short view of every long item of the long-text sources, with the item's index."""
    return [
        (index, dataclasses.replace(record, text=short_view(record.text, limit)))
        for index, record in enumerate(records)
        if record.source in SHORT_VIEW_SOURCES and len(record.text.split()) > limit
    ]


class TrainingArrays(NamedTuple):
    """What :meth:`TopicClassifier.fit` takes: texts, labels, a weight per item and label, and groups."""

    texts: list[str]
    label_sets: list[tuple[str, ...]]
    weights: np.ndarray
    groups: np.ndarray
    """The index of the record each row comes from: an item and its short view share it."""


def training_arrays(
    records: Sequence[LabelledText],
    *,
    uncertain_weight: float = UNCERTAIN_WEIGHT,
    own_item_weight: float = OWN_ITEM_WEIGHT,
    short_views: bool = True,
) -> TrainingArrays:
    """Texts, positive label sets, a per-item, per-label weight matrix, and each row's group.

    With ``short_views``, long corpus items also train as their short view
    (:func:`short_view`), added after the records, in the group of their item. A weight is ``uncertain_weight``
    where a label is uncertain, ``own_item_weight`` on the rows of the project's own items,
    and 1 elsewhere.
    """
    views = _short_views(records) if short_views else []
    groups = np.array([*range(len(records)), *(index for index, _ in views)])
    records = [*records, *(view for _, view in views)]
    column = {label: index for index, label in enumerate(sorted(TAXONOMY))}
    weights = np.ones((len(records), len(column)))
    for row, record in enumerate(records):
        if record.source == "own":
            weights[row] = own_item_weight
        for label in record.uncertain:
            weights[row, column[label]] = uncertain_weight
    return TrainingArrays([record.text for record in records], [tuple(sorted(record.positives)) for record in records], weights, groups)


def file_fingerprints(data_dir: Path, own_data_dir: Path = OWN_DATA_DIR) -> list[dict[str, object]]:
    """Name, size and SHA-256 of every file the training reads, for the model card: the corpora
    under ``data_dir``, and the own CSV files directly in ``own_data_dir`` (as
    :func:`training.sources.read_own_labelled` reads them; its ``candidates/`` are not)."""
    corpus_files = [path for path in sorted(data_dir.rglob("*")) if path.is_file() and path.suffix in {".csv", ".jsonl"}]
    files = [(path, data_dir) for path in corpus_files] + [(path, own_data_dir) for path in sorted(own_data_dir.glob("*.csv"))]
    fingerprints = []
    for path, folder in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        # The repository's own files are named from its root; the corpora from their folder.
        name = str(path.relative_to(REPOSITORY if path.is_relative_to(REPOSITORY) else folder))
        fingerprints.append({"path": name, "sha256": digest, "rows": _count_rows(path)})
    return fingerprints


def _count_rows(path: Path) -> int:
    """Records in a file: CSV rows (a quoted newline does not start a row) or JSON lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        if path.suffix == ".csv":
            csv.field_size_limit(sys.maxsize)
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
        return sum(1 for line in handle if line.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="folder of the corpora (default: ../shared/data)")
    parser.add_argument("--out", type=Path, default=REPOSITORY / "models" / "default", help="model folder to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=-1, help="labels fitted at once (default: -1, every core)")
    parser.add_argument(
        "--own-item-weight",
        type=float,
        default=OWN_ITEM_WEIGHT,
        help=f"weight of each of the project's own items (default: {OWN_ITEM_WEIGHT:g}; 0 trains on the corpora alone)",
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"no corpora at {args.data}: pass --data")
    started = time.perf_counter()
    records = read_all(args.data) + (read_own_labelled() if args.own_item_weight > 0 else [])
    # Not the groups: with them the thresholds cost recall on our own text (docs/benchmarks.md).
    texts, label_sets, weights, _groups = training_arrays(records, own_item_weight=args.own_item_weight)
    found = {label for labels in label_sets for label in labels}
    if found != set(TAXONOMY):
        parser.error(f"the corpora give labels {sorted(found)}, expected the taxonomy {sorted(TAXONOMY)}")
    print(f"read {len(records):,} items, {len(texts):,} rows with their short views, in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    train_model(
        texts,
        label_sets,
        args.out,
        label_weight=weights,
        sources=file_fingerprints(args.data, OWN_DATA_DIR),
        random_state=args.seed,
        n_jobs=args.jobs,
        progress=lambda message: print(message, file=sys.stderr),
        description=DESCRIPTION,
        credits=CREDITS,
        **HYPERPARAMETERS,
    )
    print(f"done in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
