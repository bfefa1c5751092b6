"""Training a model from a labelled CSV file, validating every row first."""

from __future__ import annotations

import codecs
import csv
import hashlib
import logging
import platform
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import sklearn

from ._card import render_model_card
from ._errors import DataError, InputValueError
from ._model import TopicClassifier
from ._persist import folder_lock, save_model, write_atomically
from ._version import __version__

__all__ = ["LabelledData", "iter_labelled_rows", "read_labelled_csv", "train", "train_model", "write_model_folder"]

logger = logging.getLogger(__name__)

_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
MIN_EXAMPLES_PER_LABEL = 5
CARD_FILENAME = "MODEL_CARD.md"


@dataclass(frozen=True, slots=True)
class LabelledData:
    """Texts and their label sets read from a CSV, with what was noticed on the way."""

    texts: tuple[str, ...]
    label_sets: tuple[tuple[str, ...], ...]
    path: str
    sha256: str
    duplicate_rows: tuple[int, ...] = ()
    label_counts: dict[str, int] = field(default_factory=dict)
    #: With a group column: each row's group as an integer (equal cells, equal integers; a row with
    #: an empty cell is a group of its own). None without one.
    groups: tuple[int, ...] | None = None


def read_labelled_csv(
    path: str | PathLike[str],
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    label_separator: str = "|",
    title_column: str | None = None,
    group_column: str | None = None,
    allowed_labels: Iterable[str] | None = None,
) -> LabelledData:
    """Read and validate a labelled CSV file.

    The file is UTF-8 (with or without a byte-order mark), comma-separated,
    with a header row. A labels cell holds zero or more labels joined by
    ``label_separator``; an empty cell means "no topic". ``group_column``
    names an optional column whose equal values mark rows that are forms of one
    text (see :meth:`TopicClassifier.fit`'s ``groups``); a row whose cell is
    empty is a group of its own.

    The file is read as a stream, line by line, so its size costs memory only
    for the texts kept (a duplicate row costs no more); lines are bounded by
    ``MAX_LINE_BYTES`` and cells by :func:`csv.field_size_limit`.

    Raises
    ------
    DataError
        Naming the file, row and column: the file is missing or not UTF-8, a
        column is missing or named twice, a row has the wrong number of cells,
        a text is empty, a label is malformed or not in ``allowed_labels``.
    """
    texts: list[str] = []
    label_sets: list[tuple[str, ...]] = []
    # Each distinct label set and (text, labels) row is kept once: repeats share the first one's objects.
    label_pool: dict[tuple[str, ...], tuple[str, ...]] = {}
    seen: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}
    duplicates: list[int] = []
    group_ids: dict[str, int] = {}
    groups: list[int] = []
    digest = hashlib.sha256()
    rows = _labelled_rows(
        path, digest=digest, text_column=text_column, labels_column=labels_column, label_separator=label_separator,
        title_column=title_column, group_column=group_column, allowed_labels=allowed_labels,
    )
    for row_number, body, labels, group in rows:
        if group_column:
            # An empty cell gets an id no named group can have: a group of one row.
            groups.append(group_ids.setdefault(group, len(group_ids)) if group else -row_number)
        labels = label_pool.setdefault(labels, labels)
        first = seen.setdefault((body, labels), (body, labels))
        if first[0] is not body:
            duplicates.append(row_number)
        texts.append(first[0])
        label_sets.append(first[1])
    if not texts:
        raise DataError("the file has a header but no data rows", path=Path(path))
    counts = Counter(label for labels in label_sets for label in labels)
    return LabelledData(
        texts=tuple(texts),
        label_sets=tuple(label_sets),
        path=str(Path(path)),
        sha256=digest.hexdigest(),
        duplicate_rows=tuple(duplicates),
        label_counts=dict(sorted(counts.items())),
        groups=tuple(groups) if group_column else None,
    )


def iter_labelled_rows(
    path: str | PathLike[str],
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    label_separator: str = "|",
    title_column: str | None = None,
    allowed_labels: Iterable[str] | None = None,
    digest: Any = None,
) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """Stream the validated rows of a labelled CSV as ``(row number, text, labels)``.

    The rules and errors are those of :func:`read_labelled_csv`, which collects
    these rows; a streaming trainer batches them. Blank rows are skipped.
    ``digest``, a :mod:`hashlib` object, is fed every byte read.
    """
    rows = _labelled_rows(
        path, digest=digest, text_column=text_column, labels_column=labels_column, label_separator=label_separator,
        title_column=title_column, group_column=None, allowed_labels=allowed_labels,
    )
    for row_number, body, labels, _group in rows:
        yield row_number, body, labels


def _labelled_rows(
    path: str | PathLike[str], *, digest: Any, **columns: Any
) -> Iterator[tuple[int, str, tuple[str, ...], str | None]]:
    """:func:`iter_labelled_rows`' rows with each row's group cell (None without a group column)."""
    file = Path(path)
    with _open_csv(file) as handle:
        lines = _CsvLines(handle, digest)
        try:
            yield from _validated_rows(csv.reader(lines, strict=True), file, **columns)
        except OSError as error:
            raise DataError(f"cannot read the file: {error.strerror or error}", path=file) from None


def _validated_rows(
    rows: Iterator[list[str]],
    file: Path,
    *,
    text_column: str,
    labels_column: str,
    label_separator: str,
    title_column: str | None,
    group_column: str | None,
    allowed_labels: Iterable[str] | None,
) -> Iterator[tuple[int, str, tuple[str, ...], str | None]]:
    row_number = 1
    try:
        header = next(rows)
    except StopIteration:
        raise DataError("the file is empty; expected a header row naming the columns", path=file) from None
    except (csv.Error, _LineError) as error:
        raise _row_error(error, file, row_number) from None
    if not any(cell.strip() for cell in header):
        raise DataError(
            "the first row is blank; expected a header row naming the columns (is the file empty?)", path=file, row=1
        )
    optional = [name for name in (title_column, group_column) if name]
    positions = _column_positions(header, file, [text_column, labels_column, *optional])
    allowed = None if allowed_labels is None else set(allowed_labels)
    try:
        for row_number, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines between records are harmless
            if len(cells) != len(header):
                raise DataError(
                    f"expected {len(header)} cells as in the header, found {len(cells)} "
                    "(an unquoted comma or a wrong delimiter?)",
                    path=file,
                    row=row_number,
                )
            body = cells[positions[text_column]].strip()
            if title_column:
                body = "\n".join(part for part in (cells[positions[title_column]].strip(), body) if part)
            if not body:
                raise DataError("the text is empty", path=file, row=row_number, column=text_column)
            labels = _parse_labels(cells[positions[labels_column]], label_separator, allowed, file, row_number, labels_column)
            yield row_number, body, labels, cells[positions[group_column]].strip() if group_column else None
    except (csv.Error, _LineError) as error:
        raise _row_error(error, file, row_number + 1) from None


#: A line longer than this is not a row of a usable CSV (a cell holds at most
#: ``csv.field_size_limit()`` characters); refusing it bounds the memory a file
#: without line breaks can take.
MAX_LINE_BYTES = 16 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")


class _LineError(Exception):
    """A line the CSV reader cannot use; the message says why and where, the caller adds the row."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _open_csv(file: Path) -> BinaryIO:
    try:
        return file.open("rb")
    except FileNotFoundError:
        raise DataError("no such file", path=file) from None
    except IsADirectoryError:
        raise DataError("is a folder, expected a CSV file", path=file) from None
    except OSError as error:
        raise DataError(f"cannot read the file: {error.strerror or error}", path=file) from None


class _CsvLines:
    """The lines of a CSV file for :func:`csv.reader`, read in chunks and decoded one at a time.

    Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` and keep their ending, as a file
    opened with ``newline=""`` gives them, so quoted line breaks stay intact.
    Decoding line by line lets an invalid byte be reported with its line.
    """

    def __init__(self, handle: BinaryIO, digest: Any = None) -> None:
        self._handle = handle
        self.sha256 = hashlib.sha256() if digest is None else digest
        self.line_number = 0  # of the last line read

    def __iter__(self) -> Iterator[str]:
        offset = 0
        for line in self._raw_lines():
            self.line_number += 1
            start = 3 if self.line_number == 1 and line.startswith(codecs.BOM_UTF8) else 0
            try:
                yield line[start:].decode("utf-8")
            except UnicodeDecodeError as error:
                raise _LineError(_decode_problem(line, start + error.start, offset, self.line_number)) from None
            offset += len(line)

    def _raw_lines(self) -> Iterator[bytes]:
        pending = b""
        while chunk := self._handle.read(_CHUNK_BYTES):
            self.sha256.update(chunk)
            data = pending + chunk if pending else chunk
            start = 0
            for end in _LINE_END.finditer(data):
                if end.end() == len(data) and end.group() == b"\r":
                    break  # a "\n" may follow in the next chunk
                yield data[start : end.end()]
                start = end.end()
            pending = data[start:]
            if len(pending) > MAX_LINE_BYTES:
                raise _LineError(
                    f"line {self.line_number + 1} is longer than {MAX_LINE_BYTES:,} bytes; a CSV row cannot be that long "
                    "(is this a CSV file, with line breaks between rows?)"
                )
        if pending:
            yield pending


def _decode_problem(line: bytes, index: int, offset: int, line_number: int) -> str:
    if line_number == 1 and index == 0 and line[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
    return (
        f"invalid UTF-8 (byte 0x{line[index]:02x} at byte offset {offset + index}, line {line_number}); "
        "save the file as UTF-8"
    )


def _row_error(error: Exception, file: Path, row: int) -> DataError:
    if isinstance(error, _LineError):
        return DataError(error.message, path=file, row=row)
    message = str(error)
    if "field larger than field limit" in message:
        message = (
            f"a cell is longer than {csv.field_size_limit():,} characters (a quote opened but not closed?); "
            "texts must be shorter"
        )
    elif "unexpected end of data" in message:
        message = "the file ends inside a quoted cell (a quote opened but not closed?)"
    else:
        message = f"malformed CSV: {message}"
    return DataError(message, path=file, row=row)


def _column_positions(header: list[str], file: Path, wanted: list[str]) -> dict[str, int]:
    names = [name.strip() for name in header]
    missing = [name for name in wanted if name not in names]
    if missing:
        raise DataError(
            f"missing column(s) {missing}; the header has {names}. "
            + _header_hint(names, wanted)
            + "Name the columns with --text-column / --labels-column (and --title-column / --group-column)",
            path=file,
            row=1,
        )
    for name in wanted:
        if names.count(name) > 1:
            raise DataError(
                f"column {name!r} appears {names.count(name)} times in the header; rename the others",
                path=file,
                row=1,
                column=name,
            )
    return {name: names.index(name) for name in wanted}


def _header_hint(names: list[str], wanted: list[str]) -> str:
    if any("\x00" in name for name in names):
        return "The header has NUL bytes between its letters: the file looks UTF-16; save it as UTF-8. "
    for delimiter, description in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
        split = [part.strip() for name in names for part in name.split(delimiter)]
        if len(split) > len(names) and all(name in split for name in wanted):
            return f"The file looks separated by {description}: save it comma-separated. "
    return ""


def _parse_labels(
    cell: str, separator: str, allowed: set[str] | None, file: Path, row: int, column: str
) -> tuple[str, ...]:
    if not cell.strip():
        return ()
    labels = [label.strip() for label in cell.split(separator)]
    for label in labels:
        if not label:
            raise DataError(f"empty label in {cell!r} (a stray {separator!r}?)", path=file, row=row, column=column)
        if not _LABEL.match(label):
            raise DataError(
                f"label {label!r} is malformed: use letters, digits, '_', '.', ':' or '-', "
                f"separated by {separator!r}",
                path=file,
                row=row,
                column=column,
            )
        if allowed is not None and label not in allowed:
            raise DataError(f"label {label!r} is not one of {sorted(allowed)}", path=file, row=row, column=column)
    return tuple(sorted(set(labels)))


def check_trainable(
    label_sets: Sequence[Sequence[str]],
    *,
    path: str | None = None,
    column: str | None = None,
    rows_of: Callable[[set[str]], dict[str, list[int]]] | None = None,
) -> dict[str, int]:
    """Raise when the labels cannot train a model; return the count of each label.

    ``rows_of(labels)`` gives the row numbers of each of those labels, so that the
    error about rare labels can name their rows (a typo is found there).
    """
    counts = Counter(label for labels in label_sets for label in labels)
    check_label_counts(counts, path=path, column=column, rows_of=rows_of)
    if len(counts) == 1 and all(labels for labels in label_sets):
        raise DataError(
            f"every row has the single label {next(iter(counts))!r}: add other labels or unlabelled rows",
            path=path,
        )
    return dict(sorted(counts.items()))


def check_label_counts(
    counts: Counter[str],
    *,
    path: str | PathLike[str] | None = None,
    column: str | None = None,
    rows_of: Callable[[set[str]], dict[str, list[int]]] | None = None,
) -> None:
    """Raise when no row has a label, or a label has too few examples (naming its rows when
    ``rows_of`` can find them): what both trainers check before fitting."""
    if not counts:
        raise DataError("no row has a label: a topic model needs labelled examples", path=path)
    rare = {label: count for label, count in counts.items() if count < MIN_EXAMPLES_PER_LABEL}
    if not rare:
        return
    rows = rows_of(set(rare)) if rows_of else {}
    where = "; ".join(
        f"{label!r} in row{'s' if len(rows[label]) > 1 else ''} {', '.join(map(str, rows[label]))}" for label in sorted(rows)
    )
    raise DataError(
        f"label(s) with fewer than {MIN_EXAMPLES_PER_LABEL} examples: {dict(sorted(rare.items()))}"
        + (f" ({where})" if where else "")
        + "; add examples or drop those labels",
        path=path,
        column=column,
    )


def rows_of_labels_in(path: str | PathLike[str], **csv_options: Any) -> Callable[[set[str]], dict[str, list[int]]]:
    """A ``rows_of`` for :func:`check_label_counts` that reads the CSV again (only on the way to an
    error, so no row numbers are kept while training); ``csv_options`` as :func:`iter_labelled_rows`'."""

    def rows_of(labels: set[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {label: [] for label in labels}
        for row_number, _, row_labels in iter_labelled_rows(path, **csv_options):
            for label in labels.intersection(row_labels):
                found[label].append(row_number)
        return found

    return rows_of


def train_model(
    texts: Sequence[str],
    label_sets: Sequence[Sequence[str]],
    out: str | PathLike[str],
    *,
    label_weight: Any = None,
    groups: Any = None,
    sources: Sequence[LabelledData | dict[str, Any]] = (),
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
    description: str | None = None,
    credits: str | None = None,
    **hyperparameters: Any,
) -> TopicClassifier:
    """Fit a :class:`TopicClassifier` and write it, with its model card, to ``out``.

    ``out`` is a folder: ``model.zip`` and ``MODEL_CARD.md`` are written there
    atomically, so a failed run leaves any model already there intact.
    ``description`` and ``credits`` (Markdown) go into the model card. ``label_weight`` and
    ``groups`` are :meth:`TopicClassifier.fit`'s.
    """
    counts = check_trainable(label_sets)
    say = progress or logger.info
    say(f"fitting on {len(texts):,} texts, {len(counts)} labels")
    model = TopicClassifier(random_state=random_state, **hyperparameters)
    model.fit(texts, [list(labels) for labels in label_sets], label_weight=label_weight, groups=groups)
    metadata = _training_metadata(model, texts, label_sets, counts, sources)
    if groups is not None:
        metadata["validation_groups"] = len(set(np.asarray(groups).tolist()))
    metadata.update({key: value for key, value in (("description", description), ("credits", credits)) if value})
    saved = write_model_folder(model, out, metadata)
    say(f"wrote {saved} and {saved.parent / CARD_FILENAME}")
    return model


def check_out_folder(out: str | PathLike[str]) -> None:
    """Refuse an ``out`` that exists and is not a folder, before any training time is spent."""
    if Path(out).exists() and not Path(out).is_dir():
        raise InputValueError(
            f"{out}: exists and is not a folder; the model is written to a folder (model.zip and {CARD_FILENAME} in it)"
        )


def write_model_folder(model: TopicClassifier, out: str | PathLike[str], metadata: dict[str, Any]) -> Path:
    """Write ``model.zip`` and its ``MODEL_CARD.md`` to the folder ``out``; return the model file.

    Both are written atomically and under the folder's lock, so another run saving
    there waits and model and card always come from the same run.
    """
    folder = Path(out)
    with folder_lock(folder):
        saved = save_model(model, folder, metadata=metadata)
        write_atomically(folder / CARD_FILENAME, render_model_card(metadata, name=folder.name).encode("utf-8"))
    model.metadata_ = metadata
    return saved


def train(
    path: str | PathLike[str],
    out: str | PathLike[str],
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    label_separator: str = "|",
    title_column: str | None = None,
    group_column: str | None = None,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
    **hyperparameters: Any,
) -> TopicClassifier:
    """Train a model from a labelled CSV file and write it to the folder ``out``.

    Parameters
    ----------
    path : path
        The CSV: a text column, and a labels column of zero or more labels
        joined by ``label_separator``.
    out : path
        Folder to write ``model.zip`` and ``MODEL_CARD.md`` to.
    group_column : str, optional
        A column whose equal values mark rows that are forms of one text (a
        story and its headline, one wire story from several outlets): they
        are held out together in every validation split or fold, so that
        calibration and thresholds are tuned on texts the model was not fitted
        on. A row with an empty cell is a group of its own.
    random_state : int
        Seed: the same data and seed give a byte-identical model file.
    **hyperparameters
        Passed on to :class:`TopicClassifier`.

    Returns
    -------
    TopicClassifier

    Examples
    --------
    >>> import newsclass, tempfile
    >>> model = newsclass.train("examples/train_small.csv", tempfile.mkdtemp())
    >>> list(model.classes_)
    ['business', 'culture', 'science', 'sport']
    >>> newsclass.classify("The museum opens a new wing of paintings", model=model).labels
    ('culture',)
    """
    check_out_folder(out)
    data = read_labelled_csv(
        path,
        text_column=text_column,
        labels_column=labels_column,
        label_separator=label_separator,
        title_column=title_column,
        group_column=group_column,
    )
    if data.duplicate_rows:
        shown = ", ".join(str(row) for row in data.duplicate_rows[:10])
        logger.warning("%s: %d duplicate rows (rows %s%s)", path, len(data.duplicate_rows), shown,
                       ", ..." if len(data.duplicate_rows) > 10 else "")

    rows_of = rows_of_labels_in(
        path, text_column=text_column, labels_column=labels_column, label_separator=label_separator, title_column=title_column
    )
    check_trainable(data.label_sets, path=data.path, column=labels_column, rows_of=rows_of)
    return train_model(
        data.texts, data.label_sets, out, groups=data.groups, sources=[data], random_state=random_state, progress=progress,
        **hyperparameters,
    )


# Parameters that change how fast a model trains, not what it learns: kept off the card so that
# the same data and seed give the same file whatever the machine.
_NOT_HYPERPARAMETERS = frozenset({"n_jobs"})


def _training_metadata(
    model: TopicClassifier,
    texts: Sequence[str],
    label_sets: Sequence[Sequence[str]],
    counts: dict[str, int],
    sources: Sequence[LabelledData | dict[str, Any]],
) -> dict[str, Any]:
    return {
        "rows": len(texts),
        "rows_without_label": sum(1 for labels in label_sets if not labels),
        "label_counts": counts,
        "training_files": [
            {"path": Path(source.path).name, "sha256": source.sha256, "rows": len(source.texts)}
            if isinstance(source, LabelledData)
            else dict(source)
            for source in sources
        ],
        "hyperparameters": {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in model.get_params().items()
            if name not in _NOT_HYPERPARAMETERS
        },
        "validation": getattr(model, "validation_scores_", {}),
        "thresholds": {str(label): float(threshold) for label, threshold in zip(model.classes_, model.thresholds_)},
        "terms": int(model.coef_.shape[1]),
        "versions": {
            "newsclass": __version__,
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
    }

