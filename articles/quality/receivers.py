"""What quality control does when another feature tells it something (articles.models.signals)."""

from articles.quality.second import follow_revision
from articles.quality.signoff import withdraw_for_revision


def revision_undoes_sign_off(sender, *, article, revision: int, **kwargs) -> None:
    """A new revision of an article (articles.models.signals.article_revised): a sign-off was
    of other content, so it is withdrawn with "Revision N undid the sign-off." in its audit;
    an open second review follows the new paragraphs (second.follow_revision)."""
    withdraw_for_revision(article_id=article.pk, revision=revision)
    follow_revision(article_id=article.pk)
