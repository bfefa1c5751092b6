"""Coverage-guided fuzzing of ``segment()`` with atheris (libFuzzer for Python).

Every input is turned into a page (bytes, or text decoded several ways, with a format
and a size limit) and segmented. Anything but a result that passes the checks of
``tests/invariants.py``, or a ``PageDecodeError`` / ``InputTooLargeError``, is a
failure: libFuzzer stops, prints the traceback and saves the input under
``--artifacts``. An input taking over ``--timeout`` seconds is a failure too.

Run from the repository root, on one process (``pip install -e '.[fuzz]'`` first)::

    python fuzz/fuzz_segment.py --seconds 300

The corpus starts from the example pages (``examples/``) and grows in ``--corpus``
(default: a fresh temporary folder). At the end libFuzzer prints
``Done N runs in S second(s)``: N is the number of inputs tried.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import atheris

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

with atheris.instrument_imports(include=["newsclass", "html"]):
    from newsclass import InputTooLargeError, PageDecodeError, segment

from tests.invariants import check_segmentation  # noqa: E402

FORMATS = ("auto", "text", "html")


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    kind = provider.ConsumeIntInRange(0, 3)
    page_format = FORMATS[provider.ConsumeIntInRange(0, 2)]
    limited = provider.ConsumeBool()
    rest = provider.ConsumeBytes(provider.remaining_bytes())
    page: str | bytes
    if kind == 0:
        page = rest  # bytes: byte-order marks, <meta charset>, UTF-16 sniffing, Windows-1252
    elif kind == 1:
        page = rest.decode("utf-8", errors="replace")
    elif kind == 2:
        page = rest.decode("latin-1")  # every byte a character: controls, NUL, C1
    else:
        page = rest.decode("utf-16-le", errors="surrogatepass" if len(rest) % 2 == 0 else "replace")
    try:
        result = segment(page, format=page_format, max_chars=len(page) // 2 if limited else None)
    except (PageDecodeError, InputTooLargeError):
        return
    check_segmentation(result)


def seed_corpus(corpus: Path) -> None:
    for page in sorted((REPOSITORY / "examples").rglob("*")):
        if page.suffix in {".txt", ".html"} and page.stat().st_size <= 64 * 1024:
            # Leading NULs choose kind 0 (bytes), format "auto" and no limit; the page follows.
            (corpus / f"seed-{page.parent.name}-{page.name}").write_bytes(b"\x00\x00\x00" + page.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300, help="how long to fuzz (default: 300)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take (default: 10)")
    parser.add_argument("--max-len", type=int, default=16384, help="largest input in bytes (default: 16384)")
    parser.add_argument("--corpus", type=Path, help="corpus folder, kept between runs (default: a temporary one)")
    parser.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"), help="where failing inputs go")
    options, libfuzzer_options = parser.parse_known_args()
    corpus = options.corpus or Path(tempfile.mkdtemp(prefix="newsclass-fuzz-corpus-"))
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        seed_corpus(corpus)
    options.artifacts.mkdir(parents=True, exist_ok=True)
    print(f"corpus {corpus}; failing inputs go to {options.artifacts}/", file=sys.stderr)
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={options.seconds}",
            f"-timeout={options.timeout}",
            f"-max_len={options.max_len}",
            f"-artifact_prefix={options.artifacts}/",
            "-print_final_stats=1",
            *libfuzzer_options,
            str(corpus),
        ],
        test_one_input,
    )
    atheris.Fuzz()


if __name__ == "__main__":
    main()
