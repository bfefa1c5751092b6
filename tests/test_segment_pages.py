"""segment() on the project's annotated pages of six formats, scored like the benchmark, and its properties.

The targets (boundary F1 >= 0.95 and Pk <= 0.05 overall, F1 >= 0.9 in every format) are
checked on the tuning pages (examples/pages) and on the held-out pages (examples/heldout),
which were written after the segmenter's rules.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclass import segment
from newsclass._segment_eval import PredictedItem, load_gold_pages, pk_and_window_diff, score_page, summarise
from newsclass._text import split_lines

from .conftest import EXAMPLES, REPOSITORY, SHARED_FIXTURE

PAGES = EXAMPLES / "pages"
HELDOUT = EXAMPLES / "heldout"  # written after the segmenter's rules; kept apart from the tuning pages
FORMATS = ("site", "newsletter", "wire", "feed", "live", "frontpage")
GOLD_PAGES = load_gold_pages(PAGES)
HELDOUT_PAGES = load_gold_pages(HELDOUT)
PAGE_SETS = {"tuning": GOLD_PAGES, "heldout": HELDOUT_PAGES}


def _score(page):
    result = segment(page.content)
    content_lines = [line.number for line in split_lines(result.text) if not line.is_blank]
    predicted = [PredictedItem(item.start_line, item.end_line, item.body) for item in result]
    return score_page(page, predicted, content_lines)


@pytest.fixture(scope="module", params=list(PAGE_SETS))
def scores(request):
    return [_score(page) for page in PAGE_SETS[request.param]]


@pytest.mark.parametrize(("pages", "per_kind"), [(GOLD_PAGES, 6), (HELDOUT_PAGES, 2)], ids=list(PAGE_SETS))
def test_every_format_has_text_html_and_markdown_pages(pages, per_kind):
    for page_format in FORMATS:
        chosen = [page for page in pages if page.format == page_format]
        for suffix in (".txt", ".html", ".md"):
            assert sum(page.path.suffix == suffix for page in chosen) >= per_kind


def test_overall_targets_hold(scores):
    summary = summarise(scores)
    assert summary.f1 >= 0.95
    assert summary.pk <= 0.05


@pytest.mark.parametrize("page_format", FORMATS)
def test_every_format_reaches_the_f1_floor(scores, page_format):
    assert summarise(scores, key=lambda score: score.format == page_format).f1 >= 0.9


@pytest.mark.parametrize(
    "page", [page for page in GOLD_PAGES if page.format in ("site", "newsletter", "wire", "live")], ids=lambda page: page.path.name
)
def test_structured_pages_match_their_gold_exactly(page):
    result = segment(page.content)
    fields = ("start_line", "end_line", "title", "caption", "credit", "body")
    assert [{name: getattr(item, name) for name in fields} for item in result] == [
        {name: item[name] for name in fields} for item in page.gold["items"]
    ]
    assert sorted({span.start_line for span in result.boilerplate}) == page.gold["boilerplate_lines"]


@pytest.mark.parametrize("root", [PAGES, HELDOUT], ids=["tuning", "heldout"])
def test_built_pages_are_up_to_date(root):
    spec = importlib.util.spec_from_file_location("build_pages", PAGES / "build.py")
    build = importlib.util.module_from_spec(spec)
    sys.modules["build_pages"] = build  # dataclasses look their module up by name
    spec.loader.exec_module(build)
    assert root in build.ROOTS
    sources = sorted((root / "source").glob("*/*.page"))
    assert sources
    for source_path in sources:
        source = build.parse(source_path)
        for kind, page, gold in build.renderings(source):
            folder = root / kind / source.format
            assert (folder / gold["page"]).read_bytes() == page.encode("utf-8"), (kind, source.name)
            assert json.loads((folder / f"{source.name}.gold.json").read_text(encoding="utf-8")) == gold, (kind, source.name)


@pytest.mark.skipif(not SHARED_FIXTURE.is_file(), reason="the shared fixture page is absent")
def test_no_text_of_the_shared_fixture_is_in_the_project():
    fixture_lines = {line.strip() for line in SHARED_FIXTURE.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= 25}
    for folder in ("newsclass", "examples", "tests", "benchmarks", "docs"):
        for path in (REPOSITORY / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".txt", ".html", ".json", ".md", ".page"}:
                content = path.read_text(encoding="utf-8", errors="replace")
                assert not any(line in content for line in fixture_lines), path


def test_roles_and_boundaries_come_with_confidences():
    result = segment((EXAMPLES / "digest.txt").read_bytes())
    assert len(result.line_roles) == len(result.line_confidences) == len(result.text.splitlines())
    assert len(result.boundary_confidences) == len(result)
    assert all(0.5 <= confidence <= 1.0 for confidence in result.line_confidences + result.boundary_confidences)
    assert result.to_dict()["boundary_confidences"] == list(result.boundary_confidences)
    assert all(role != "blank" for _, role, _ in result.doubtful_lines(below=1.01))


def test_pages_without_blank_lines_are_split_by_their_words():
    page = (
        "The ferry to Oronsay will gain a second daily sailing from June, the operator said.\n"
        "Oronsay islanders welcomed the second ferry sailing but said fares were too high.\n"
        "The ferry operator will charter a vessel until its new ship arrives.\n"
        "Archaeologists digging on Quarry Road have found a Bronze Age roundhouse.\n"
        "The roundhouse is thought to be 3,500 years old, the archaeologists said.\n"
    )
    result = segment(page)
    assert [(item.start_line, item.end_line) for item in result] == [(1, 3), (4, 5)]
    assert result.boundary_confidences[1] < 1.0


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [([0, 0, 1, 1], [0, 0, 1, 1], (0.0, 0.0)), ([0, 0, 1, 1], [0, 0, 0, 0], (1 / 3, 1 / 3))],
    ids=["same", "missed"],
)
def test_pk_and_window_diff(reference, hypothesis, expected):
    assert pk_and_window_diff(reference, hypothesis) == expected


_LINE = st.sampled_from(
    [
        "", " ", "Share", "More from us", "© 2031 Example", "SPONSORED", "16:42", "https://example.org/a",
        "Storm closes port", "A storm closed the port on Monday.", "AGENCY/Jo Bloggs", "Jo Bloggs",
        "Crowds gather in the square on May 1.", "LIMA, May 2 (APS) - Prices rose.", "(Reporting by Ann Lee)",
        "<article>", "</article>", "<h2>Dam opens</h2>", "<figcaption>Men stand.</figcaption>", "<p>Water flows.</p>",
        "Unsubscribe", "The ferry was late.", "Ferry passengers waited.", "\u00a0", "\t",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_properties_hold_for_page_like_strings(lines, line_break):
    page = line_break.join(lines)
    result = segment(page)
    text = result.text
    line_count = len(list(split_lines(text)))
    previous_end = -1
    for index, item in enumerate(result):
        assert item.index == index
        assert 0 <= item.start <= item.end <= len(text)
        assert 1 <= item.start_line <= item.end_line <= line_count
        assert item.start > previous_end
        previous_end = item.end
        span = text[item.start : item.end]
        for line in item.body.split("\n"):
            assert line in span
    assert len(result.line_roles) == line_count
    assert segment(page).to_dict() == result.to_dict()

