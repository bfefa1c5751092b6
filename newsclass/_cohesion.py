"""Item boundaries from the words themselves, for runs of lines with no blank line between.

In the spirit of TextTiling (Hearst 1997): every line is a paragraph, turned into
a TF-IDF vector (weights learned on the page's own lines, so a surname repeated
within a story counts for more than a word every story uses). The gap between
two lines is scored by the cosine similarity of the lines on either side within
a small window; a gap is an item boundary when that similarity is low, both
absolutely and relative to the neighbouring gaps (its depth).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["CohesionGap", "cohesion_gaps"]

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOPWORDS = frozenset(
    """about after again against all also and any are because been before being between both but can could did
    does doing down during each few for from further had has have having her here hers him his how into its itself
    just more most not now off once only other our out over own same she should some such than that the their them
    then there these they this those through too under until very was were what when where which while who whom why
    will with would you your said says say told new one two three first last year years week weeks day days""".split()
)
MAX_ITEM_LINES = 12


def _as_dict(matrix: sparse.csr_matrix, row: int) -> dict[int, float]:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist()))


def _dot(first: dict[int, float], second: dict[int, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(weight * second.get(column, 0.0) for column, weight in first.items())


@dataclass(frozen=True, slots=True)
class CohesionGap:
    """The gap after line ``index`` of a run: its similarity, depth and boundary decision."""

    index: int
    similarity: float
    depth: float
    boundary: bool
    confidence: float


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ers", "ies", "es", "ed", "er", "s", "'s", "’s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _vectors(texts: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear term frequency), sparse so long runs stay linear."""
    from scipy import sparse  # only pages with runs of lines to split need it, not classifying

    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        counts: dict[int, int] = {}
        for word in _WORD.findall(text):
            if word.lower() in _STOPWORDS:
                continue
            column = vocabulary.setdefault(_stem(word), len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        for column, count in counts.items():
            rows.append(row)
            columns.append(column)
            values.append(1.0 + np.log(count))
    shape = (len(texts), max(1, len(vocabulary)))
    matrix = sparse.csr_matrix((values, (rows, columns)), shape=shape)
    document_frequency = np.bincount(columns, minlength=shape[1])
    matrix = matrix @ sparse.diags(np.log((1 + len(texts)) / (1 + document_frequency)) + 1.0)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / np.where(norms == 0, 1.0, norms)) @ matrix)


def cohesion_gaps(
    texts: Sequence[str], *, context: str = "", threshold: float = 0.04, margin: float = 0.1, ceiling: float = 0.12
) -> list[CohesionGap]:
    """Decide the ``len(texts) - 1`` gaps between consecutive lines of one run.

    The run is read from the top: each line is compared with the item it would
    continue (every line since the last boundary, plus ``context``, such as the
    item's title) and with the line after it. A line starts a new item when it
    shares almost nothing with the item so far, or when it shares clearly more
    with what follows than with what precedes.

    Examples
    --------
    >>> lines = ["The ferry to Oronsay gains a second sailing.", "Oronsay islanders welcomed the ferry.",
    ...          "Archaeologists found a roundhouse on Quarry Road.", "The roundhouse is 3,500 years old."]
    >>> [gap.boundary for gap in cohesion_gaps(lines)]
    [False, True, False]
    """
    if len(texts) < 2:
        return []
    matrix = _vectors([context, *texts])
    vectors = [_as_dict(matrix, row) for row in range(matrix.shape[0])]
    segment = [vectors[0], vectors[1]]
    gaps = []
    for index in range(1, len(texts)):
        line = vectors[index + 1]
        # The closest line of the item so far: stories repeat their key word
        # from line to line, not all of their words. Only the item's last lines
        # count, so a run with no boundary at all stays linear.
        with_previous = max((_dot(earlier, line) for earlier in segment[-MAX_ITEM_LINES:]), default=0.0)
        with_next = _dot(line, vectors[index + 2]) if index + 1 < len(texts) else 0.0
        if with_previous < threshold:
            boundary = True
            confidence = 0.5 + 0.5 * (threshold - with_previous) / threshold
        elif with_previous < ceiling and with_next > with_previous + margin:
            boundary = True
            confidence = 0.5 + min(0.49, with_next - with_previous - margin)
        else:
            boundary = False
            confidence = 0.5 + min(0.49, with_previous - threshold)
        depth = with_next - with_previous
        gaps.append(CohesionGap(index - 1, with_previous, depth, boundary, round(min(confidence, 0.99), 3)))
        if boundary:
            segment = [line]
        else:
            segment.append(line)
    return gaps
