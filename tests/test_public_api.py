"""The public API is exactly what is listed here: adding or removing a name is a reviewed change."""

import newsclass

PUBLIC_NAMES = [
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


def test_all_is_exactly_the_public_names():
    assert newsclass.__all__ == PUBLIC_NAMES


def test_all_is_sorted():
    assert newsclass.__all__ == sorted(newsclass.__all__)


def test_every_public_name_exists():
    missing = [name for name in newsclass.__all__ if not hasattr(newsclass, name)]
    assert missing == []


def test_module_namespace_has_no_other_public_names():
    # Subpackages: the command line, and the optional Dask integration once imported.
    public = {name for name in dir(newsclass) if not name.startswith("_")} - {"cli", "dask"}
    assert public == set(PUBLIC_NAMES) - {"__version__"}


def test_errors_subclass_builtin_exceptions():
    assert issubclass(newsclass.InputTypeError, TypeError)
    assert issubclass(newsclass.InputValueError, ValueError)
    assert issubclass(newsclass.PageDecodeError, newsclass.InputValueError)
    assert issubclass(newsclass.DataError, ValueError)
    assert issubclass(newsclass.ModelFileError, ValueError)
    assert issubclass(newsclass.ModelNotFoundError, FileNotFoundError)
    for name in newsclass.__all__:
        value = getattr(newsclass, name)
        if isinstance(value, type) and issubclass(value, Exception) and name.endswith("Error"):
            assert issubclass(value, newsclass.NewsclassError), name
