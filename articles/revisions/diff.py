"""A word diff of two paragraph texts, with changed numbers highlighted: what a reviewer reads
before confirming an edited paragraph's previous label (a corrected figure is the commonest
edit of a news article, and the one a fact-check label hangs on)."""

import re
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_TOKENS = re.compile(r"\s+|[^\s]+")
# A figure as news text writes it: 34,000  3.5  12%  £1.2bn  2022
_NUMBER = re.compile(r"\d[\d,.]*%?")


def _marked(text: str) -> SafeString:
    """`text` escaped, its numbers in <mark class="diff-number">."""
    parts, at = [], 0
    for match in _NUMBER.finditer(text):
        parts.append(format_html("{}", text[at : match.start()]))
        parts.append(format_html('<mark class="diff-number">{}</mark>', match[0]))
        at = match.end()
    parts.append(format_html("{}", text[at:]))
    return SafeString("".join(parts))


def word_diff(old: str, new: str) -> SafeString:
    """HTML of `new` with the words it lost in <del> and the ones it gained in <ins>; numbers in
    changed words are marked. Every piece of text is escaped."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    pieces = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(format_html("{}", "".join(after[j1:j2])))
            continue
        gone, came = "".join(before[i1:i2]), "".join(after[j1:j2])
        if gone.strip():
            pieces.append(format_html('<del class="diff-del">{}</del>', _marked(gone)))
        elif gone:
            pieces.append(format_html("{}", gone))
        if came.strip():
            pieces.append(format_html('<ins class="diff-ins">{}</ins>', _marked(came)))
        elif came:
            pieces.append(format_html("{}", came))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def changed_numbers(old: str, new: str) -> list[tuple[str, str]]:
    """The figures that differ, in order: [("34,000", "36,000")] (either side may be "")."""
    before, after = _NUMBER.findall(old), _NUMBER.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    return [
        (" ".join(before[i1:i2]), " ".join(after[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
