"""Shared fixtures: the project's example pages and, when present, ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLES = REPOSITORY / "examples"
SHARED = REPOSITORY.parent / "shared"
SHARED_FIXTURE = SHARED / "fixtures" / "gzero_digest.txt"

needs_shared_fixture = pytest.mark.skipif(
    not SHARED_FIXTURE.is_file(),
    reason=f"the shared fixture page {SHARED_FIXTURE} is absent (../shared is not beside the repository)",
)


def read_gold(page: Path) -> dict:
    """The gold file beside a page: ``name.gold.json`` for ``name.txt``."""
    return json.loads(page.with_suffix(".gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_page() -> str:
    return (EXAMPLES / "digest.txt").read_text(encoding="utf-8")
