"""Saving and loading models in a format that cannot run code.

A model file is a ZIP archive of plain data, never a pickle:

- ``model.json``: format name and version, library versions, labels, the
  hyper-parameters, training metadata, and the SHA-256 of every other member;
- ``terms.txt``: the vocabulary, one term per line, in feature order;
- ``*.npy``: numeric arrays in NumPy's format, read with ``allow_pickle=False``.

Loading checks the format name and version, every member's checksum and every
array's shape before it builds the model, so a truncated, tampered or foreign
file is refused with an error naming the problem. Saving writes to a temporary
file beside the target and renames it into place, so a failed or interrupted
save never damages a model already there; members carry a fixed timestamp so
the same model always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import warnings
import zipfile
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from ._errors import ModelFileError, ModelNotFoundError
from ._model import TopicClassifier
from ._version import __version__

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "MODEL_FILENAME", "ModelVersionWarning", "load_model", "save_model", "write_atomically"]

FORMAT_NAME = "newsclass-model"
FORMAT_VERSION = 1
MODEL_FILENAME = "model.zip"
_METADATA = "model.json"
_TERMS = "terms.txt"
_ARRAYS = ("idf", "coef", "intercept", "calibration", "thresholds")
_HYPERPARAMETERS = ("ngram_range", "min_df", "max_df", "max_terms", "C", "class_weight", "validation_fraction", "random_state")
_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# A model file this large is not one of ours; refusing early avoids decompression bombs.
_MAX_MEMBER_BYTES = 2_000_000_000


class ModelVersionWarning(UserWarning):
    """A model file written by other versions of newsclass or scikit-learn."""


def resolve_model_path(path: str | PathLike[str]) -> Path:
    """Return the model file for ``path``: the file itself, or ``model.zip`` in a folder."""
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / MODEL_FILENAME
    if not candidate.is_file():
        raise ModelNotFoundError(f"no model file at {candidate}", path=candidate)
    return candidate


def save_model(model: TopicClassifier, path: str | PathLike[str], *, metadata: dict[str, Any] | None = None) -> Path:
    """Write ``model`` to ``path`` (a file, or a folder to hold ``model.zip``), atomically.

    Returns the path of the written file.
    """
    target = Path(path)
    if target.suffix != ".zip":
        target = target / MODEL_FILENAME
    payload = model_bytes(model, metadata=metadata)
    write_atomically(target, payload)
    return target


def model_bytes(model: TopicClassifier, *, metadata: dict[str, Any] | None = None) -> bytes:
    """Serialise ``model`` to the bytes of a model file."""
    members = {
        _TERMS: "\n".join(model._terms()).encode("utf-8"),
        **{f"{name}.npy": _array_bytes(array) for name, array in _model_arrays(model).items()},
    }
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "newsclass_version": __version__,
        "sklearn_version": sklearn.__version__,
        "labels": [str(label) for label in model.classes_],
        "hyperparameters": {name: _jsonable(getattr(model, name)) for name in _HYPERPARAMETERS},
        "metadata": metadata or {},
        "checksums": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(members.items())},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [(_METADATA, json.dumps(header, indent=1, sort_keys=True).encode("utf-8")), *sorted(members.items())]:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_current_umask())  # mkstemp's 0600 would hide the model from other users
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_metadata(path: str | PathLike[str]) -> dict[str, Any]:
    """Return the ``model.json`` header of a model file, checked but without loading arrays."""
    file = resolve_model_path(path)
    with _open_archive(file) as archive:
        return _read_header(archive, file)


def load_model(path: str | PathLike[str]) -> TopicClassifier:
    """Load a model saved by newsclass.

    Loading never runs code from the file: it holds only JSON, text and NumPy
    arrays read with ``allow_pickle=False``.

    Parameters
    ----------
    path : str or path-like
        A model file, or a folder holding ``model.zip``.

    Returns
    -------
    TopicClassifier

    Raises
    ------
    ModelNotFoundError
        There is no model file at ``path``.
    ModelFileError
        The file is not a newsclass model, is damaged or altered, or was
        written by a newer newsclass whose format this version cannot read.

    Examples
    --------
    >>> import newsclass
    >>> model = newsclass.load_model(newsclass.default_model_path())
    >>> "energy" in model.classes_
    True
    """
    file = resolve_model_path(path)
    with _open_archive(file) as archive:
        header = _read_header(archive, file)
        members = {name: _read_member(archive, name, header, file) for name in header["checksums"]}
    return _build_model(header, members, file)


def _open_archive(file: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelFileError(
            f"not a newsclass model file (expected a ZIP archive written by newsclass: {error})", path=file
        ) from None


def _read_header(archive: zipfile.ZipFile, file: Path) -> dict[str, Any]:
    try:
        header = json.loads(_read_bytes(archive, _METADATA, file))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{_METADATA} is not valid JSON: {error}", path=file) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        found = header.get("format") if isinstance(header, dict) else type(header).__name__
        raise ModelFileError(f"not a newsclass model file (format {found!r}, expected {FORMAT_NAME!r})", path=file)
    version = header.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ModelFileError(f"format_version must be a positive integer, found {version!r}", path=file)
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"model format version {version} is newer than this newsclass ({__version__}) reads "
            f"(up to {FORMAT_VERSION}); upgrade newsclass (the file was written by newsclass "
            f"{header.get('newsclass_version')})",
            path=file,
        )
    expected = {_TERMS, *(f"{name}.npy" for name in _ARRAYS)}
    checksums = header.get("checksums")
    if not isinstance(checksums, dict) or set(checksums) != expected:
        raise ModelFileError(f"the file's member list is not that of a format {version} model", path=file)
    _warn_on_version_mismatch(header, file)
    return header


def _warn_on_version_mismatch(header: dict[str, Any], file: Path) -> None:
    # The format holds plain arrays, so other versions load correctly; the
    # warning is there because predictions may differ slightly in tokenising.
    written_with = (header.get("newsclass_version"), header.get("sklearn_version"))
    running = (__version__, sklearn.__version__)
    if _minor(written_with[0]) != _minor(running[0]) or _minor(written_with[1]) != _minor(running[1]):
        warnings.warn(
            f"{file} was written by newsclass {written_with[0]} with scikit-learn {written_with[1]}; "
            f"this is newsclass {running[0]} with scikit-learn {running[1]}. It loads, but retrain "
            "the model if its predictions look off.",
            ModelVersionWarning,
            stacklevel=3,
        )


def _minor(version: object) -> tuple[str, ...]:
    return tuple(str(version).split(".")[:2])


def _read_bytes(archive: zipfile.ZipFile, name: str, file: Path) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ModelFileError(f"member {name!r} is missing: not a complete newsclass model file", path=file) from None
    if info.file_size > _MAX_MEMBER_BYTES:
        raise ModelFileError(f"member {name!r} is {info.file_size:,} bytes, too large for a model", path=file)
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ModelFileError(f"member {name!r} is damaged ({error}); the file is corrupt or truncated", path=file) from None
    except Exception as error:  # zlib.error and friends: any decompression failure is damage
        raise ModelFileError(f"member {name!r} is damaged ({error}); the file is corrupt or truncated", path=file) from None


def _read_member(archive: zipfile.ZipFile, name: str, header: dict[str, Any], file: Path) -> Any:
    data = _read_bytes(archive, name, file)
    if hashlib.sha256(data).hexdigest() != header["checksums"][name]:
        raise ModelFileError(f"checksum mismatch in member {name!r}: the file was altered or damaged", path=file)
    if name == _TERMS:
        return data.decode("utf-8").split("\n") if data else []
    try:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError as error:
        raise ModelFileError(f"member {name!r} is not a plain numeric array ({error})", path=file) from None


def _build_model(header: dict[str, Any], members: dict[str, Any], file: Path) -> TopicClassifier:
    labels = header.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(label, str) for label in labels):
        raise ModelFileError(f"labels must be a non-empty list of strings, found {labels!r}", path=file)
    terms = members[_TERMS]
    arrays = {name: members[f"{name}.npy"] for name in _ARRAYS}
    expected_shapes = {
        "idf": (len(terms),),
        "coef": (len(labels), len(terms)),
        "intercept": (len(labels),),
        "calibration": (2, len(labels)),
        "thresholds": (len(labels),),
    }
    for name, shape in expected_shapes.items():
        if arrays[name].shape != shape or arrays[name].dtype.kind != "f":
            raise ModelFileError(
                f"array {name!r} has shape {arrays[name].shape} and dtype {arrays[name].dtype}, "
                f"expected floats of shape {shape}",
                path=file,
            )
    hyperparameters = dict(header.get("hyperparameters", {}))
    if "ngram_range" in hyperparameters:
        hyperparameters["ngram_range"] = tuple(hyperparameters["ngram_range"])
    try:
        model = TopicClassifier(**{name: hyperparameters[name] for name in _HYPERPARAMETERS if name in hyperparameters})
    except TypeError as error:
        raise ModelFileError(f"hyperparameters are not those of this model class ({error})", path=file) from None
    model.classes_ = np.asarray(labels, dtype=object)
    model.vectorizer_ = model._new_vectorizer()
    model.vectorizer_.vocabulary_ = {term: index for index, term in enumerate(terms)}
    model.vectorizer_.idf_ = arrays["idf"].astype(np.float64)
    model.coef_ = np.ascontiguousarray(arrays["coef"], dtype=np.float32)
    model.intercept_ = arrays["intercept"].astype(np.float32)
    model.calibration_ = arrays["calibration"].astype(np.float64)
    model.thresholds_ = arrays["thresholds"].astype(np.float64)
    model.metadata_ = header.get("metadata", {})
    model._terms_cache = np.asarray(terms, dtype=object)
    return model


def _model_arrays(model: TopicClassifier) -> dict[str, np.ndarray]:
    return {
        "idf": np.asarray(model.vectorizer_.idf_, dtype=np.float64),
        "coef": np.asarray(model.coef_, dtype=np.float32),
        "intercept": np.asarray(model.intercept_, dtype=np.float32),
        "calibration": np.asarray(model.calibration_, dtype=np.float64),
        "thresholds": np.asarray(model.thresholds_, dtype=np.float64),
    }


def _array_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
