"""The result types of the public API: story items and topic predictions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["StoryItem", "TaggedItem", "TopicPrediction"]


@dataclass(frozen=True, slots=True)
class StoryItem:
    """One story of a page: its body and, where the page has them, title, caption, credit.

    Offsets and line numbers refer to the page as it was given to
    :func:`newsclass.segment` (after decoding, for bytes).

    Attributes
    ----------
    index : int
        0-based position of the item among the page's items.
    body : str
        The story text: its paragraphs joined by a blank line; each line is the
        page's line with surrounding white space removed.
    title, caption, credit : str or None
        Headline, photo caption and photo credit, when the item has them.
    start, end : int
        Character offsets of the item's span in the page (``page[start:end]``).
    start_line, end_line : int
        1-based, inclusive line numbers of the span.

    Examples
    --------
    >>> item = StoryItem(index=0, body="Rain at last.", start=0, end=13,
    ...                  start_line=1, end_line=1)
    >>> StoryItem.from_dict(item.to_dict()) == item
    True
    """

    index: int
    body: str
    title: str | None = None
    caption: str | None = None
    credit: str | None = None
    start: int = 0
    end: int = 0
    start_line: int = 1
    end_line: int = 1

    @property
    def text(self) -> str:
        """Title, body and caption joined: what :func:`newsclass.classify` reads.

        The caption comes last because it describes a photo, which is weaker
        evidence of the story's subject than its body.
        """
        return "\n\n".join(part for part in (self.title, self.body, self.caption) if part)

    def to_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryItem:
        """Build an item from the dict :meth:`to_dict` returns."""
        return cls(**{name: data[name] for name in cls.__dataclass_fields__ if name in data})


@dataclass(frozen=True, slots=True)
class TopicPrediction:
    """The topics of one item.

    Attributes
    ----------
    labels : tuple of str
        The assigned labels, best first. Empty when no topic passes its threshold.
    scores : dict of str to float
        Every label of the model mapped to its probability.
    explanation : dict of str to tuple of (str, float), or None
        With ``explain=True``: for each assigned label, the terms of the item that
        pushed it most, with their contribution to the decision score.

    Examples
    --------
    >>> prediction = TopicPrediction(labels=("energy",), scores={"energy": 0.91, "trade": 0.04})
    >>> prediction.top
    'energy'
    >>> TopicPrediction.from_dict(prediction.to_dict()) == prediction
    True
    """

    labels: tuple[str, ...]
    scores: dict[str, float] = field(default_factory=dict)
    explanation: dict[str, tuple[tuple[str, float], ...]] | None = None

    @property
    def top(self) -> str | None:
        """The best assigned label, or None when there is none."""
        return self.labels[0] if self.labels else None

    def to_dict(self) -> dict[str, Any]:
        """Return the prediction as a JSON-ready dict."""
        data: dict[str, Any] = {"labels": list(self.labels), "scores": dict(self.scores)}
        if self.explanation is not None:
            data["explanation"] = {
                label: [[term, weight] for term, weight in terms]
                for label, terms in self.explanation.items()
            }
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TopicPrediction:
        """Build a prediction from the dict :meth:`to_dict` returns."""
        explanation = data.get("explanation")
        return cls(
            labels=tuple(data["labels"]),
            scores=dict(data.get("scores", {})),
            explanation=None
            if explanation is None
            else {
                label: tuple((term, float(weight)) for term, weight in terms)
                for label, terms in explanation.items()
            },
        )


@dataclass(frozen=True, slots=True)
class TaggedItem:
    """A story item with its topics, as :func:`newsclass.classify_page` returns them.

    Examples
    --------
    >>> tagged = TaggedItem(StoryItem(index=0, body="Rain at last."), TopicPrediction(labels=()))
    >>> sorted(tagged.to_dict())[:3]
    ['body', 'caption', 'credit']
    """

    item: StoryItem
    prediction: TopicPrediction

    def to_dict(self) -> dict[str, Any]:
        """The item's fields and the prediction's, in one flat JSON-ready dict."""
        return {**self.item.to_dict(), **self.prediction.to_dict()}
