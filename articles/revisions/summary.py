"""The one audit line of a revision: "revision 2: 25 unchanged, 2 edited, 1 added, 1 deleted",
naming the unverified claims it removed (a removed claim is news itself, REVISIONS.md)."""

from articles import sanitize
from articles.models import ArticleRevision, Label

# How much of a removed claim's text the summary quotes.
QUOTED_CHARS = 80


def counts_line(counts: dict[str, int]) -> str:
    """ "25 unchanged, 1 with links changed, 2 edited, 1 added, 1 deleted" of counts keyed by
    change ("links changed" only when there are any)."""
    parts = [f"{counts.get('unchanged', 0)} unchanged"]
    if counts.get("links_changed"):
        parts.append(f"{counts['links_changed']} with links changed")
    parts += [
        f"{counts.get(change, 0)} {change}" for change in ("edited", "added", "deleted")
    ]
    return ", ".join(parts)


def revision_counts(revision: ArticleRevision) -> dict[str, int]:
    return {
        "unchanged": revision.unchanged,
        "links_changed": revision.links_changed,
        "edited": revision.edited,
        "added": revision.added,
        "deleted": revision.deleted,
    }


def summarise(revision: ArticleRevision, *, deleted) -> str:
    """The revision's audit line; `deleted` are the paragraphs it removed."""
    line = f"revision {revision.number}: {counts_line(revision_counts(revision))}"
    claims = [p for p in deleted if p.label == Label.UNVERIFIED]
    if claims:
        quoted = "; ".join(
            f"¶{p.position} “{sanitize.shorten(p.text, QUOTED_CHARS)}”" for p in claims
        )
        what = "an unverified claim" if len(claims) == 1 else "unverified claims"
        line += f"; removed {what}: {quoted}"
    return line
