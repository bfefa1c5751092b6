"""The exceptions newsclass raises.

Every error newsclass raises on purpose derives from :class:`NewsclassError`, so
``except newsclass.NewsclassError`` catches them all. Errors caused by bad input
also derive from the matching built-in exception, so code that already catches
``TypeError`` or ``ValueError`` keeps working::

    NewsclassError
    ├── InputTypeError(TypeError)          an argument of the wrong type
    ├── InputValueError(ValueError)        an argument of the right type but unusable
    │   ├── PageDecodeError                bytes that cannot be decoded to text
    │   └── InputTooLargeError             a page over the configured size limit
    ├── DataError(ValueError)              a bad training or evaluation file (row, column)
    └── ModelError                         a model that cannot be used
        ├── ModelFileError(ValueError)     a corrupt, foreign, tampered or too-new file
        └── ModelNotFoundError(FileNotFoundError)

Messages say what was expected, what was found, and, where there is one, the fix.
Context attributes (``path``, ``row``, ``column``, ``position``) carry the place.
"""

from __future__ import annotations

from os import PathLike

__all__ = [
    "DataError",
    "InputTooLargeError",
    "InputTypeError",
    "InputValueError",
    "ModelError",
    "ModelFileError",
    "ModelNotFoundError",
    "NewsclassError",
    "PageDecodeError",
]


class NewsclassError(Exception):
    """Base class of every error newsclass raises on purpose."""


class InputTypeError(NewsclassError, TypeError):
    """An argument has the wrong type.

    Attributes
    ----------
    position : int or None
        Index of the offending element when the argument is a collection.
    """

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class InputValueError(NewsclassError, ValueError):
    """An argument has the right type but a value newsclass cannot use."""

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class PageDecodeError(InputValueError):
    """Bytes that cannot be decoded to text with any supported encoding.

    ``position`` is the byte offset of the first byte that failed to decode.
    """


class InputTooLargeError(InputValueError):
    """A page longer than the configured limit (``max_chars``)."""


class DataError(NewsclassError, ValueError):
    """A training or evaluation file that cannot be used as it is.

    Attributes
    ----------
    path : str or None
        The file.
    row : int or None
        1-based row number in the file, counting the header as row 1.
    column : str or None
        The column name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        place = ", ".join(
            part
            for part in (
                f"{path}" if path is not None else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column is not None else "",
            )
            if part
        )
        super().__init__(f"{place}: {message}" if place else message)
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column


class ModelError(NewsclassError):
    """A model that cannot be loaded, saved or used."""


class ModelFileError(ModelError, ValueError):
    """A model file that is corrupt, foreign, tampered with or of a newer format.

    Attributes
    ----------
    path : str or None
        The model file.
    """

    def __init__(self, message: str, *, path: str | PathLike[str] | None = None) -> None:
        super().__init__(f"{path}: {message}" if path is not None else message)
        self.path = None if path is None else str(path)


class ModelNotFoundError(ModelError, FileNotFoundError):
    """No model file at the given path."""

    def __init__(self, message: str, *, path: str | PathLike[str] | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else str(path)
