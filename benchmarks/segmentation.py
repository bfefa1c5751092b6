"""Score newsclass.segment() against the gold pages, side by side with two baselines.

Usage (from the repository root)::

    python benchmarks/segmentation.py                      # all pages under examples/pages (tuning)
    python benchmarks/segmentation.py --pages examples/heldout   # the held-out pages
    python benchmarks/segmentation.py --pages examples/pages/text --details
    python benchmarks/segmentation.py --timing 1 2 5       # seconds for 1, 2 and 5 MB pages, and a feed
    python benchmarks/segmentation.py --timing 5 --baseline /tmp/base   # side by side with another checkout

Segmenters:

* ``newsclass``: :func:`newsclass.segment`.
* ``blank-lines``: every run of non-blank lines is an item (the paragraph baseline).
* ``texttiling``: NLTK's ``TextTilingTokenizer`` over the page, with each
  non-blank line as a paragraph (needs ``pip install nltk``; no corpus download).

The measures are described in ``newsclass/_segment_eval.py`` and ``docs/segmentation.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from newsclass._segment import segment  # noqa: E402
from newsclass._segment_eval import PredictedItem, load_gold_pages, score_page, summarise  # noqa: E402
from newsclass._text import decode_page, split_lines  # noqa: E402

FORMATS = ("site", "newsletter", "wire", "feed", "live", "frontpage")
# A short English stop list, so that TextTiling needs no corpus download.
STOPWORDS = set(
    "a an and are as at be by for from has have he her his in is it its of on or that the their they this to "
    "was were will with said says would could after before about into than then there which who what when".split()
)


def page_text(content: bytes) -> str:
    """The text the gold lines refer to: the page as segment() reads it (an HTML or Markdown page's
    rendering), so that the baselines see the lines it sees."""
    return segment(content, max_chars=None).text


def newsclass_items(content: bytes, text: str) -> list[PredictedItem]:
    return [PredictedItem(item.start_line, item.end_line, item.body) for item in segment(content, max_chars=None)]


def blank_line_items(content: bytes, text: str) -> list[PredictedItem]:
    items, block = [], []
    for line in [*split_lines(text), None]:
        if line is None or line.is_blank:
            if block:
                items.append(PredictedItem(block[0].number, block[-1].number, "\n".join(part.stripped for part in block)))
            block = []
        else:
            block.append(line)
    return items


def texttiling_items(content: bytes, text: str) -> list[PredictedItem]:
    from nltk.tokenize.texttiling import TextTilingTokenizer

    lines = [line for line in split_lines(text) if not line.is_blank]
    if not lines:
        return []
    joined = "\n\n".join(line.stripped for line in lines)
    try:
        # Digest paragraphs are short: smaller pseudo-sentences and blocks than
        # NLTK's defaults (w=20, k=10), which find no gap on pages this size.
        tiles = TextTilingTokenizer(w=10, k=3, stopwords=STOPWORDS).tokenize(joined)
    except (ValueError, IndexError, ZeroDivisionError):
        tiles = [joined]
    items, position = [], 0
    for tile in tiles:
        count = len([part for part in tile.split("\n\n") if part.strip()])
        if count == 0:
            continue
        chunk = lines[position : position + count]
        position += count
        if chunk:
            items.append(PredictedItem(chunk[0].number, chunk[-1].number, "\n".join(line.stripped for line in chunk)))
    return items


def page_kind(path: Path, root: Path) -> str:
    """The rendering a gold page is in: the kind folder under ``root`` (text, html or markdown)."""
    return next((part for part in path.relative_to(root).parts if part in KINDS), "other")


SEGMENTERS = {"newsclass": newsclass_items, "blank-lines": blank_line_items, "texttiling": texttiling_items}


# Each page set holds every page in three renderings, one folder per kind.
KINDS = ("text", "html", "markdown")


def evaluate(root: Path, names: list[str], kinds: tuple[str, ...] = KINDS) -> dict[str, list]:
    pages = [page for page in load_gold_pages(root) if page_kind(page.path, root) in kinds]
    results: dict[str, list] = {name: [] for name in names}
    for page in pages:
        text = page_text(page.content)
        content_lines = [line.number for line in split_lines(text) if not line.is_blank]
        for name in names:
            started = time.perf_counter()
            predicted = SEGMENTERS[name](page.content, text)
            elapsed = time.perf_counter() - started
            results[name].append(score_page(page, predicted, content_lines, seconds=elapsed))
    return results


def report(results: dict[str, list], *, details: bool) -> str:
    rows = ["| segmenter | format | pages | Pk | WindowDiff | boundary P | boundary R | boundary F1 | body P | body R | exact pages |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, scores in results.items():
        formats = sorted({score.format for score in scores}, key=lambda value: (FORMATS + (value,)).index(value))
        for label, key in [*((value, (lambda score, value=value: score.format == value)) for value in formats),
                           ("**all**", lambda score: True)]:
            summary = summarise(scores, key=key)
            rows.append(
                f"| {name} | {label} | {summary.pages} | {summary.pk:.3f} | {summary.window_diff:.3f} | "
                f"{summary.precision:.3f} | {summary.recall:.3f} | {summary.f1:.3f} | "
                f"{summary.body_precision:.3f} | {summary.body_recall:.3f} | {summary.exact_pages}/{summary.pages} |"
            )
    if details:
        rows.append("")
        for name, scores in results.items():
            for score in scores:
                if not score.matched_items == score.gold_items == score.predicted_items:
                    rows.append(f"{name}: {score.page}: {score.matched_items} matched of {score.gold_items} gold, "
                                f"{score.predicted_items} predicted; Pk {score.pk:.3f}")
    return "\n".join(rows)


def synthetic_page(size: int, pages: list) -> str:
    """A page of about ``size`` characters made by repeating the project's text pages.

    Each round of repeats is made distinct (:func:`_round_variant`), because ``segment()`` sets
    aside a story printed again further down a page as duplicate lines.
    """
    texts = [decode_page(page.content) for page in pages if page.path.suffix == ".txt"]
    parts, total, index = [], 0, 0
    while total < size:
        part = texts[index % len(texts)].replace("\r\n", "\n").replace("\r", "\n")
        parts.append(_round_variant(part, index // len(texts)))
        total += len(part) + 2
        index += 1
    return "\n\n".join(parts)[:size]


def _round_variant(text: str, round_number: int) -> str:
    """``text`` with, in each line, the space after word ``round_number`` (modulo the line's words)
    made a no-break space: the same words and features, but other strings than earlier rounds'."""
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        split_at = round_number % len(words)
        if split_at:
            line = " ".join(words[:split_at]) + "\u00a0" + " ".join(words[split_at:])
        lines.append(line)
    return "\n".join(lines)


FEED_ENTRIES = 10_000
_FEED_ENTRY = (
    "<item><title>Story {n} from Carrow</title><dc:creator>Ines Vale</dc:creator>"
    "<description><![CDATA[<p>Carrow council met for the {n}th time on Monday.</p>"
    "<p>It agreed a budget.&nbsp;Read more</p>]]></description></item>"
)
# Times segment() from another checkout (argv: its folder, the page file, repeats), in a
# process of its own so that the two packages never meet.
_BASELINE_TIMER = """
import sys, time
sys.path.insert(0, sys.argv[1])
import newsclass
assert newsclass.__file__.startswith(sys.argv[1]), newsclass.__file__
from newsclass import segment
page = open(sys.argv[2], encoding="utf-8").read()
best = float("inf")
for _ in range(int(sys.argv[3])):
    started = time.perf_counter()
    segment(page, max_chars=None)
    best = min(best, time.perf_counter() - started)
print(best)
"""


def synthetic_feed(entries: int) -> str:
    """An RSS feed of ``entries`` invented entries, each with a creator and an HTML description."""
    return "<rss><channel><title>Carrow</title>" + "".join(_FEED_ENTRY.format(n=n) for n in range(entries)) + "</channel></rss>"


def _best_seconds(page: str, repeats: int) -> tuple[float, int]:
    """segment()'s best time over ``repeats`` runs on ``page``, and the items it found."""
    best, items = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        items = len(segment(page, max_chars=None))
        best = min(best, time.perf_counter() - started)
    return best, items


def _baseline_seconds(baseline: Path, page: str, repeats: int) -> float:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as handle:
        handle.write(page)
        handle.flush()
        command = [sys.executable, "-c", _BASELINE_TIMER, str(baseline), handle.name, str(repeats)]
        return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def timing(root: Path, megabytes: list[float], repeats: int, baseline: Path | None = None) -> str:
    pages = load_gold_pages(root)
    compared = " | baseline seconds | ratio" if baseline else ""
    rows = [f"| page | page size | characters | lines | items | seconds (best of {repeats}) | seconds per MB{compared} |",
            "|---|---|---:|---:|---:|---:|---:" + ("|---:|---:" if baseline else "") + "|"]
    cases = [(kind, size) for kind in ("pages joined", "no blank lines") for size in megabytes]
    for kind, size in [*cases, ("feed", None)]:
        if kind == "feed":
            page = synthetic_feed(FEED_ENTRIES)
            size = len(page) / 1_000_000
        else:
            page = synthetic_page(int(size * 1_000_000), pages)
            if kind == "no blank lines":
                page = "\n".join(line for line in page.split("\n") if line.strip())
        best, items = _best_seconds(page, repeats)
        row = f"| {kind} | {size:.2g} MB | {len(page):,} | {page.count(chr(10)) + 1:,} | {items:,} | {best:.2f} | {best / size:.2f}"
        if baseline:
            # Before feeds were read, a feed page is plain text: no comparison there.
            other = None if kind == "feed" else _baseline_seconds(baseline, page, repeats)
            row += " | — | —" if other is None else f" | {other:.2f} | {best / other:.2f}"
        rows.append(row + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=REPOSITORY / "examples" / "pages", help="folder of gold pages")
    parser.add_argument("--segmenters", nargs="+", default=list(SEGMENTERS), choices=list(SEGMENTERS))
    parser.add_argument(
        "--kinds", nargs="+", default=list(KINDS), choices=KINDS, help="renderings of the pages to score (default: all)"
    )
    parser.add_argument("--details", action="store_true", help="list the pages that are not segmented exactly")
    parser.add_argument("--json", action="store_true", help="print the per-page scores as JSON Lines")
    parser.add_argument("--timing", nargs="*", type=float, metavar="MB", help="time segment() on pages of these sizes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--baseline", type=Path, metavar="DIR",
        help="with --timing: also time the newsclass package of another checkout in DIR (e.g. git worktree add DIR COMMIT)",
    )
    args = parser.parse_args(argv)
    print(f"# Python {platform.python_version()} on {platform.machine()}, {platform.system()}; "
          f"pages from {args.pages} ({', '.join(args.kinds)})")
    if args.timing:
        print(timing(args.pages, args.timing, args.repeats, args.baseline))
        return 0
    results = evaluate(args.pages, args.segmenters, tuple(args.kinds))
    if args.json:
        for name, scores in results.items():
            for score in scores:
                print(json.dumps({"segmenter": name, **{key: getattr(score, key) for key in score.__dataclass_fields__}}))
        return 0
    print(report(results, details=args.details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
