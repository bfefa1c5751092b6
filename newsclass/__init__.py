"""newsclass: split news pages into story items and tag each with its topics.

Examples
--------
>>> import newsclass
>>> items = newsclass.segment("Oil output cut\\n\\nThe cartel agreed to cut crude oil output again.\\n")
>>> [item.title for item in items]
['Oil output cut']
>>> "energy" in newsclass.classify(items[0]).labels
True
"""

import importlib as _importlib
import typing as _typing

from ._version import __version__

if _typing.TYPE_CHECKING:
    from ._classify import classify, classify_page, default_model, default_model_path
    from ._errors import (
        DataError,
        InputTooLargeError,
        InputTypeError,
        InputValueError,
        ModelError,
        ModelFileError,
        ModelNotFoundError,
        NewsclassError,
        PageDecodeError,
    )
    from ._evaluate import Evaluation, LabelScores, evaluate
    from ._items import StoryItem, TaggedItem, TopicPrediction
    from ._model import TopicClassifier
    from ._persist import ModelVersionWarning, load_model, save_model
    from ._segment import PageSegmentation, Span, segment
    from ._stop_words import ENGLISH_STOP_WORDS
    from ._stream import classify_stream
    from ._train import train

__all__ = [
    "DataError",
    "ENGLISH_STOP_WORDS",
    "Evaluation",
    "InputTooLargeError",
    "InputTypeError",
    "InputValueError",
    "LabelScores",
    "ModelError",
    "ModelFileError",
    "ModelNotFoundError",
    "ModelVersionWarning",
    "NewsclassError",
    "PageDecodeError",
    "PageSegmentation",
    "Span",
    "StoryItem",
    "TaggedItem",
    "TopicClassifier",
    "TopicPrediction",
    "__version__",
    "classify",
    "classify_page",
    "classify_stream",
    "default_model",
    "default_model_path",
    "evaluate",
    "load_model",
    "save_model",
    "segment",
    "train",
]

# Each public name and the private module it lives in, imported on first use (PEP 562):
# `import newsclass` stays fast, and classifying never imports scikit-learn, which the model
# class, training and evaluation need (it alone takes about a second to import).
_MODULE_OF = {
    "ENGLISH_STOP_WORDS": "._stop_words",
    **dict.fromkeys(("classify", "classify_page", "default_model", "default_model_path"), "._classify"),
    **dict.fromkeys(
        ("DataError", "InputTooLargeError", "InputTypeError", "InputValueError", "ModelError", "ModelFileError",
         "ModelNotFoundError", "NewsclassError", "PageDecodeError"),
        "._errors",
    ),
    **dict.fromkeys(("Evaluation", "LabelScores", "evaluate"), "._evaluate"),
    **dict.fromkeys(("StoryItem", "TaggedItem", "TopicPrediction"), "._items"),
    "TopicClassifier": "._model",
    **dict.fromkeys(("ModelVersionWarning", "load_model", "save_model"), "._persist"),
    **dict.fromkeys(("PageSegmentation", "Span", "segment"), "._segment"),
    "classify_stream": "._stream",
    "train": "._train",
}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
