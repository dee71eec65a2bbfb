"""What the review page and a label POST read: an article's paragraphs, or one paragraph, with
who labeled them and, for the suggestions, their texts' repetition counts in the source."""

from articles.boilerplate.suggestions import attach_repetition
from articles.models import Article, Paragraph


def article_paragraphs(article: Article) -> list[Paragraph]:
    """The article's paragraphs in reading order, each with who labeled it, `.article` (this
    same instance) and its repetition counts: two queries, whatever the length."""
    paragraphs = list(
        article.paragraphs.select_related("labeled_by").order_by("position")
    )
    attach_repetition(paragraphs, source=article.source)
    return paragraphs


def paragraph_at(article_id: int, position: int, *, lock: bool = False) -> Paragraph:
    """One paragraph with its article; `lock` locks its row (only its row, so nobody waits on
    the article) until the transaction ends. Raises Paragraph.DoesNotExist.

    Who labeled it is not joined: a label write sets it to the writer, and the one page that
    shows another person's name (a conflict) reads it then. Joining the user cost a fifth of
    this read, the label POST's dearest query.
    """
    paragraphs = Paragraph.objects.select_related("article")
    if lock:
        paragraphs = paragraphs.select_for_update(of=("self",))
    return paragraphs.get(article_id=article_id, position=position)
