"""Saving and loading models in a format that cannot run code.

A model file is a ZIP archive of plain data, never a pickle:

- ``model.json``: format name and version, library versions, labels, the
  hyper-parameters, training metadata, and the SHA-256 of every other member;
- ``terms.txt``: the vocabulary, one term per line, in feature order;
- ``*.npy``: numeric arrays in NumPy's format, read with ``allow_pickle=False``.

Loading checks the format name and version, every member's checksum and every
array's shape before it builds the model, so a truncated, tampered or foreign
file is refused with an error naming the problem. The checksums detect damage,
not forgery: anyone can write a file that passes them, so loading also checks
every value a hostile file could use to make prediction slow or wrong.

Saving writes to a temporary file beside the target and renames it into place,
so a failed or interrupted save never damages a model already there; members
carry a fixed timestamp so the same model always gives the same bytes. Writers
of one folder take turns through a lock file (:func:`folder_lock`), so two
processes saving to the same place never mix their files, and each save removes
the temporary files a killed writer left behind.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import itertools
import json
import logging
import os
import struct
import sys
import tempfile
import threading
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

import numpy as np

from ._errors import InputTypeError, ModelFileError, ModelNotFoundError
from ._fast import FastScorer, ScoringArrays, is_lead_length, spaces_per_line
from ._version import __version__

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from ._model import TopicClassifier

__all__ = [
    "FORMAT_NAME", "FORMAT_VERSION", "MODEL_FILENAME", "ModelVersionWarning", "folder_lock", "load_model", "load_scorer",
    "save_model", "write_atomically",
]

FORMAT_NAME = "newsclass-model"
FORMAT_VERSION = 2
MODEL_FILENAME = "model.zip"
_METADATA = "model.json"
_RIGHT_QUOTE = "’".encode("utf-8")
_TERMS = "terms.txt"
_ARRAYS = ("idf", "coef", "intercept", "calibration", "thresholds")
_HYPERPARAMETERS = (
    "ngram_range", "min_df", "max_df", "stop_words", "lead_tokens", "max_terms", "C", "class_weight",
    "validation_fraction", "validation_splits", "validation_folds", "threshold_beta", "threshold_rule", "random_state",
)
_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# A model file this large is not one of ours; refusing early avoids decompression bombs.
_MAX_MEMBER_BYTES = 2_000_000_000
_MAX_TOTAL_BYTES = 2_000_000_000
# Far above the 7 members of a model, far below what makes zipfile slow.
_MAX_MEMBERS = 64
_MAX_DIRECTORY_BYTES = 64 * 1024
_END_RECORD_SEARCH = 22 + 65_535 + 20  # the end record, the longest comment, a ZIP64 locator before it
_LOCK_FILENAME = ".newsclass.lock"
_locks_held = threading.local()  # folders this thread holds the lock of


class ModelVersionWarning(UserWarning):
    """A model file written by other versions of newsclass or scikit-learn."""


def resolve_model_path(path: str | PathLike[str]) -> Path:
    """Return the model file for ``path``: the file itself, or ``model.zip`` in a folder."""
    if not isinstance(path, (str, PathLike)):
        raise InputTypeError(f"a model path must be a str or path-like, not {type(path).__name__}")
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / MODEL_FILENAME
    if not candidate.is_file():
        raise ModelNotFoundError(f"no model file at {candidate}", path=candidate)
    return candidate


def save_model(model: TopicClassifier, path: str | PathLike[str], *, metadata: dict[str, Any] | None = None) -> Path:
    """Write ``model`` to ``path`` (a file, or a folder to hold ``model.zip``), atomically.

    ``metadata`` (training files, validation scores...) defaults to the model's own
    ``metadata_``, so a loaded model saved again keeps it. Returns the path of the written file.
    """
    from ._model import TopicClassifier  # scikit-learn: saving needs the whole model anyway

    if not isinstance(model, TopicClassifier) or not hasattr(model, "coef_"):
        raise InputTypeError(f"save_model() takes a fitted TopicClassifier, not {type(model).__name__}"
                             + (" that is not fitted" if isinstance(model, TopicClassifier) else ""))
    if metadata is None:
        metadata = getattr(model, "metadata_", None)
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
        "sklearn_version": sklearn_version(),
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
    """Write ``data`` to ``target`` through a temporary file and a rename.

    Readers see the old file or the new one, never a part. The write holds the
    folder's lock (:func:`folder_lock`) and first removes temporary files for
    ``target`` that a writer killed mid-write left (``.NAME.*.tmp``).
    """
    with folder_lock(target.parent):
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):
            leftover.unlink(missing_ok=True)  # no live writer owns one: they hold the lock we hold
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
        _fsync_folder(target.parent)


@contextlib.contextmanager
def folder_lock(folder: str | PathLike[str]) -> Iterator[None]:
    """Hold the write lock of ``folder`` (created if missing) for the ``with`` block.

    Processes and threads writing models to one folder take turns, so files
    written together (a model and its card) come from the same writer. The lock
    is ``fcntl.flock`` on ``FOLDER/.newsclass.lock``, released by the system
    even when the holder is killed; where ``fcntl`` is missing (Windows) or the
    file system has no locks there is no lock, and each file is still replaced
    whole. A thread may take a lock it holds again.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(folder)
    held: set[str] = _locks_held.__dict__.setdefault("folders", set())
    if key in held or fcntl is None:
        yield
        return
    lock_path = folder / _LOCK_FILENAME
    while True:
        handle = open(lock_path, "ab")  # noqa: SIM115 - closed below
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): renames still keep files whole
            handle.close()
            yield
            return
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(lock_path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the previous holder removed the file we waited on: lock the new one
    held.add(key)
    try:
        yield
    finally:
        held.discard(key)
        # Removed while still locked, so no lock file is left behind; a waiter
        # that opened the old file sees it is gone and locks a new one.
        lock_path.unlink(missing_ok=True)
        handle.close()


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself survive a power cut; not possible on every system.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_metadata(path: str | PathLike[str], *, allow_version_mismatch: bool = False) -> dict[str, Any]:
    """Return the ``model.json`` header of a model file, checked but without loading arrays."""
    file = resolve_model_path(path)
    with _open_archive(file) as archive:
        return _read_header(archive, file, allow_version_mismatch)


def load_model(path: str | PathLike[str], *, allow_version_mismatch: bool = False) -> TopicClassifier:
    """Load a model saved by newsclass.

    Loading never runs code from the file: it holds only JSON, text and NumPy
    arrays read with ``allow_pickle=False``.

    Parameters
    ----------
    path : str or path-like
        A model file, or a folder holding ``model.zip``.
    allow_version_mismatch : bool
        Load a file written under another major version of scikit-learn (with
        a :class:`ModelVersionWarning`) instead of refusing it. Other minor
        versions always load, with that warning.

    Returns
    -------
    TopicClassifier

    Raises
    ------
    ModelNotFoundError
        There is no model file at ``path``.
    ModelFileError
        The file is not a newsclass model, is damaged or altered, was
        written by a newer newsclass whose format this version cannot read,
        or under another major version of scikit-learn.

    Examples
    --------
    >>> import newsclass
    >>> model = newsclass.load_model(newsclass.default_model_path())
    >>> "energy" in model.classes_
    True
    """
    contents = _read_model_file(path, allow_version_mismatch)
    return _build_model(contents)


def load_scorer(path: str | PathLike[str], *, allow_version_mismatch: bool = False) -> FastScorer | None:
    """Load only what scoring needs of a model file, without importing scikit-learn or SciPy.

    The file goes through every check :func:`load_model` makes (the same code);
    the result classifies exactly as the loaded model does. None when the
    model's n-gram range is one the scorer does not reproduce: load the whole
    model then.
    """
    contents = _read_model_file(path, allow_version_mismatch)
    ngram_range = contents.hyperparameters["ngram_range"]
    if ngram_range not in ((1, 1), (1, 2)):
        return None
    # The terms as the scorer's runs look: UTF-8, with ’ written as \x01.
    arrays = contents.arrays
    return FastScorer(ScoringArrays(
        labels=tuple(contents.labels),
        term_keys=contents.terms_data.replace(_RIGHT_QUOTE, b"\x01"),
        features=np.arange(len(contents.terms), dtype=np.int64),
        idf=arrays["idf"],
        coef=arrays["coef"],
        intercept=arrays["intercept"],
        calibration=arrays["calibration"],
        thresholds=arrays["thresholds"],
        bigrams=ngram_range == (1, 2),
        lead_tokens=contents.hyperparameters["lead_tokens"],
    ))


@dataclass(frozen=True, slots=True)
class _ModelContents:
    """A model file's contents with every check passed: what both loaders build from."""

    file: Path
    labels: list[str]
    terms_data: bytes  # the vocabulary, UTF-8, one term a line
    terms: list[bytes]
    arrays: dict[str, np.ndarray]  # in the dtypes the model uses
    hyperparameters: dict[str, Any]
    metadata: dict[str, Any]


def _read_model_file(path: str | PathLike[str], allow_version_mismatch: bool) -> _ModelContents:
    file = resolve_model_path(path)
    with _open_archive(file) as archive:
        header = _read_header(archive, file, allow_version_mismatch)
        total = sum(info.file_size for info in archive.infolist())  # what reading could decompress, at most
        if total > _MAX_TOTAL_BYTES:
            raise ModelFileError(f"the members add up to {total:,} bytes, too large for a model", path=file)
        members = {name: _read_member(archive, name, header, file) for name in header["checksums"]}
    contents = _checked_contents(header, members, file)
    logger.info(
        "read model %s: %d labels, written by newsclass %s with scikit-learn %s",
        file, len(header["labels"]), header["newsclass_version"], header["sklearn_version"],
    )
    return contents


def _open_archive(file: Path) -> zipfile.ZipFile:
    try:
        _check_directory_size(file)
        return zipfile.ZipFile(file)
    # NotImplementedError: a damaged directory entry can claim a ZIP version zipfile does not know.
    except (zipfile.BadZipFile, OSError, NotImplementedError) as error:
        if _is_truncated_archive(file):
            raise ModelFileError(
                "the file starts as a ZIP archive but its end is missing: truncated (an interrupted copy or "
                "download?); copy the model again or retrain it",
                path=file,
            ) from None
        raise ModelFileError(
            f"not a newsclass model file (expected a ZIP archive written by newsclass: {error})", path=file
        ) from None


def _is_truncated_archive(file: Path) -> bool:
    """Whether a file has a ZIP archive's first member header but no end record (it was cut short)."""
    try:
        size = file.stat().st_size
        with file.open("rb") as handle:
            start = handle.read(4)
            handle.seek(max(0, size - _END_RECORD_SEARCH))
            tail = handle.read()
    except OSError:
        return False
    return start == b"PK\x03\x04" and b"PK\x05\x06" not in tail


def _check_directory_size(file: Path) -> None:
    """Refuse an archive whose member list is far longer than a model's, before zipfile reads it.

    zipfile builds an object for every member listed at the end of the archive,
    so a forged list of millions of members would take minutes and gigabytes
    before any other check. The record read here is the one zipfile reads.
    """
    size = file.stat().st_size
    with file.open("rb") as handle:
        handle.seek(max(0, size - _END_RECORD_SEARCH))
        tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return  # no end record: zipfile refuses the file itself
    if tail[max(0, end - 20) : end - 16] == b"PK\x06\x07":
        raise ModelFileError("a ZIP64 archive, which newsclass never writes: not a newsclass model file", path=file)
    members, directory_bytes = struct.unpack_from("<HI", tail, end + 10)
    if members > _MAX_MEMBERS or directory_bytes > _MAX_DIRECTORY_BYTES:
        raise ModelFileError(
            f"the archive lists {members:,} members in {directory_bytes:,} bytes; a newsclass model has "
            f"{len(_ARRAYS) + 2}: not a newsclass model file",
            path=file,
        )


def _read_header(archive: zipfile.ZipFile, file: Path, allow_version_mismatch: bool) -> dict[str, Any]:
    try:
        header = json.loads(_read_bytes(archive, _METADATA, file))
    except (ValueError, RecursionError) as error:  # bad UTF-8 or JSON, too-deep nesting, too-long numbers
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
    _check_versions(header, file, allow_version_mismatch)
    return header


@functools.lru_cache(maxsize=1)
def sklearn_version() -> str:
    """The installed scikit-learn's version, read without importing it (which takes a second)."""
    if "sklearn" in sys.modules:
        return str(sys.modules["sklearn"].__version__)
    return importlib.metadata.version("scikit-learn")


def _check_versions(header: dict[str, Any], file: Path, allow_version_mismatch: bool) -> None:
    """Refuse a file from another major scikit-learn; warn about other minor versions.

    The file holds plain arrays, no scikit-learn object, so another version
    reads it exactly. What the version can change is how the reference path
    (scikit-learn's ``TfidfVectorizer``) reads text: a major release may
    change its defaults, so a file from one is refused unless the caller
    allows it; a minor release keeps them, so a warning is enough.
    """
    written_with = (header.get("newsclass_version"), header.get("sklearn_version"))
    running = (__version__, sklearn_version())
    written_release, running_release = [tuple(_release(version)[:2] for version in pair) for pair in (written_with, running)]
    if written_release == running_release:
        return
    described = (
        f"{file} was written by newsclass {written_with[0]} with scikit-learn {written_with[1]}; "
        f"this is newsclass {running[0]} with scikit-learn {running[1]}"
    )
    if written_release[1][:1] != running_release[1][:1] and not allow_version_mismatch:
        raise ModelFileError(
            f"{described}: another major version of scikit-learn, whose text handling may differ. Retrain the "
            "model, or load it with load_model(path, allow_version_mismatch=True) and check its predictions",
            path=file,
        )
    warnings.warn(f"{described}. It loads, but retrain the model if its predictions look off.", ModelVersionWarning, stacklevel=3)


def _release(version: object) -> tuple[int, ...]:
    """The leading numbers of a version string ("1.9.1" -> (1, 9, 1)); () when it has none."""
    numbers = []
    for part in str(version).split("."):
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        numbers.append(int(digits))
        if digits != part:
            break
    return tuple(numbers)


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
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ModelFileError(f"member {name!r} is not UTF-8 text ({error})", path=file) from None
        return data
    try:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError as error:
        raise ModelFileError(f"member {name!r} is not a plain numeric array ({error})", path=file) from None


def _checked_contents(header: dict[str, Any], members: dict[str, Any], file: Path) -> _ModelContents:
    labels = header.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(label, str) for label in labels):
        raise ModelFileError(f"labels must be a non-empty list of strings, found {_short(labels)}", path=file)
    if len(set(labels)) != len(labels):
        raise ModelFileError(f"labels must be distinct, found {_short(labels)}", path=file)
    terms_data = members[_TERMS]
    terms = terms_data.split(b"\n") if terms_data else []
    if len(set(terms)) != len(terms):
        raise ModelFileError(f"member {_TERMS!r} lists a term twice: not a vocabulary newsclass wrote", path=file)
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
        if not np.all(np.isfinite(arrays[name])):
            raise ModelFileError(f"array {name!r} holds NaN or infinite values", path=file)
    hyperparameters = header.get("hyperparameters", {})
    if not isinstance(hyperparameters, dict):
        raise ModelFileError(f"hyperparameters must be a JSON object, found {_short(hyperparameters)}", path=file)
    hyperparameters = dict(hyperparameters)
    longest = int(spaces_per_line(terms_data).max(initial=0)) + 1
    hyperparameters["ngram_range"] = _checked_ngram_range(hyperparameters.get("ngram_range", [1, 2]), longest, file)
    # Files written before stop words existed were fitted without them.
    hyperparameters["stop_words"] = _checked_stop_words(hyperparameters.get("stop_words"), file)
    # Files of format 1 score whole texts only.
    hyperparameters["lead_tokens"] = _checked_lead_tokens(hyperparameters.get("lead_tokens"), file)
    metadata = header.get("metadata", {})
    if not isinstance(metadata, dict):
        raise ModelFileError(f"metadata must be a JSON object, found {_short(metadata)}", path=file)
    typed = {
        "idf": arrays["idf"].astype(np.float64),
        "coef": np.ascontiguousarray(arrays["coef"], dtype=np.float32),
        "intercept": arrays["intercept"].astype(np.float32),
        "calibration": arrays["calibration"].astype(np.float64),
        "thresholds": arrays["thresholds"].astype(np.float64),
    }
    return _ModelContents(file, labels, terms_data, terms, typed, hyperparameters, metadata)


def _build_model(contents: _ModelContents) -> TopicClassifier:
    from ._model import TopicClassifier  # imports scikit-learn, which scoring alone never needs

    hyperparameters = contents.hyperparameters
    try:
        model = TopicClassifier(**{name: hyperparameters[name] for name in _HYPERPARAMETERS if name in hyperparameters})
    except TypeError as error:
        raise ModelFileError(f"hyperparameters are not those of this model class ({error})", path=contents.file) from None
    terms = contents.terms_data.decode("utf-8").split("\n") if contents.terms_data else []
    arrays = contents.arrays
    model.classes_ = np.asarray(contents.labels, dtype=object)
    model.vectorizer_ = model._new_vectorizer()
    model.vectorizer_.vocabulary_ = {term: index for index, term in enumerate(terms)}
    model.vectorizer_.idf_ = arrays["idf"]
    model.coef_ = arrays["coef"]
    model.intercept_ = arrays["intercept"]
    model.calibration_ = arrays["calibration"]
    model.thresholds_ = arrays["thresholds"]
    model.metadata_ = contents.metadata
    model._terms_cache = np.asarray(terms, dtype=object)
    return model


def _checked_ngram_range(value: Any, longest: int, file: Path) -> tuple[int, int]:
    # The vectorizer makes every n-gram of a text for n in this range, so a
    # forged (1, 100000) would make classifying a long text take hours. No term
    # has more words than the longest n-gram that can match, so a range reaching
    # beyond the vocabulary is cut to it: the features are the same.
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        or not 1 <= value[0] <= value[1]
    ):
        raise ModelFileError(f"ngram_range must be two integers 1 <= low <= high, found {_short(value)}", path=file)
    if value[0] > longest:
        raise ModelFileError(
            f"ngram_range {value} does not fit the vocabulary, whose terms have at most {longest} words", path=file
        )
    return value[0], min(value[1], longest)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


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


def _checked_stop_words(value: Any, file: Path) -> str | list[str] | None:
    if value is None or value == "english":
        return value
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return value
    raise ModelFileError(f"stop_words must be \"english\", null or a list of words, found {_short(value)}", path=file)


def _checked_lead_tokens(value: Any, file: Path) -> int | None:
    if is_lead_length(value):
        return value
    raise ModelFileError(f"lead_tokens must be a positive integer or null, found {_short(value)}", path=file)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
