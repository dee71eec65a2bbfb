"""Which paragraphs of a re-imported article are unchanged, links-changed, edited, added or
deleted: the alignment (../shared/docs/REVISIONS.md, "Alignment").

Paragraphs are compared on sanitize.paragraph_keys(): the text the sanitiser keeps and the link
targets. difflib.SequenceMatcher aligns the two lists of keys (insertions, deletions, runs kept
in order); a paragraph with the same keys anywhere else is unchanged too (a move), one with the
same text and other links is "links changed". What is left in a replaced block is paired, old
with new, by word similarity: a pair is "edited", a new paragraph without a partner "added", an
old one "deleted". Only an exact match ever carries a label (the lesson of REVISIONS.md: a fuzzy
match must never silently carry a verdict); an edited pair only offers the old label.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from articles.models import Change

# Two paragraphs whose words are at least this similar (difflib's ratio) are one edited
# paragraph; below it, one was deleted and another added.
EDITED_AT_LEAST = 0.5
PAIRS_AT_MOST = 2500

Keys = tuple[str, str]  # sanitize.paragraph_keys(): (text key, links key)


@dataclass(frozen=True)
class Step:
    """What became of one new paragraph: `old` is the index of the old paragraph it continues
    (None when added)."""

    change: str
    old: int | None


@dataclass
class Plan:
    steps: list[Step]  # one per new paragraph, in the new order
    deleted: list[int] = field(default_factory=list)  # old indexes, in the old order

    @property
    def unchanged(self) -> bool:
        """True when the new paragraphs are the old ones, in the same order."""
        return not self.deleted and all(
            step.change == Change.UNCHANGED and step.old == index
            for index, step in enumerate(self.steps)
        )

    def count(self, change: str) -> int:
        return sum(1 for step in self.steps if step.change == change)


def similarity(old_text: str, new_text: str) -> float:
    """difflib's ratio of the two texts' words: 1.0 for the same words."""
    matcher = SequenceMatcher(None, old_text.split(), new_text.split(), autojunk=False)
    if matcher.real_quick_ratio() < EDITED_AT_LEAST:
        return 0.0
    if matcher.quick_ratio() < EDITED_AT_LEAST:
        return 0.0
    return matcher.ratio()


def plan(
    old_keys: list[Keys],
    new_keys: list[Keys],
    *,
    old_texts: list[str],
    new_texts: list[str],
) -> Plan:
    """The Plan that turns the old paragraphs into the new ones."""
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    steps: list[Step | None] = [None] * len(new_keys)
    used = [False] * len(old_keys)
    blocks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                steps[j1 + offset] = Step(Change.UNCHANGED, i1 + offset)
                used[i1 + offset] = True
        else:
            blocks.append((range(i1, i2), range(j1, j2)))

    # Moves and link changes, anywhere in the article; first come, first paired.
    for change, key in ((Change.UNCHANGED, _same), (Change.LINKS_CHANGED, _text)):
        free: dict[object, deque[int]] = defaultdict(deque)
        for index, keys in enumerate(old_keys):
            if not used[index]:
                free[key(keys)].append(index)
        for index, keys in enumerate(new_keys):
            if steps[index] is None and free[key(keys)]:
                old = free[key(keys)].popleft()
                steps[index] = Step(change, old)
                used[old] = True

    # Edits: the most similar pairs first, across the article (a paragraph may be edited and
    # moved); past PAIRS_AT_MOST candidate pairs (a rewritten article), within each replaced
    # block only, so one article never costs seconds.
    left_old = sum(1 for was_used in used if not was_used)
    left_new = sum(1 for step in steps if step is None)
    if left_old * left_new <= PAIRS_AT_MOST:
        blocks = [(range(len(old_keys)), range(len(new_keys)))]
    for old_range, new_range in blocks:
        _pair_edits(steps, used, old_range, new_range, old_texts, new_texts)

    return Plan(
        steps=[step or Step(Change.ADDED, None) for step in steps],
        deleted=[index for index, was_used in enumerate(used) if not was_used],
    )


def _pair_edits(steps, used, old_range, new_range, old_texts, new_texts) -> None:
    pairs = sorted(
        (
            (similarity(old_texts[i], new_texts[j]), i, j)
            for i in old_range
            if not used[i]
            for j in new_range
            if steps[j] is None
        ),
        key=lambda pair: (-pair[0], pair[2], pair[1]),
    )
    for score, i, j in pairs:
        if score < EDITED_AT_LEAST:
            break
        if not used[i] and steps[j] is None:
            steps[j] = Step(Change.EDITED, i)
            used[i] = True


def _same(keys: Keys) -> Keys:
    return keys


def _text(keys: Keys) -> str:
    return keys[0]
