"""``newsclass classify``: tag a page's story items, pre-split items, or one text with topics.

Pre-split items (JSON Lines or CSV, of any size) are streamed: read a chunk at a
time, classified, and written as they go, in input order; an item that cannot
be read gives an error record in its place and the run goes on.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from .._classify import classify, classify_page
from .._errors import InputValueError
from .._feed import json_type
from .._items import StoryItem
from .._stream import DEFAULT_CHUNK_SIZE, ItemError, in_workers, predict_records, worker_scoring
from ._common import (
    add_common_options,
    add_output_option,
    add_page_options,
    cli_terms,
    integer_at_least,
    note_if_no_items,
    open_binary,
    option_type,
    page_options,
    read_page,
    shorten,
    write_records,
)
from ._progress import Progress

PAGE_COLUMNS = ("index", "start_line", "end_line", "title", "caption", "credit", "body", "labels", "scores")
TEXT_COLUMNS = ("id", "text", "labels", "scores", "error")
TABLE_COLUMNS = ("index", "lines", "story", "topics")
_probability = option_type(float, lambda number: 0 <= number <= 1, "a number from 0 to 1")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "classify",
        help="tag each story of a page (or given texts) with topics",
        description="Segment a page into story items and tag each with topics; or tag one text "
        "(--text) or pre-split items (--items-jsonl, --items-csv), streamed in input order.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("page", metavar="PATH", nargs="?", help="the page file, or - for standard input")
    source.add_argument("--text", help="classify this one text instead of a page")
    source.add_argument(
        "--items-jsonl",
        metavar="PATH",
        help="classify pre-split items: a JSON Lines file (or - for stdin) of objects with a "
        "'text' or 'body' field (optional 'id', 'title', 'caption'), or of JSON strings",
    )
    source.add_argument(
        "--items-csv",
        metavar="PATH",
        help="classify pre-split items: a CSV file (or - for stdin) with a header row, UTF-8",
    )
    parser.add_argument(
        "--text-column", metavar="NAME", help="field or column of the texts (default: text; in JSON Lines also body)"
    )
    parser.add_argument(
        "--id-column", metavar="NAME",
        help="field or column of item ids, which every item must have (default: id when present, else the item number)",
    )
    parser.add_argument("--jobs", type=integer_at_least(1), default=1, metavar="N", help="worker processes for pre-split items (default: 1)")
    parser.add_argument(
        "--chunk-size", type=integer_at_least(1), default=DEFAULT_CHUNK_SIZE, metavar="N",
        help=f"pre-split items classified together (default: {DEFAULT_CHUNK_SIZE})",
    )
    parser.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="items/s and ETA on stderr (default: when stderr is a terminal)",
    )
    parser.add_argument("--model", metavar="PATH", help="a model file or folder (default: the shipped model)")
    parser.add_argument("--threshold", type=_probability, help="one probability threshold for every label (default: per-label, tuned)")
    parser.add_argument("--top-k", type=integer_at_least(1), help="keep at most this many labels per item")
    parser.add_argument(
        "--explain", action="store_true",
        help="add the terms that pushed each label: an 'explanation' field (in CSV, a JSON-encoded column; in a "
        "table, a 'top words' column of each label's first three terms)",
    )
    add_page_options(parser)
    add_output_option(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    options = {"model": args.model, "threshold": args.threshold, "top_k": args.top_k, "explain": args.explain}
    if args.items_jsonl is not None or args.items_csv is not None:
        return _run_items(args, options)
    if args.text is not None:
        with cli_terms("--text"):
            prediction = classify(args.text, max_chars=args.max_chars or None, **options)
        _warn_if_wordless(args.text, "--text", _print_warning)
        records = [{"id": 0, "text": args.text, **prediction.to_dict()}]
        columns = TEXT_COLUMNS
    else:
        with cli_terms(args.page):
            tagged = classify_page(read_page(args.page, args.max_chars), **page_options(args), **options)
        records = [tagged_item.to_dict() for tagged_item in tagged]
        columns = PAGE_COLUMNS
        note_if_no_items(records, args.page)
    _write(records, args, columns)
    return 0


def _write(records: Iterable[dict[str, Any]], args: argparse.Namespace, columns: tuple[str, ...]) -> None:
    """Write records in the chosen format; with --explain, CSV gets an 'explanation' and a table a 'top words' column."""
    if args.output_format == "table":
        table_columns = TABLE_COLUMNS + (("top words",) if args.explain else ())
        write_records([_table_record(record) for record in records], "table", table_columns)
    else:
        write_records(records, args.output_format, columns + (("explanation",) if args.explain else ()))


def _run_items(args: argparse.Namespace, options: dict[str, Any]) -> int:
    source = args.items_jsonl if args.items_jsonl is not None else args.items_csv
    handle, size = open_binary(source)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    progress = Progress(total_bytes=size, enabled=show)
    failures = 0

    def report(message: str) -> None:
        nonlocal failures
        failures += 1
        print(f"newsclass: error: {message}", file=sys.stderr)

    reading = {"id_field": args.id_column, "max_chars": args.max_chars or None}

    with handle as stream:  # for stdin, a null context around sys.stdin.buffer
        lines = progress.counting(stream)
        if args.jobs > 1 and args.items_jsonl is not None and args.output_format == "jsonl":
            _write_jsonl_in_workers(lines, source, args, options, progress, report)
        else:
            if args.items_jsonl is not None:
                items = _read_jsonl(lines, source, args.text_column, **reading)
            else:
                items = _read_csv(lines, source, args.text_column or "text", **reading)
            # The readers apply --max-chars, naming the line; the library would name neither.
            results = predict_records(items, jobs=args.jobs, chunk_size=args.chunk_size, max_chars=None, **options)
            _write(_output_records(results, report, _print_warning, progress.advance), args, TEXT_COLUMNS)
    progress.finish()
    if progress.items == 0:
        expected = "one JSON object or string per line" if args.items_jsonl is not None else "rows after the header row"
        raise InputValueError(f"{source}: no items; expected {expected}")
    if failures:
        print(f"newsclass: {failures:,} of {progress.items:,} items could not be read (error records in the output)", file=sys.stderr)
    return 1 if failures else 0


def _output_records(
    results: Iterable[tuple[Any, Any, Any]],
    report: Callable[[str], None],
    warn: Callable[[str], None],
    advance: Callable[[], None] = lambda: None,
) -> Iterator[dict[str, Any]]:
    """The output record of each classified item, or an error record (also reported) in its place."""
    for identifier, item, result in results:
        advance()
        if isinstance(result, ItemError):
            report(result.message)
            yield {"id": identifier, "error": result.message}
        else:
            text = item if isinstance(item, str) else item.text
            _warn_if_wordless(text, f"item {identifier}", warn)
            yield {"id": identifier, "text": text, **result.to_dict()}


def _warn_if_wordless(text: str, name: str, warn: Callable[[str], None]) -> None:
    # The library scores such a text like any other (every label near its baseline); say so rather than pass it silently.
    if not any(character.isalnum() for character in text):
        warn(f"{name}: the text has no words; its scores are the model's baseline, not evidence of a topic")


def _print_warning(message: str) -> None:
    print(f"newsclass: warning: {message}", file=sys.stderr)


def _write_jsonl_in_workers(
    lines: Iterator[bytes], source: str, args: argparse.Namespace, options: dict[str, Any], progress: Progress,
    report: Callable[[str], None],
) -> None:
    """JSON Lines in and out over worker processes that do all of an item's work.

    Each worker gets a chunk of raw lines and returns the output lines: parsing,
    scoring and writing JSON all happen there, where they run in parallel; this
    process only reads lines and writes text, so that it keeps up with the workers.
    """
    settings = {
        "source": source, "text_column": args.text_column, "id_field": args.id_column, "chunk_size": args.chunk_size,
        "max_chars": args.max_chars or None, **options,
    }

    def blocks() -> Iterator[tuple[int, int, list[bytes]]]:
        line_number, count = 1, 0
        while block := list(islice(lines, args.chunk_size)):
            yield line_number, count, block
            line_number += len(block)
            count += sum(1 for line in block if line.strip())

    for _, (text, errors, warnings, items) in in_workers(
        _classify_jsonl_block, blocks(), lambda block: (*block, settings), args.jobs
    ):
        sys.stdout.write(text)
        for message in warnings:
            _print_warning(message)
        for message in errors:
            report(message)
        progress.advance(items)


def _classify_jsonl_block(
    first_line: int, first_count: int, lines: list[bytes], settings: dict[str, Any]
) -> tuple[str, list[str], list[str], int]:
    """In a worker: the output lines of a chunk of JSON Lines, its error and warning messages, and its number of items."""
    items = _read_jsonl(
        iter(lines), settings["source"], settings["text_column"], id_field=settings["id_field"],
        max_chars=settings["max_chars"], first_line=first_line, first_count=first_count,
    )
    results = predict_records(
        items, model=worker_scoring(settings["model"], settings["explain"]), threshold=settings["threshold"],
        top_k=settings["top_k"], explain=settings["explain"], chunk_size=settings["chunk_size"], max_chars=None,
    )
    errors: list[str] = []
    warnings: list[str] = []
    records = list(_output_records(results, errors.append, warnings.append))
    buffer = io.StringIO()
    write_records(records, "jsonl", TEXT_COLUMNS, buffer)
    return buffer.getvalue(), errors, warnings, len(records)


def _read_jsonl(
    lines: Iterator[bytes], source: str, text_field: str | None, *, id_field: str | None = None,
    max_chars: int | None = None, first_line: int = 1, first_count: int = 0,
) -> Iterator[tuple[Any, Any]]:
    """(identifier, item or error) of each non-blank line; ``first_line`` and ``first_count`` place a
    chunk of lines in its file (for line numbers, and item numbers as default identifiers)."""
    count = first_count
    for line_number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        where = f"{source}: line {line_number}"
        try:
            line = raw.decode("utf-8-sig" if line_number == 1 else "utf-8")
            value = json.loads(line)
        except UnicodeDecodeError as error:
            yield count, ItemError(f"{where}: not UTF-8 (byte {error.start} of the line); JSON Lines must be UTF-8")
        except json.JSONDecodeError as error:
            yield count, ItemError(f"{where}: not valid JSON ({error.msg})")
        else:
            identifier, item = _item_from_json(value, where, count, text_field, id_field)
            yield identifier, _within_limit(item, max_chars, where)
        count += 1


def _item_from_json(
    value: Any, where: str, count: int, text_field: str | None = None, id_field: str | None = None
) -> tuple[Any, str | StoryItem | ItemError]:
    if isinstance(value, str):
        return count, value
    if isinstance(value, dict):
        if id_field is not None and id_field not in value:
            return count, ItemError(f"{where}: no field {id_field!r} (--id-column); the object has {list(value)}")
        identifier = value.get(id_field or "id", count)
        body = value.get(text_field) if text_field else value.get("text", value.get("body"))
        if isinstance(body, str):
            if value.get("title") or value.get("caption"):
                return identifier, StoryItem(index=count, body=body, title=value.get("title"), caption=value.get("caption"))
            return identifier, body
        fields = (text_field,) if text_field else ("text", "body")
        present = [name for name in fields if name in value]
        found = f"{present[0]!r} is {json_type(value[present[0]])}" if present else "an object without one"
        return identifier, ItemError(
            f"{where}: expected a JSON string or an object with a {' or '.join(map(repr, fields))} string, found {found}"
        )
    return count, ItemError(
        f"{where}: expected a JSON string or an object with a 'text' or 'body' string, found {type(value).__name__}"
    )


def _within_limit(item: str | StoryItem | ItemError, max_chars: int | None, where: str) -> str | StoryItem | ItemError:
    """The item, or an error naming its place when its text is longer than --max-chars."""
    if isinstance(item, ItemError) or max_chars is None:
        return item
    length = len(item if isinstance(item, str) else item.text)
    if length <= max_chars:
        return item
    return ItemError(
        f"{where}: the text has {length:,} characters, more than --max-chars {max_chars:,}; "
        "split it, or raise --max-chars (0 for no limit)"
    )


def _read_csv(
    lines: Iterator[bytes], source: str, text_column: str, *, id_field: str | None = None, max_chars: int | None = None
) -> Iterator[tuple[Any, Any]]:
    """(identifier, item or error) of each row. Malformed CSV ends the file: the items before it are
    yielded, then one error record in place of the rest, so that no item read is lost."""
    # Undecodable bytes become surrogates, so that one bad row is an error record, not the end of the run.
    decoded = (line.decode("utf-8", "surrogateescape") for line in lines)
    rows = csv.reader(_split_at_lone_carriage_returns(_without_bom(decoded)), strict=True)
    header = _csv_header(rows, source, text_column, id_field)
    text_at = header.index(text_column)
    id_at = header.index(id_field or "id") if (id_field or "id") in header else None

    def unknown_id(position: int) -> int | None:
        # Where a file has ids, an item number in their place could repeat one of them: no id then.
        return None if id_at is not None else position

    row_number, count = 1, 0
    try:
        for cells in rows:
            count += 1
            row_number = rows.line_num
            where = f"{source}: row ending on line {row_number}"
            identifier = cells[id_at] if id_at is not None and id_at < len(cells) else unknown_id(count - 1)
            if len(cells) != len(header):
                yield identifier, ItemError(f"{where}: expected {len(header)} cells as in the header, found {len(cells)}")
                continue
            text = cells[text_at]
            if not _encodable(text):
                yield (identifier if _encodable(identifier) else unknown_id(count - 1)), ItemError(
                    f"{where}: not valid UTF-8; save the file as UTF-8"
                )
                continue
            yield identifier, _within_limit(text, max_chars, where)
    except csv.Error as error:
        yield unknown_id(count), ItemError(
            f"{source}: line {row_number + 1}: malformed CSV ({error}); the rest of the file cannot be read"
        )


def _csv_header(rows: Iterator[list[str]], source: str, text_column: str, id_field: str | None) -> list[str]:
    """The column names; an error when they are missing, unreadable, or lack a column the options name."""
    try:
        header = [name.strip() for name in next(rows)]
    except StopIteration:
        raise InputValueError(f"{source}: the file is empty; expected a header row naming the columns") from None
    except csv.Error as error:
        raise InputValueError(
            f"{source}: line 1: malformed CSV ({error}); expected a header row naming the columns (is it a CSV file?)"
        ) from None
    if any(_BINARY.search(name) for name in header):
        raise InputValueError(
            f"{source}: line 1: malformed CSV (control characters in the header row: a binary file?); "
            "expected a header row naming the columns"
        )
    for name, option in ((text_column, "--text-column"), (id_field, "--id-column")):
        if name is not None and name not in header:
            raise InputValueError(f"{source}: no column {name!r}; the header has {_readable_header(header)}. Name it with {option}")
    return header


def _readable_header(header: list[str]) -> str:
    """The header as a list; when it is not UTF-8, decoded as Windows-1252 (what such files mostly are), and said so."""
    if all(_encodable(name) for name in header):
        return str(header)
    legacy = [name.encode("utf-8", "surrogateescape").decode("cp1252", "replace") for name in header]
    return f"{legacy} (read as Windows-1252: the file is not UTF-8; save it as UTF-8)"


# Characters no header of a text file holds (tab and line ends aside).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A carriage return not followed by a line feed: old Mac line ends, which binary line reading leaves inside one line.
_LONE_CARRIAGE_RETURN = re.compile(r"(?<=\r)(?!\n)")


def _split_at_lone_carriage_returns(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        yield from filter(None, _LONE_CARRIAGE_RETURN.split(line)) if "\r" in line else (line,)


def _encodable(value: Any) -> bool:
    try:
        str(value).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _without_bom(lines: Iterator[str]) -> Iterator[str]:
    first = next(lines, None)
    if first is None:
        return
    yield first.removeprefix("\ufeff")
    yield from lines


def _table_record(record: dict[str, Any]) -> dict[str, Any]:
    lines = f"{record['start_line']}-{record['end_line']}" if "start_line" in record else ""
    story = record.get("title") or record.get("body") or record.get("text")
    if "error" in record:
        topics = f"error: {record['error']}"
    else:
        topics = ", ".join(f"{label} {record['scores'][label]:.2f}" for label in record["labels"]) or "(none)"
    row = {"index": record.get("index", record.get("id")), "lines": lines, "story": shorten(story, 64), "topics": topics}
    if "explanation" in record:
        row["top words"] = "; ".join(
            f"{label}: {', '.join(term for term, _ in terms[:3])}" for label, terms in record["explanation"].items()
        )
    return row
