"""From a record to an article ready to write: sanitised paragraphs, their text, hashes and
boilerplate signals, and the rules for its id, url, source and title.

An article's external id is the record's `id`, else the file's stem. Its source is the run's
`source`, else the record's `source`, else the domain of its `url`, else the nearest folder (or
zip folder) named like a domain, such as `sample_data/bbc.co.uk/`. Its title is the record's
`title`, else its first paragraph's text, shortened.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from articles import sanitize
from articles.boilerplate.signals import static_signals
from articles.imports.reading import (
    Raw,
    Refused,
    jsonl_records,
    parsed_records,
    refusal_reason,
    string_list,
    type_name,
    whole_file,
)
from articles.imports.sources import Failed, Item

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass
class Prepared:
    """An article cleaned and ready to write."""

    external_id: str
    title: str
    source: str
    url: str
    content_hash: str
    # sanitize.article_fingerprint(): what a re-import compares (articles.revisions).
    fingerprint: str
    # (html, text, text_hash, link_share, cues): the last two are boilerplate signals
    # (docs/boilerplate.md), 0 when suggestions are off.
    paragraphs: list[tuple[str, str, str, int, int]]
    empty_dropped: int


def file_outcomes(item: Item | Failed, *, source: str) -> Iterator[Prepared | str]:
    """The cleaned articles of one file and the reasons it or its records were refused.

    Never raises: an unexpected error ends the file with a reason, and the batch goes on.
    """
    if isinstance(item, Failed):
        yield item.reason
        return
    try:
        yield from _item_outcomes(item, source=source)
    except Exception as error:  # a bug must not stop the batch; the log keeps the trace
        yield refusal_reason(item.name, error)


def parsed_outcomes(
    data: bytes, *, suffix: str, stem: str, source: str, folder_source: str
) -> Iterator[Prepared | str]:
    """The cleaned articles in the bytes of a .txt or .json file (the CPU-bound part)."""
    yield from _prepared(
        parsed_records(data, suffix=suffix, stem=stem), source, folder_source
    )


def record_outcomes(records: list, *, source: str) -> Iterator[Prepared | str]:
    """The cleaned articles of records handed over as data (the HTTP API's body), one outcome
    per record in order: each is cleaned like a record of a .json file, except that it has no
    file name to take an id from, so a record without `id` is refused."""
    for number, record in enumerate(records, start=1):
        where = f"item {number}: "
        if not isinstance(record, dict):
            yield f"{where}not an article object (it holds {type_name(record)})"
        else:
            yield _prepare_or_refuse(record, "", where, source, "")


def folder_source_of(item: Item) -> str:
    """The nearest folder above `item` named like a domain, lowercased; else ""."""
    return next(
        (
            folder.lower()
            for folder in reversed(item.folders)
            if _DOMAIN.match(folder.lower())
        ),
        "",
    )


def normalize_source(value: str) -> str:
    """A site's domain as stored: lowercased, without scheme, path or "www."."""
    value = sanitize.normalize_whitespace(sanitize.clean_string(value)).lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    return value.removeprefix("www.").strip("/")


def _item_outcomes(item: Item, *, source: str) -> Iterator[Prepared | str]:
    """The cleaned articles in one file, or the reason a record in it was refused."""
    folder_source = folder_source_of(item)
    if item.suffix == ".jsonl":
        raws = jsonl_records(item, settings.NEWSREVIEW_MAX_FILE_BYTES)
    else:
        raws = parsed_records(whole_file(item), suffix=item.suffix, stem=item.stem)
    yield from _prepared(raws, source, folder_source)


def _prepared(
    raws: Iterable[Raw | str], source: str, folder_source: str
) -> Iterator[Prepared | str]:
    for raw in raws:
        if isinstance(raw, str):  # the reason a line was refused
            yield raw
        else:
            yield _prepare_or_refuse(*raw, source, folder_source)


def _prepare_or_refuse(
    record: dict, default_id: str, where: str, source: str, folder_source: str
) -> Prepared | str:
    try:
        return _prepare(
            record, default_id=default_id, source=source, folder_source=folder_source
        )
    except Refused as refused:
        return f"{where}{refused}"


def _text_field(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str):
        raise Refused(f"{key} must be text, not {type_name(value)}")
    return sanitize.normalize_whitespace(sanitize.clean_string(value))


def _prepare(
    record: dict, *, default_id: str, source: str, folder_source: str
) -> Prepared:
    raw_paragraphs = record.get("paragraphs")
    if raw_paragraphs is None:
        raise Refused("no paragraphs")
    raw_paragraphs = string_list(
        raw_paragraphs, what="paragraphs must be a list of strings"
    )
    limit = settings.NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE
    if len(raw_paragraphs) > limit:
        raise Refused(
            f"{len(raw_paragraphs):,} paragraphs, more than the limit of {limit:,}"
        )

    external_id = _text_field(record, "id") or sanitize.normalize_whitespace(
        sanitize.clean_string(default_id)
    )
    if not external_id:
        raise Refused("no id")
    if len(external_id) > 255:
        raise Refused("id is longer than 255 characters")
    url = _text_field(record, "url")
    if url:
        if (
            urlsplit(url).scheme.lower() not in {"http", "https"}
            or not urlsplit(url).hostname
        ):
            raise Refused("url must be an http or https address")
        if len(url) > 2000:
            raise Refused("url is longer than 2,000 characters")
    source = (
        source
        or normalize_source(_text_field(record, "source"))
        or (url and normalize_source(url))
        or folder_source
    )
    if len(source) > 253:
        raise Refused("source is longer than 253 characters")

    paragraphs, empty = [], 0
    suggestions = settings.NEWSREVIEW_BOILERPLATE_SUGGESTIONS
    with sanitize.links_relative_to(url):
        for raw in raw_paragraphs:
            html = sanitize.clean_html(raw)
            text = sanitize.html_to_text(html)
            if text:
                paragraphs.append(
                    (
                        html,
                        text,
                        sanitize.normalized_text_hash(text),
                        *(static_signals(html, text) if suggestions else (0, 0)),
                    )
                )
            else:
                empty += 1
    if not paragraphs:
        raise Refused("no paragraphs with text")
    title = _text_field(record, "title") or sanitize.shorten(paragraphs[0][1])
    return Prepared(
        external_id=external_id,
        title=title[:500],
        source=source,
        url=url,
        content_hash=sanitize.content_hash([paragraph[0] for paragraph in paragraphs]),
        fingerprint=sanitize.article_fingerprint(
            [sanitize.paragraph_keys(html, text) for html, text, *_ in paragraphs]
        ),
        paragraphs=paragraphs,
        empty_dropped=empty,
    )
