"""Build the annotated example pages from their sources.

Every page under ``source/<format>/<name>.page`` is written once, by hand, with a
role tag in front of each line. This script turns it into

* ``text/<format>/<name>.txt``: the plain-text page, with the quirks its header asks
  for (line endings, non-breaking spaces, trailing white space);
* ``html/<format>/<name>.html``: the same content as an HTML page, marked up the
  way sites and newsletters mark it up (articles, figures, nav, asides, footers);
* ``markdown/<format>/<name>.md``: the same content as Markdown, as blogging and
  email tools export it (headings, a picture line with an italic caption, links);
* a ``<name>.gold.json`` beside each, in the schema of ``examples/digest.gold.json``.
  The gold of an HTML page refers to the lines of its text rendering; that of a
  Markdown page to its own lines, which its rendering keeps.

Source syntax, one line each::

    #format: site            page header lines (format, quirks, notes, html style)
    @                        a new story item starts here
    T text                   title            C text   photo caption
    D                        the caption again (a duplicated caption line)
    R text                   credit (photo, illustration, "Reporting by ...")
    M text                   metadata inside an item: date, link, timestamp, byline
    Y text                   body line        (empty line) blank line in the text page
    B text                   boilerplate      H text   section header (boilerplate)
    N text                   navigation       A text   advert / sponsor block
    F text                   footer

The same script builds the held-out pages, ``examples/heldout/source/<format>/<name>.page``
into ``examples/heldout/text|html|markdown/...``: pages written after the segmenter's rules, kept
apart so that the tuning pages under ``examples/pages`` and the held-out pages are scored
separately.

Run ``python examples/pages/build.py`` after editing a source; a test checks
that the built files are up to date.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Trees of pages, each with source/, text/ and html/: the tuning pages and the held-out pages.
ROOTS = (HERE, HERE.parent / "heldout")
sys.path.insert(0, str(HERE.parent.parent))

from newsclass._html import render_html  # noqa: E402
from newsclass._markdown import render_markdown  # noqa: E402

ITEM_TAGS = {"T": "title", "C": "caption", "D": "duplicate", "R": "credit", "M": "meta", "Y": "body"}
OUTSIDE_TAGS = {"B": "boilerplate", "H": "header", "N": "nav", "A": "ad", "F": "footer"}


@dataclass
class SourceLine:
    tag: str  # one of ITEM_TAGS / OUTSIDE_TAGS, or "" for a blank line
    text: str
    item: int | None


@dataclass
class Source:
    name: str
    format: str
    header: dict[str, str] = field(default_factory=dict)
    lines: list[SourceLine] = field(default_factory=list)

    @property
    def quirks(self) -> set[str]:
        return set(self.header.get("quirks", "").split())


def parse(path: Path) -> Source:
    source = Source(name=path.stem, format=path.parent.name)
    item: int | None = None
    items = 0
    previous_text = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("#"):
            key, _, value = raw[1:].partition(":")
            source.header[key.strip()] = value.strip()
            continue
        if not raw.strip():
            source.lines.append(SourceLine("", "", None))
            continue
        if raw.strip() == "@":
            item = items
            items += 1
            continue
        tag, _, text = raw.partition(" ")
        if tag == "D":
            text = previous_text
        if tag in OUTSIDE_TAGS:
            item = None
        elif tag not in ITEM_TAGS or item is None:
            raise SystemExit(f"{path}:{number}: tag {tag!r} outside an item or unknown")
        source.lines.append(SourceLine(tag, text.strip(), item if tag in ITEM_TAGS else None))
        previous_text = text.strip()
    return source


# --- Plain text --------------------------------------------------------------


def write_text(source: Source) -> tuple[str, list[tuple[str, SourceLine | None]]]:
    """The page text, and each physical line with the source line it came from."""
    quirks = source.quirks
    chooser = random.Random(source.name)
    rendered: list[tuple[str, SourceLine | None]] = []
    for line in source.lines:
        if not line.tag:
            rendered.append((" " * chooser.choice([0, 0, 1, 3]) if "spaceblanks" in quirks else "", line))
            continue
        text = line.text
        if "nbsp" in quirks:
            # Typesetters glue numbers to their units and short words to what follows.
            text = _glue(text, chooser)
        if "trailing" in quirks and chooser.random() < 0.4:
            text += chooser.choice([" ", "  ", "\t", " \u00a0"])
        if "indent" in quirks and line.tag in {"Y"} and chooser.random() < 0.3:
            text = "  " + text
        rendered.append((text, line))
    ending = "\r\n" if "crlf" in quirks else "\r" if "cr" in quirks else "\n"
    text = ending.join(text for text, _ in rendered)
    if "final-newline" not in quirks:
        text += ending
    return text, rendered


def _glue(text: str, chooser: random.Random) -> str:
    words = text.split(" ")
    glued = []
    for index, word in enumerate(words):
        glued.append(word)
        if index < len(words) - 1:
            joins = word.rstrip(",.").isdigit() or word.lower() in {"mr", "ms", "dr", "no.", "st"}
            glued.append("\u00a0" if joins and chooser.random() < 0.7 else " ")
    return "".join(glued)


def text_gold(source: Source, rendered: list[tuple[str, SourceLine | None]]) -> dict:
    numbered = [(number, text.strip(), line) for number, (text, line) in enumerate(rendered, 1)]
    return _gold(source, f"{source.name}.txt", numbered, paragraph_join="\n")


def _gold(source: Source, page: str, numbered: list[tuple[int, str, SourceLine | None]], *, paragraph_join: str) -> dict:
    items: dict[int, dict] = {}
    boilerplate: list[int] = []
    previous_item_line: dict[int, int] = {}
    for number, text, line in numbered:
        if line is None or not line.tag:
            continue
        if line.item is None:
            boilerplate.append(number)
            continue
        item = items.setdefault(
            line.item,
            {"start_line": number, "end_line": number, "title": None, "caption": None, "credit": None,
             "paragraphs": [], "labels": []},
        )
        item["end_line"] = number
        role = ITEM_TAGS[line.tag]
        if role in {"title", "caption", "credit"}:
            item[role] = text if item[role] is None else f"{item[role]} {text}"
        elif role == "body":
            contiguous = previous_item_line.get(line.item) == number - 1 and item["paragraphs"]
            if contiguous and item.get("last_role") == "body":
                item["paragraphs"][-1].append(text)
            else:
                item["paragraphs"].append([text])
        item["last_role"] = role
        previous_item_line[line.item] = number
    gold_items = []
    for item in items.values():
        paragraphs = item.pop("paragraphs")
        item.pop("last_role", None)
        item["body"] = "\n\n".join(paragraph_join.join(paragraph) for paragraph in paragraphs)
        gold_items.append(item)
    ordered = ("start_line", "end_line", "title", "caption", "credit", "body", "labels")
    return {
        "page": page,
        "format": source.format,
        "notes": source.header.get("notes", ""),
        "boilerplate_lines": boilerplate,
        "items": [{key: item[key] for key in ordered} for item in gold_items],
    }


# --- HTML --------------------------------------------------------------------


def write_html(source: Source) -> tuple[str, list[SourceLine]]:
    """The HTML page and, in order, the source line of each text block it renders."""
    style = source.header.get("html", "")
    chooser = random.Random(source.name + "html")
    blocks: list[SourceLine] = []
    out: list[str] = []
    escape = html.escape
    title_tag = "h3" if "h3" in style else "h2"
    wrapper = "div" if "divs" in style else "article"

    lines = [line for line in source.lines if line.tag]
    index = 0
    open_item: int | None = None
    region: str | None = None

    def close_region() -> None:
        nonlocal region
        if region:
            out.append({"nav": "</ul></nav>", "ad": "</aside>", "footer": "</footer>", "masthead": "</header>"}[region])
        region = None

    def open_region(kind: str) -> None:
        nonlocal region
        if region == kind:
            return
        close_region()
        out.append({
            "nav": '<nav class="site-nav"><ul>',
            "ad": f'<aside class="{chooser.choice(["ad", "advert-slot", "sponsor-box"])}">',
            "footer": '<footer class="page-footer">',
            "masthead": '<header class="masthead">',
        }[kind])
        region = kind

    def close_item() -> None:
        nonlocal open_item
        if open_item is not None:
            out.append(f"</{wrapper}>")
        open_item = None

    out.append("<!DOCTYPE html>")
    out.append('<html lang="en"><head><meta charset="utf-8">')
    out.append(f"<title>{escape(source.header.get('site', source.name))}</title>")
    out.append("<style>body{font-family:Georgia,serif;max-width:42em;margin:auto}</style>")
    out.append('<script>window.dataLayer=window.dataLayer||[];</script></head><body>')
    seen_item = False
    while index < len(lines):
        line = lines[index]
        text = escape(line.text)
        if line.item is None:
            close_item()
            if line.tag == "N":
                open_region("nav")
                out.append(f'<li><a href="#">{text}</a></li>')
            elif line.tag == "A":
                open_region("ad")
                out.append(f"<p>{text}</p>")
            elif line.tag == "F":
                open_region("footer")
                out.append(f"<p>{text}</p>")
            elif not seen_item and line.tag == "B":
                open_region("masthead")
                out.append(f"<p>{text}</p>")
            else:
                close_region()
                if line.tag == "H":
                    tag = chooser.choice(["h2", "div"])
                    out.append(f'<{tag} class="section-head">{text}</{tag}>')
                else:
                    out.append(f'<p class="{chooser.choice(["share-links", "cta", "util"])}">{text}</p>')
            blocks.append(line)
            index += 1
            continue
        close_region()
        seen_item = True
        if open_item != line.item:
            close_item()
            open_item = line.item
            out.append(f'<{wrapper} class="story">')
        if line.tag == "D":
            index += 1  # a duplicated caption is a scraping artefact of text pages
            continue
        if line.tag == "T":
            out.append(f"<{title_tag}>{text}</{title_tag}>")
        elif line.tag == "M":
            tag = "time" if any(character.isdigit() for character in line.text) and "http" not in line.text else "p"
            out.append(f'<{tag} class="meta">{text}</{tag}>')
        elif line.tag == "Y":
            out.append(f"<p>{text}</p>")
        elif line.tag == "R":
            out.append(f'<p class="photo-credit">{text}</p>')
        elif line.tag == "C":
            following = lines[index + 1 : index + 3]
            credit = next((candidate for candidate in following if candidate.tag == "R" and candidate.item == line.item), None)
            out.append('<figure><img src="/img/photo.jpg" alt="">')
            blocks.append(line)
            if credit is not None and "credit-outside" not in style:
                out.append(f'<figcaption>{text} <span class="credit">{escape(credit.text)}</span></figcaption></figure>')
                blocks.append(credit)
                index = lines.index(credit) + 1
                continue
            out.append(f"<figcaption>{text}</figcaption></figure>")
            index += 1
            continue
        blocks.append(line)
        index += 1
    close_item()
    close_region()
    out.append("</body></html>")
    return "\n".join(out) + "\n", blocks


def html_gold(source: Source, markup: str, blocks: list[SourceLine]) -> dict:
    rendering = render_html(markup)
    numbered_lines = [(number, text) for number, text in enumerate(rendering.text.split("\n"), 1) if text.strip()]
    if len(numbered_lines) != len(blocks):
        raise SystemExit(f"{source.name}: rendered {len(numbered_lines)} lines for {len(blocks)} blocks")
    numbered = []
    for (number, text), line in zip(numbered_lines, blocks):
        if " ".join(line.text.split()) != text.strip():
            raise SystemExit(f"{source.name}: line {number} {text!r} is not {line.text!r}")
        numbered.append((number, text.strip(), line))
    return _gold(source, f"{source.name}.html", numbered, paragraph_join="\n\n")


# --- Markdown ----------------------------------------------------------------

# Lines outside items that are links in Markdown exports: navigation, "Read more", unsubscribing.
_LINKED = re.compile(r"^(?:read more|read the full|continue reading|unsubscribe|manage|view (?:this|in)|share)\b", re.I)


# Marks an exporter escapes in text, so that it reads as text ("snake\\_case", "\\<url>").
_MARKDOWN_MARKS = re.compile(r"([\\`*_\[\]<>#])")


def _escaped(text: str) -> str:
    if re.fullmatch(r"[-=]{2,}", text):
        return "\\" + text  # a rule of its own, not the underline of a heading
    return _MARKDOWN_MARKS.sub(r"\\\1", text)


def write_markdown(source: Source) -> tuple[str, list[tuple[str, SourceLine | None]]]:
    """The Markdown page, and each of its lines with the source line it shows (None: markup only)."""
    style = source.header.get("html", "")
    title_mark = "###" if "h3" in style else "##"
    rendered: list[tuple[str, SourceLine | None]] = []
    for line in source.lines:
        text = _escaped(line.text)
        if not line.tag:
            rendered.append(("", line))
        elif line.tag == "D":
            continue  # a duplicated caption is a scraping artefact of text pages
        elif line.tag == "T":
            rendered.append((f"{title_mark} {text}", line))
        elif line.tag == "H":
            rendered.append((f"{title_mark[:-1]} {text}", line))  # a section: one level above the stories
        elif line.tag == "C":
            rendered += [("![](photo.jpg)", None), (f"*{text}*", line)]
        elif line.tag == "M":
            rendered.append((f"*{text}*", line))
        elif line.tag == "N" or (line.tag in "BF" and _LINKED.match(text)):
            rendered.append((f"[{text}](https://example.org/{len(rendered)})", line))
        else:
            rendered.append((text, line))
    return "\n".join(text for text, _ in rendered) + "\n", rendered


def markdown_gold(source: Source, page: str, rendered: list[tuple[str, SourceLine | None]]) -> dict:
    lines = render_markdown(page).text.split("\n")
    numbered = []
    for number, (shown, (_, line)) in enumerate(zip(lines, rendered), 1):
        if line is not None and line.tag and " ".join(line.text.split()) != shown.strip():
            raise SystemExit(f"{source.name}: Markdown line {number} renders as {shown!r}, not {line.text!r}")
        numbered.append((number, shown.strip(), line))
    return _gold(source, f"{source.name}.md", numbered, paragraph_join="\n")


def renderings(source: Source) -> list[tuple[str, str, dict]]:
    """The page in each rendering: ``(kind, page, gold)`` for text, HTML and Markdown."""
    text, rendered = write_text(source)
    markup, blocks = write_html(source)
    markdown, markdown_lines = write_markdown(source)
    return [
        ("text", text, text_gold(source, rendered)),
        ("html", markup, html_gold(source, markup, blocks)),
        ("markdown", markdown, markdown_gold(source, markdown, markdown_lines)),
    ]


def build(root: Path = HERE) -> list[Path]:
    written = []
    for path in sorted((root / "source").glob("*/*.page")):
        source = parse(path)
        for kind, page_text, gold in renderings(source):
            folder = root / kind / source.format
            folder.mkdir(parents=True, exist_ok=True)
            page_path = folder / gold["page"]
            page_path.write_bytes(page_text.encode("utf-8"))
            gold_path = folder / f"{source.name}.gold.json"
            gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            written += [page_path, gold_path]
    return written


if __name__ == "__main__":
    print(f"wrote {sum(len(build(root)) for root in ROOTS)} files")
