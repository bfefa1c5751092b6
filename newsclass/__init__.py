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
from ._stream import classify_stream
from ._train import train
from ._version import __version__

__all__ = [
    "DataError",
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
