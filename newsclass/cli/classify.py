"""``newsclass classify``: tag a page's story items, pre-split items, or one text with topics."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from typing import Any

from .._classify import classify, classify_page
from .._errors import InputValueError
from .._items import StoryItem
from .._segment import FORMATS
from ._common import add_common_options, add_output_option, read_page, shorten, write_records

PAGE_COLUMNS = ("index", "start_line", "end_line", "title", "caption", "credit", "body", "labels", "scores")
TEXT_COLUMNS = ("id", "text", "labels", "scores")
TABLE_COLUMNS = ("index", "lines", "story", "topics")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "classify",
        help="tag each story of a page (or given texts) with topics",
        description="Segment a page into story items and tag each with topics; or tag one text "
        "(--text) or pre-split items (--items-jsonl).",
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
    parser.add_argument("--model", metavar="PATH", help="a model file or folder (default: the shipped model)")
    parser.add_argument("--threshold", type=float, help="one probability threshold for every label (default: per-label, tuned)")
    parser.add_argument("--top-k", type=int, help="keep at most this many labels per item")
    parser.add_argument("--explain", action="store_true", help="add the terms that pushed each label")
    parser.add_argument("--page-format", choices=FORMATS, default="auto", help="how to read the page (default: auto)")
    parser.add_argument("--encoding", help="codec of the page file (default: detected)")
    add_output_option(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    options = {"model": args.model, "threshold": args.threshold, "top_k": args.top_k, "explain": args.explain}
    if args.text is not None:
        prediction = classify(args.text, **options)
        records = [{"id": 0, "text": args.text, **prediction.to_dict()}]
        columns = TEXT_COLUMNS
    elif args.items_jsonl is not None:
        identifiers, texts = zip(*_read_items(args.items_jsonl))
        records = [
            {"id": identifier, "text": text if isinstance(text, str) else text.text, **prediction.to_dict()}
            for identifier, text, prediction in zip(identifiers, texts, classify(list(texts), **options))
        ]
        columns = TEXT_COLUMNS
    else:
        tagged = classify_page(read_page(args.page), format=args.page_format, encoding=args.encoding, **options)
        records = [tagged_item.to_dict() for tagged_item in tagged]
        columns = PAGE_COLUMNS
    if args.output_format == "table":
        write_records([_table_record(record) for record in records], "table", TABLE_COLUMNS)
    else:
        write_records(records, args.output_format, columns)
    return 0


def _read_items(source: str) -> Iterator[tuple[Any, str | StoryItem]]:
    try:
        text = read_page(source).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputValueError(f"{source}: not UTF-8 (byte offset {error.start}); JSON Lines must be UTF-8") from None
    count = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputValueError(f"{source}: line {line_number}: not valid JSON ({error.msg})") from None
        yield _item_from_json(value, source, line_number, count)
        count += 1
    if count == 0:
        raise InputValueError(f"{source}: no items (expected one JSON object or string per line)")


def _item_from_json(value: Any, source: str, line_number: int, count: int) -> tuple[Any, str | StoryItem]:
    if isinstance(value, str):
        return count, value
    if isinstance(value, dict):
        body = value.get("text", value.get("body"))
        if isinstance(body, str):
            identifier = value.get("id", count)
            if value.get("title") or value.get("caption"):
                return identifier, StoryItem(index=count, body=body, title=value.get("title"), caption=value.get("caption"))
            return identifier, body
    raise InputValueError(
        f"{source}: line {line_number}: expected a JSON string or an object with a 'text' or 'body' string, "
        f"found {type(value).__name__}"
    )


def _table_record(record: dict[str, Any]) -> dict[str, Any]:
    lines = f"{record['start_line']}-{record['end_line']}" if "start_line" in record else ""
    story = record.get("title") or record.get("body") or record.get("text")
    topics = ", ".join(f"{label} {record['scores'][label]:.2f}" for label in record["labels"]) or "(none)"
    return {"index": record.get("index", record.get("id")), "lines": lines, "story": shorten(story, 64), "topics": topics}
