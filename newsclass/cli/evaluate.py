"""``newsclass evaluate``: score a model on a labelled CSV."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ._common import add_common_options


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "evaluate",
        help="score a model on a labelled CSV",
        description="Score a model on a labelled CSV (same columns as for training): per-label "
        "precision, recall, F1 and support, micro and macro averages, frequent confusions.",
    )
    parser.add_argument("model", metavar="MODEL", help="a model file or folder, or 'default' for the shipped model")
    parser.add_argument("data", metavar="DATA.csv", help="the labelled CSV file (UTF-8)")
    parser.add_argument("--text-column", default="text", help="column of the texts (default: text)")
    parser.add_argument("--labels-column", default="labels", help="column of the labels (default: labels)")
    parser.add_argument("--label-separator", default="|", help="separator of labels in a cell (default: |)")
    parser.add_argument("--title-column", help="optional column of titles, put before each text")
    parser.add_argument("--report", metavar="DIR", help="also write DIR/report.md with PNG plots (needs newsclass[report])")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    add_common_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from .._evaluate import evaluate, write_report  # imports scikit-learn, which other commands never need

    result = evaluate(
        None if args.model == "default" else args.model,
        args.data,
        text_column=args.text_column,
        labels_column=args.labels_column,
        label_separator=args.label_separator,
        title_column=args.title_column,
    )
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_table(result)
    if args.report:
        report = write_report(result, args.report, title=f"Evaluation of {args.model} on {args.data}")
        print(f"newsclass: wrote {report}", file=sys.stderr)
    return 0


def _print_table(result: Any) -> None:
    print(f"{'label':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    rows = [*result.labels.items(), ("micro avg", result.micro), ("macro avg", result.macro)]
    for label, scores in rows:
        print(f"{label:<14} {scores.precision:>9.3f} {scores.recall:>7.3f} {scores.f1:>6.3f} {scores.support:>8}")
    print(f"\n{result.items} items, exact label-set match {result.exact_match:.3f}")
    if result.confusions:
        print("most frequent confusions (missed -> assigned instead):")
        for true_label, wrong, count in result.confusions[:10]:
            print(f"  {true_label} -> {wrong}: {count}")
