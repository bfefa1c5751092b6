"""Options and input/output shared by the subcommands."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from .._errors import InputTooLargeError, InputValueError, PageDecodeError
from .._segment import FORMATS
from .._text import DEFAULT_MAX_CHARS, MAX_BYTES_PER_CHAR

OUTPUT_FORMATS = ("jsonl", "csv", "table")
T = TypeVar("T")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand has."""
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more diagnostics on stderr (-vv for debug)")


def add_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=OUTPUT_FORMATS,
        default="jsonl",
        help="output: JSON Lines (default), CSV, or a table for reading",
    )


def add_page_options(parser: argparse.ArgumentParser) -> None:
    """Options of the subcommands that read a page: how to read it and how large it may be."""
    parser.add_argument(
        "--page-format",
        choices=FORMATS,
        default="auto",
        help="how to read the page: text, html, markdown, or feed (RSS, Atom, or JSON entries); auto detects it (default: auto)",
    )
    parser.add_argument("--encoding", help="codec of the page file (default: detected)")
    parser.add_argument(
        "--max-chars",
        type=integer_at_least(0, "0 or more (0 for no limit)"),
        default=DEFAULT_MAX_CHARS,
        metavar="N",
        help=f"refuse pages (or texts, items) longer than N characters (default: {DEFAULT_MAX_CHARS:,}; 0 for no limit)",
    )


def option_type(convert: Callable[[str], T], accept: Callable[[T], bool], wanted: str) -> Callable[[str], T]:
    """An argparse type: ``convert(value)`` when ``accept`` takes it; else a usage error naming the option
    (exit 2) that says what was ``wanted``."""

    def parse(value: str) -> T:
        try:
            converted = convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {value!r}") from None
        if not accept(converted):
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {value!r}")
        return converted

    return parse


def integer_at_least(minimum: int, wanted: str | None = None) -> Callable[[str], int]:
    """An argparse type: an integer of at least ``minimum``."""
    wanted = wanted or ("a positive integer" if minimum == 1 else f"an integer of at least {minimum}")
    return option_type(int, lambda number: number >= minimum, wanted)


def page_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of segment() that add_page_options() collects."""
    return {"format": args.page_format, "encoding": args.encoding, "max_chars": args.max_chars or None}


# The library's advice names its parameters; on the command line the same advice names the options.
_CLI_TERMS = (
    (re.compile(r"max_chars=([\d,]+)"), r"--max-chars \1"),
    (re.compile(re.escape("pass a larger max_chars (None for no limit)")), "raise --max-chars (0 for no limit)"),
    (re.compile(re.escape("pass encoding=... or decode the page yourself")), "name the file's codec with --encoding"),
    (re.compile(re.escape("(from the given encoding)")), "(from --encoding)"),
    (re.compile(r"\bformat='(\w+)'"), r"--page-format \1"),
)


def in_cli_terms(message: str) -> str:
    """A library error message with its parameters (max_chars, encoding, format) named as the CLI's options."""
    for pattern, replacement in _CLI_TERMS:
        message = pattern.sub(replacement, message)
    return message


@contextlib.contextmanager
def cli_terms(source: str) -> Iterator[None]:
    """Re-raise the library's errors about the page (its decoding, size, format) naming ``source`` and the options that fix them."""
    try:
        yield
    except InputValueError as error:
        message = in_cli_terms(str(error))
        if message == str(error) and not isinstance(error, (PageDecodeError, InputTooLargeError)):
            raise  # not about the page (a missing file names itself already)
        where = "standard input" if source == "-" else source
        raise type(error)(f"{where}: {message}", position=error.position) from None


def note_if_no_items(records: list[Any], source: str) -> None:
    """Say on stderr that a page gave no story item, so empty output is not mistaken for a failure."""
    if not records:
        where = "standard input" if source == "-" else source
        print(f"newsclass: no story items found in {where} (no text, or only boilerplate)", file=sys.stderr)


def read_page(source: str, max_chars: int | None = None) -> bytes:
    """Return the raw bytes of a file, or of stdin for ``-``; decoding is segment()'s job.

    With ``max_chars``, reading stops one byte past what any page of that many characters
    can take, so a huge input is refused by segment() without being read whole.
    """
    limit = None if not max_chars else MAX_BYTES_PER_CHAR * max_chars
    if source == "-":
        content = sys.stdin.buffer.read(-1 if limit is None else limit + 1)
    else:
        with _file_errors(source, "a page file"), Path(source).open("rb") as handle:
            content = handle.read(-1 if limit is None else limit + 1)
    if limit is not None and len(content) > limit:
        raise InputTooLargeError(
            f"{source}: more than {limit:,} bytes, more than a page of --max-chars {max_chars:,} characters "
            "can take; raise --max-chars (0 for no limit) or split the page"
        )
    return content


def open_binary(source: str) -> tuple[BinaryIO, int | None]:
    """Open a file (or stdin for ``-``) to read in binary, line by line; return it and its size when known."""
    if source == "-":
        return contextlib.nullcontext(sys.stdin.buffer), None  # type: ignore[return-value]
    path = Path(source)
    with _file_errors(source, "a file"):
        handle = path.open("rb")
    return handle, os.fstat(handle.fileno()).st_size if path.is_file() else None


@contextlib.contextmanager
def _file_errors(source: str, expected: str) -> Iterator[None]:
    """Turn the errors of opening or reading ``source`` into messages naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputValueError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputValueError(f"{source}: is a folder, expected {expected}") from None
    except OSError as error:
        raise InputValueError(f"{source}: cannot read: {error.strerror}") from None


def write_records(records: Iterable[dict[str, Any]], output_format: str, columns: Sequence[str], stream: TextIO | None = None) -> None:
    """Write records as JSON Lines, CSV (the given columns) or an aligned table."""
    stream = stream or sys.stdout
    if output_format == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif output_format == "csv":
        writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({key: _csv_cell(value) for key, value in record.items()})
    else:
        _write_table(list(records), columns, stream)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "|".join(str(part) for part in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_table(records: list[dict[str, Any]], columns: Sequence[str], stream: TextIO) -> None:
    rows = [[_table_cell(record.get(column)) for column in columns] for record in records]
    widths = [max([len(column)] + [len(row[index]) for row in rows]) for index, column in enumerate(columns)]
    stream.write("  ".join(column.ljust(width) for column, width in zip(columns, widths)).rstrip() + "\n")
    stream.write("  ".join("-" * width for width in widths) + "\n")
    for row in rows:
        stream.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")


def _table_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(part) for part in value)
    return " ".join(str(value).split())


def shorten(text: str | None, width: int = 60) -> str:
    """One line of at most ``width`` characters, ending in an ellipsis when cut."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
