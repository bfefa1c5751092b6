"""``newsclass segment``: split a page into story items."""

from __future__ import annotations

import argparse
from typing import Any

from .._segment import segment
from ._common import (
    add_common_options,
    add_output_option,
    add_page_options,
    cli_terms,
    note_if_no_items,
    page_options,
    read_page,
    shorten,
    write_records,
)

COLUMNS = ("index", "start_line", "end_line", "title", "caption", "credit", "body")
TABLE_COLUMNS = ("index", "lines", "title", "caption", "credit", "body")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "segment",
        help="split a page into story items",
        description="Split a news page (plain text, HTML or a feed) into story items and print one record per item.",
    )
    parser.add_argument("page", metavar="PATH", help="the page file, or - for standard input")
    add_page_options(parser)
    add_output_option(parser)
    add_common_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    with cli_terms(args.page):
        result = segment(read_page(args.page, args.max_chars), **page_options(args))
    records = [item.to_dict() for item in result]
    note_if_no_items(records, args.page)
    if args.output_format == "table":
        records = [_table_record(record) for record in records]
        write_records(records, "table", TABLE_COLUMNS)
    else:
        write_records(records, args.output_format, COLUMNS)
    return 0


def _table_record(record: dict[str, Any]) -> dict[str, Any]:
    return {
        **record,
        "lines": f"{record['start_line']}-{record['end_line']}",
        "title": shorten(record["title"], 30),
        "caption": shorten(record["caption"], 30),
        "credit": shorten(record["credit"], 24),
        "body": shorten(record["body"], 50),
    }
