"""``newsclass train``: train a model from a labelled CSV file."""

from __future__ import annotations

import argparse
import csv
import functools
import math
import sys
from typing import Any

from ._common import add_common_options, integer_at_least, option_type

# The streaming trainer's default number of passes (DEFAULT_PASSES there, which a test checks this
# against): written out so that building the parser does not import the trainers and scikit-learn.
STREAMING_PASSES = 8
# NumPy's largest seed (MAX_SEED in newsclass._model, which a test checks this against), written
# out for the same reason.
_MAX_SEED = 2**32 - 1
_STREAMING_CALIBRATION = "calibrates on its validation sample (one row in ten)"
# Enough of the first line for any header; a file without line breaks is not read whole for a note.
_HEADER_CHARS = 1 << 16
# newsclass._model.THRESHOLD_RULES (a test checks), written out for the same reason.
THRESHOLD_RULES = ("argmax", "calibrated")
_threshold_beta = option_type(float, lambda beta: 0 < beta < math.inf, "a positive number")
_lead_tokens = option_type(
    lambda value: None if value == "none" else int(value),
    lambda tokens: tokens is None or tokens >= 1,
    "a positive integer or none",
)
_training_jobs = option_type(int, lambda jobs: jobs >= 1 or jobs == -1, "a positive integer or -1 (every core)")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train",
        help="train a model from a labelled CSV",
        description="Train a topic model from a CSV with a text column and a labels column "
        "(zero or more labels per row, joined by the separator). Writes OUT/model.zip and "
        "OUT/MODEL_CARD.md; a failed run leaves an existing model there untouched.",
    )
    parser.add_argument("data", metavar="DATA.csv", help="the labelled CSV file (UTF-8)")
    parser.add_argument("--out", required=True, metavar="FOLDER", help="folder to write the model to")
    parser.add_argument("--text-column", default="text", help="column of the texts (default: text)")
    parser.add_argument("--labels-column", default="labels", help="column of the labels (default: labels)")
    parser.add_argument("--label-separator", default="|", help="separator of labels in a cell (default: |)")
    parser.add_argument("--title-column", help="optional column of titles, put before each text")
    parser.add_argument(
        "--group-column",
        help="optional column whose equal values mark rows that are forms of one text (a story and its headline, "
        "one wire story from several outlets): held out together in validation; an empty cell is a group of its own",
    )
    parser.add_argument("--seed", type=integer_at_least(0), default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--jobs", type=_training_jobs, default=1, metavar="N",
        help="labels fitted at once, in threads (default: 1; -1 for every core); the model does not depend on it",
    )
    parser.add_argument(
        "--stop-words", choices=["english", "none"], default="english",
        help="leave out terms made only of English function words and reporting verbs (default: english); "
        "none for texts in other languages",
    )
    parser.add_argument(
        "--lead-tokens", type=_lead_tokens, default=60, metavar="N|none",
        help="also score a long text's first N tokens, and give each topic the higher score (default: 60); "
        "none scores whole texts only",
    )
    parser.add_argument(
        "--class-weight", choices=["sqrt_balanced", "balanced", "none"],
        help="how a label's few positives weigh against its many negatives (default: sqrt_balanced, the square "
        "roots of scikit-learn's balanced weights, which hold up better on unseen sources; balanced can score "
        "higher on text from the training data's own sources); in-memory training only",
    )
    parser.add_argument(
        "--validation-splits", type=integer_at_least(1), metavar="N",
        help="calibrate and tune each label's threshold on the pooled scores of N random 15%% validation splits "
        "(N-1 extra fits; default: 1): thresholds that depend less on one split; in-memory training only",
    )
    parser.add_argument(
        "--validation-folds", type=integer_at_least(2), metavar="K",
        help="calibrate and tune each label's threshold on scores of every row by models fitted without it, "
        "in K folds (K extra fits), instead of one 15%% validation split: steadier thresholds, above all on "
        "small files; in-memory training only",
    )
    parser.add_argument(
        "--threshold-beta", type=_threshold_beta, default=1.0, metavar="B",
        help="tune each label's threshold for F-beta instead of F1 (default: 1): above 1 favours recall, for text from "
        "sources unlike the training data, at a cost on text like it; below 1 favours precision",
    )
    parser.add_argument(
        "--threshold-rule", choices=THRESHOLD_RULES, default="argmax",
        help="how each label's threshold is read off the validation scores: argmax (default), the best F-beta's; "
        "calibrated, the best F-beta / (1 + B^2), which moves less when the training rows change",
    )
    parser.add_argument(
        "--streaming", action="store_true",
        help="train out of core, for a CSV larger than memory: hashed features and SGD, in passes over the file",
    )
    parser.add_argument(
        "--passes", type=integer_at_least(1), default=STREAMING_PASSES, metavar="N", help=f"with --streaming: training passes (default: {STREAMING_PASSES})"
    )
    add_common_options(parser)
    parser.set_defaults(run=run, check=functools.partial(check_options, parser))
    return parser


def check_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse options that cannot go together as usage errors (exit 2), before the CSV is read."""
    if args.streaming:
        if args.title_column:
            parser.error("--title-column is not available with --streaming; put the titles into the text column")
        if args.group_column:
            parser.error("--group-column is for in-memory training; --streaming validates on every tenth row")
        if args.jobs != 1:
            parser.error("--jobs is for in-memory training; --streaming trains on one core")
        for option, value, instead in [
            ("--class-weight", args.class_weight, "weighs positives by the negative/positive ratio"),
            ("--validation-splits", args.validation_splits, _STREAMING_CALIBRATION),
            ("--validation-folds", args.validation_folds, _STREAMING_CALIBRATION),
        ]:
            if value is not None:
                parser.error(f"{option} is for in-memory training; --streaming {instead}")
    if args.validation_splits is not None and args.validation_folds is not None:
        parser.error("--validation-splits and --validation-folds cannot be combined: choose random splits or folds")
    extra_seeds = (args.validation_splits or 1) - 1  # pooled validation splits take the next seeds
    if args.seed > _MAX_SEED - extra_seeds:
        parser.error(
            f"argument --seed: must be an integer from 0 to {_MAX_SEED - extra_seeds}, not {args.seed}"
            + (" (--validation-splits uses the next seeds too)" if extra_seeds else "")
        )


def run(args: argparse.Namespace) -> int:
    options = {
        "text_column": args.text_column,
        "labels_column": args.labels_column,
        "label_separator": args.label_separator,
        "random_state": args.seed,
        "stop_words": _none_if_named(args.stop_words),
        "lead_tokens": args.lead_tokens,
        "threshold_beta": args.threshold_beta,
        "threshold_rule": args.threshold_rule,
        "progress": lambda message: print(f"newsclass: {message}", file=sys.stderr),
    }
    _note_ignored_columns(args)
    if args.streaming:
        from .._stream_train import train_streaming

        model = train_streaming(args.data, args.out, passes=args.passes, **options)
    else:
        from .._train import train

        if args.class_weight is not None:
            options["class_weight"] = _none_if_named(args.class_weight)
        if args.validation_splits is not None:
            options["validation_splits"] = args.validation_splits
        if args.validation_folds is not None:
            options["validation_folds"] = args.validation_folds
        model = train(
            args.data, args.out, title_column=args.title_column, group_column=args.group_column, n_jobs=args.jobs, **options
        )
    print(f"newsclass: trained {len(model.classes_)} labels: {', '.join(map(str, model.classes_))}", file=sys.stderr)
    return 0


def _note_ignored_columns(args: argparse.Namespace) -> None:
    """Say on stderr which columns of the file training does not read, so that a misnamed one is noticed."""
    read = [name for name in (args.text_column, args.labels_column, args.title_column, args.group_column) if name]
    try:
        with open(args.data, encoding="utf-8-sig", newline="") as handle:
            first_line = handle.readline(_HEADER_CHARS)
        header = [name.strip() for name in next(csv.reader([first_line]), [])]
    except (OSError, UnicodeDecodeError, csv.Error):
        return  # the trainer reports what is wrong with the file
    ignored = [name for name in header if name and name not in read]
    if ignored and all(name in header for name in read):
        print(
            f"newsclass: note: {args.data}: ignoring column(s) {ignored}; training reads only {read} "
            "(--text-column, --labels-column, --title-column, --group-column)",
            file=sys.stderr,
        )


def _none_if_named(choice: str) -> str | None:
    """An option's value: the choice "none" is None."""
    return None if choice == "none" else choice
