"""Scoring a segmenter against gold pages: Pk, WindowDiff, item boundary F1, body tokens.

A gold page is a page file with a ``.gold.json`` beside it (the schema of
``examples/digest.gold.json``). Every measure works on the page's non-blank
lines, numbered as in the text the gold refers to (for HTML, its rendering):

* **Pk** and **WindowDiff** (Beeferman et al. 1999; Pevzner & Hearst 2002)
  compare the two segmentations of those lines, where each item is a segment
  and each run of lines outside items is one more segment; the window is half
  the mean gold segment length.
* **Boundary F1**: a predicted item matches a gold item when both its first and
  its last line are within one line of the gold item's (one-to-one matches).
* **Body-token precision and recall**: the word tokens of all predicted bodies
  against those of all gold bodies, as multisets.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GoldPage", "PageScore", "PredictedItem", "load_gold_pages", "score_page", "summarise"]

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PredictedItem:
    """What scoring needs of an item: its 1-based inclusive line span and body."""

    start_line: int
    end_line: int
    body: str


@dataclass(frozen=True, slots=True)
class GoldPage:
    """A gold page: its path, format, raw content and gold annotation."""

    path: Path
    format: str
    content: bytes
    gold: dict

    @property
    def items(self) -> list[PredictedItem]:
        return [PredictedItem(item["start_line"], item["end_line"], item["body"]) for item in self.gold["items"]]


@dataclass(frozen=True, slots=True)
class PageScore:
    """The scores of one segmentation of one page."""

    page: str
    format: str
    pk: float
    window_diff: float
    matched_items: int
    predicted_items: int
    gold_items: int
    body_overlap: int
    predicted_tokens: int
    gold_tokens: int
    seconds: float = 0.0


def load_gold_pages(root: Path) -> list[GoldPage]:
    """Every page under ``root`` that has a gold file, in path order."""
    pages = []
    for gold_path in sorted(root.rglob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        page_path = gold_path.with_name(gold["page"])
        if page_path.is_file():
            pages.append(GoldPage(page_path, gold.get("format", "other"), page_path.read_bytes(), gold))
    return pages


def _line_labels(items: Sequence[PredictedItem], content_lines: Sequence[int]) -> list[object]:
    owner = {}
    for index, item in enumerate(items):
        for number in range(item.start_line, item.end_line + 1):
            owner.setdefault(number, index)
    labels: list[object] = []
    outside_run = 0
    for number in content_lines:
        label = owner.get(number)
        if label is None:
            if not labels or not isinstance(labels[-1], str):
                outside_run += 1
            label = f"outside-{outside_run}"
        labels.append(label)
    return labels


def _boundaries(labels: Sequence[object]) -> list[int]:
    return [int(labels[position] != labels[position + 1]) for position in range(len(labels) - 1)]


def pk_and_window_diff(reference: Sequence[object], hypothesis: Sequence[object]) -> tuple[float, float]:
    """Pk and WindowDiff of two label sequences over the same units."""
    count = len(reference)
    if count < 2:
        return 0.0, 0.0
    segments = 1 + sum(_boundaries(reference))
    window = max(1, round(count / segments / 2))
    if window >= count:
        window = count - 1
    reference_breaks = _boundaries(reference)
    hypothesis_breaks = _boundaries(hypothesis)
    pk_errors = window_errors = 0
    trials = count - window
    for start in range(trials):
        same_reference = reference[start] == reference[start + window]
        same_hypothesis = hypothesis[start] == hypothesis[start + window]
        pk_errors += same_reference != same_hypothesis
        window_errors += sum(reference_breaks[start : start + window]) != sum(hypothesis_breaks[start : start + window])
    return pk_errors / trials, window_errors / trials


def matched_items(gold: Sequence[PredictedItem], predicted: Sequence[PredictedItem], *, tolerance: int = 1) -> int:
    """How many predicted items match a distinct gold item, both ends within ``tolerance`` lines."""
    unused = list(gold)
    matches = 0
    for item in predicted:
        for candidate in unused:
            if abs(candidate.start_line - item.start_line) <= tolerance and abs(candidate.end_line - item.end_line) <= tolerance:
                unused.remove(candidate)
                matches += 1
                break
    return matches


def _tokens(items: Iterable[PredictedItem]) -> Counter:
    return Counter(token.lower() for item in items for token in _TOKEN.findall(item.body))


def score_page(
    page: GoldPage, predicted: Sequence[PredictedItem], content_lines: Sequence[int], *, seconds: float = 0.0
) -> PageScore:
    """Score ``predicted`` against the gold of ``page``; ``content_lines`` are its non-blank line numbers."""
    gold_items = page.items
    pk, window_diff = pk_and_window_diff(_line_labels(gold_items, content_lines), _line_labels(predicted, content_lines))
    gold_tokens, predicted_tokens = _tokens(gold_items), _tokens(predicted)
    return PageScore(
        page=str(page.path),
        format=page.format,
        pk=pk,
        window_diff=window_diff,
        matched_items=matched_items(gold_items, predicted),
        predicted_items=len(predicted),
        gold_items=len(gold_items),
        body_overlap=sum((gold_tokens & predicted_tokens).values()),
        predicted_tokens=sum(predicted_tokens.values()),
        gold_tokens=sum(gold_tokens.values()),
        seconds=seconds,
    )


@dataclass
class Summary:
    """Scores pooled over pages: F1 and token scores micro-averaged, Pk and WindowDiff macro."""

    pages: int = 0
    pk: float = 0.0
    window_diff: float = 0.0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    body_precision: float = 0.0
    body_recall: float = 0.0
    exact_pages: int = 0
    scores: list[PageScore] = field(default_factory=list, repr=False)


def summarise(scores: Sequence[PageScore], *, key: Callable[[PageScore], bool] = lambda score: True) -> Summary:
    """Pool the scores for which ``key`` is true."""
    chosen = [score for score in scores if key(score)]
    if not chosen:
        return Summary()
    matched = sum(score.matched_items for score in chosen)
    predicted = sum(score.predicted_items for score in chosen)
    gold = sum(score.gold_items for score in chosen)
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    return Summary(
        pages=len(chosen),
        pk=sum(score.pk for score in chosen) / len(chosen),
        window_diff=sum(score.window_diff for score in chosen) / len(chosen),
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        body_precision=sum(score.body_overlap for score in chosen) / max(1, sum(score.predicted_tokens for score in chosen)),
        body_recall=sum(score.body_overlap for score in chosen) / max(1, sum(score.gold_tokens for score in chosen)),
        exact_pages=sum(
            score.matched_items == score.gold_items == score.predicted_items for score in chosen
        ),
        scores=list(chosen),
    )
