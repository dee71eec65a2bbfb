"""Real news pages as a scraper's paragraph list, each paragraph judged against the published article.

Mozilla Readability's test pages (Apache-2.0; https://github.com/mozilla/readability, commit
ab4027a8b37669745016869a37a504727992b2ba, `test/test-pages/`) hold, per page, the original
`source.html` and Readability's extracted article `expected.html`. A page becomes what a
scraper outputs: every `<p>` of `source.html` with text, in document order. A paragraph is
article text when its text occurs in `expected.html`'s text, boilerplate otherwise.

The shared corpus (`../shared/corpus/real-lists/readability-test-pages`) keeps only the 50 news
pages' `expected.html` (and bbc-1's `source.html`); the other `source.html` files come from a
checkout of the repository at that commit:

    git clone https://github.com/mozilla/readability && git -C readability checkout ab4027a8
    # then pass readability/test/test-pages as the pages directory

Nothing here is shipped (bench/ is a development app) and no page is copied into the repository.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from articles import sanitize
from articles.boilerplate.signals import static_signals

SHARED_PAGES = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/corpus/real-lists/readability-test-pages"
)
# The 50 news pages the shared corpus chose; the measurement runs on these.
NEWS_PAGES = tuple(
    sorted(
        path.name
        for path in (SHARED_PAGES.iterdir() if SHARED_PAGES.is_dir() else ())
        if path.is_dir()
    )
)
SHORT = 20
_SITE_SUFFIX = re.compile(r"-(?:\d+|working|not-working)$")


@dataclass
class Paragraph:
    html: str
    text: str
    link_share: int
    cues: int
    boilerplate: bool


@dataclass
class Page:
    name: str
    site: str
    paragraphs: list[Paragraph]


def site_of(name: str) -> str:
    """nytimes-3 → nytimes: pages of one site are held out together."""
    return _SITE_SUFFIX.sub("", name)


def _squash(text: str) -> str:
    """Text without any whitespace, case-folded: inline markup splits text differently in the
    two files (a space before a comma after a link), so spaces cannot be compared."""
    return "".join(text.split()).casefold()


def load_page(directory: Path) -> Page | None:
    """One test page as a labeled paragraph list, or None without source and expected HTML."""
    source, expected = directory / "source.html", directory / "expected.html"
    if not (source.is_file() and expected.is_file()):
        return None
    published = BeautifulSoup(expected.read_text(encoding="utf-8"), "html.parser")
    article = _squash(published.get_text(" "))
    elements = {_squash(element.get_text(" ")) for element in published.find_all(True)}
    soup = BeautifulSoup(source.read_text(encoding="utf-8"), "html.parser")
    paragraphs = []
    for p in soup.find_all("p"):
        html = sanitize.clean_html(p.decode_contents())
        text = sanitize.html_to_text(html)
        if not text:
            continue
        link_share, cues = static_signals(html, text)
        squashed = _squash(text)
        in_article = (
            squashed in article if len(squashed) >= SHORT else squashed in elements
        )
        paragraphs.append(Paragraph(html, text, link_share, cues, not in_article))
    if not paragraphs:
        return None
    return Page(directory.name, site_of(directory.name), paragraphs)


def load_pages(directory: Path, names: tuple[str, ...] | None = None) -> list[Page]:
    """The test pages under `directory` (a checkout's test/test-pages), all or just `names`.

    Pages whose article has no `<p>` in the source list (Readability built it from `<div>`s) are
    left out: there is nothing for a paragraph list to find.
    """
    pages = []
    for path in sorted(directory.iterdir()):
        if not path.is_dir() or (names is not None and path.name not in names):
            continue
        page = load_page(path)
        if page and any(not p.boilerplate for p in page.paragraphs):
            pages.append(page)
    return pages
