"""Property-style tests over random edit scripts (seeded, so a failure repeats): whatever a
re-scrape does, an unchanged paragraph never loses its label, and no changed text ever carries
a label as final; counts and status always follow the labels."""

import random

import pytest

from articles import sanitize
from articles.imports.importers import import_paths
from articles.models import Article, Change, Label, Paragraph, derive_status
from articles.review.labels import set_label
from tests.revisions.conftest import write_article

ITERATIONS = 120
WORDS = [
    "minister",
    "said",
    "figures",
    "rose",
    "fell",
    "court",
    "police",
    "report",
    "city",
    "council",
]


def _paragraph(rng: random.Random, serial: int) -> str:
    words = rng.sample(WORDS, 5)
    link = rng.random() < 0.4
    body = f"Item {serial}: {' '.join(words)} {rng.randint(1, 99_999):,} times."
    if link:
        body += f' <a href="https://example.org/{rng.randint(1, 9)}">more</a>'
    return f'<span class="c{rng.randint(1, 9)}">{body}</span>'


def _cosmetic(rng: random.Random, raw: str) -> str:
    """The same paragraph as a new deploy of the site would serve it."""
    return "  " + raw.replace('class="c', f'class="k{rng.randint(1, 9)} c').replace(
        " ", rng.choice(["  ", " \n "])
    )


def _edit(rng: random.Random, raw: str) -> str:
    """Another figure in the same sentence."""
    head, tail = raw.split(": ", 1)
    return f"{head}: {tail.replace(' times', f' and {rng.randint(1, 999)} more times')}"


def _relink(raw: str) -> str:
    if "href" in raw:
        return raw.replace("https://example.org/", "https://example.net/")
    return raw


def _script(rng: random.Random, old: list[str], serial) -> tuple[list[str], dict]:
    """A random re-scrape of `old`: paragraphs kept (perhaps moved or restyled), relinked,
    edited, inserted and deleted. Returns the new list and, per new index, what was done to
    which old index: {new index: ("kept" | "relinked" | "edited", old index)}."""
    items = [("kept", index, raw) for index, raw in enumerate(old)]
    for _ in range(rng.randint(0, 4)):
        op = rng.choice(["edit", "insert", "delete", "move", "restyle", "relink"])
        if op == "insert":
            items.insert(
                rng.randint(0, len(items)), ("new", None, _paragraph(rng, next(serial)))
            )
            continue
        kept = [i for i, item in enumerate(items) if item[1] is not None]
        if not kept:
            continue
        at = rng.choice(kept)
        kind, index, raw = items[at]
        if op == "edit":
            items[at] = ("edited", index, _edit(rng, raw))
        elif op == "delete" and len(items) > 1:
            del items[at]
        elif op == "move":
            item = items.pop(at)
            items.insert(rng.randint(0, len(items)), item)
        elif op == "restyle":
            items[at] = (kind, index, _cosmetic(rng, raw))
        elif op == "relink" and kind == "kept" and "href" in raw:
            items[at] = ("relinked", index, _relink(raw))
    return [raw for _, _, raw in items], {
        new: (kind, index)
        for new, (kind, index, _) in enumerate(items)
        if index is not None
    }


def _keys(paragraph) -> tuple[str, str]:
    return sanitize.paragraph_keys(paragraph.html, paragraph.text)


@pytest.mark.django_db
def test_random_rescrapes_keep_labels_of_unchanged_paragraphs_and_carry_none_onto_changes(
    tmp_path, reviewer
):
    rng = random.Random(14)
    serial = iter(range(1, 1_000_000))
    for iteration in range(ITERATIONS):
        name = f"article-{iteration}.txt"
        old_raw = [_paragraph(rng, next(serial)) for _ in range(rng.randint(1, 12))]
        import_paths([write_article(tmp_path / f"{iteration}-1", name, old_raw)])
        article = Article.objects.get(external_id=name.removesuffix(".txt"))
        for position in range(1, len(old_raw) + 1):
            label = rng.choice(["", *Label.values])
            if label:
                set_label(
                    article_id=article.pk, position=position, label=label, user=reviewer
                )
        old = list(article.paragraphs.order_by("position"))
        old_labels = {_keys(p): p.label for p in old}
        old_text_labels = {_keys(p)[0]: p.label for p in old}

        new_raw, fate = _script(rng, old_raw, serial)
        import_paths([write_article(tmp_path / f"{iteration}-2", name, new_raw)])

        article.refresh_from_db()
        now = list(article.paragraphs.order_by("position"))
        assert len(now) == len(new_raw), iteration
        for index, paragraph in enumerate(now):
            kind, was = fate.get(index, ("new", None))
            if kind == "kept":
                # Unchanged (perhaps moved or restyled): the label stays, as final.
                assert paragraph.label == old[was].label, (iteration, index)
                assert paragraph.labeled_by_id == old[was].labeled_by_id
                if article.revision > 1:
                    assert paragraph.change == Change.UNCHANGED, (iteration, index)
            elif kind == "relinked":
                assert paragraph.label == old[was].label, (iteration, index)
                assert paragraph.change == Change.LINKS_CHANGED, (iteration, index)
            else:
                # Edited or new text: no label as final; an edit offers the old one.
                assert paragraph.label == "", (iteration, index, kind)
                if kind == "edited":
                    assert paragraph.change == Change.EDITED, (iteration, index)
                    assert paragraph.previous_label == old[was].label
            # Whatever the alignment did: a label only ever sits on a text that had it.
            if paragraph.label:
                assert old_text_labels[_keys(paragraph)[0]] == paragraph.label
                assert paragraph.change in ("", Change.UNCHANGED, Change.LINKS_CHANGED)
                if paragraph.change != Change.LINKS_CHANGED:
                    assert old_labels[_keys(paragraph)] == paragraph.label
        labels = [p.label for p in now]
        assert article.paragraph_count == len(now)
        assert article.verified_count == labels.count(Label.VERIFIED)
        assert article.unverified_count == labels.count(Label.UNVERIFIED)
        assert article.boilerplate_count == labels.count(Label.BOILERPLATE)
        assert article.status == derive_status(
            labeled=len(now) - labels.count(""), total=len(now)
        )
    assert Paragraph.objects.filter(change=Change.EDITED).exists()
    assert Paragraph.objects.filter(change=Change.LINKS_CHANGED).exists()
    assert Article.objects.filter(revision__gte=2).count() > ITERATIONS // 2
