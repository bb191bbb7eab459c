"""The main text of a linked web page, for the sources that ask for it (docs/watch.md,
"Full text"): a bounded extraction with the standard library's HTML parser, not a full
boilerplate remover. The text of the page's `<article>` (else its `<main>`, else its `<body>`)
is kept, paragraph by paragraph (p, headings, list items, quotations, table cells), leaving out
what is not the article: scripts, styles, navigation, headers, footers, asides, forms, menus,
templates, iframes and whatever is hidden. The result is plain text (each paragraph through
feeds.plain_text: whatever markup remains removed by nh3, as for feeds), at most `limit` characters. No Django here."""

import codecs
import re
from html.parser import HTMLParser

from atclusters.watch.feeds import plain_text

TEXT_CHARS = 20_000
SKIP = {
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "menu",
    "template", "iframe", "svg", "button", "select", "figure",
}  # fmt: skip
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "dt"}
CONTAINERS = ("article", "main", "body")
VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "col", "embed"}
CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
MIN_PARAGRAPH_WORDS = 4  # shorter blocks are captions, bylines, buttons


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skipping = 0  # depth inside a left-out element
        # "*": the whole document, for a fragment without a <body>.
        self.paragraphs: dict[str, list[str]] = {name: [] for name in (*CONTAINERS, "*")}
        self.inside: dict[str, int] = dict.fromkeys(CONTAINERS, 0) | {"*": 1}
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        hidden = any(name == "hidden" or (name == "aria-hidden" and value == "true")
                     for name, value in attrs)  # fmt: skip
        if self.skipping or tag in SKIP or hidden:
            self.skipping += 1
        if tag in CONTAINERS:
            self.inside[tag] += 1
        if tag in BLOCKS:
            self._flush()
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:  # close what the page left open inside it
            opened = self.stack.pop()
            if self.skipping:
                self.skipping -= 1
            if opened in BLOCKS:
                self._flush()
            if opened in CONTAINERS:
                self.inside[opened] -= 1
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping and any(self.stack.count(block) for block in BLOCKS):
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if len(text.split()) < MIN_PARAGRAPH_WORDS:
            return
        for container in self.paragraphs:
            if self.inside[container]:
                self.paragraphs[container].append(text)


def _decoded(body: bytes, declared: str = "") -> str:
    found = CHARSET.search(body[:2048])
    for name in (declared, found.group(1).decode() if found else "", "utf-8"):
        try:
            codecs.lookup(name)
            return body.decode(name, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")


def main_text(body: bytes, *, charset: str = "", limit: int = TEXT_CHARS) -> str:
    """The page's main text, paragraphs separated by blank lines ("" when it has none)."""
    reader = _Reader()
    reader.feed(_decoded(body, charset))
    reader.close()
    reader._flush()
    paragraphs = next((found for found in reader.paragraphs.values() if found), [])
    kept: list[str] = []
    size = 0
    for paragraph in dict.fromkeys(paragraphs):
        clean = plain_text(paragraph, limit)
        if size + len(clean) > limit:
            break
        kept.append(clean)
        size += len(clean) + 2
    return "\n\n".join(kept)
