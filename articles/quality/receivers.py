"""What quality control does when another feature tells it something (articles.models.signals)."""

from articles.quality.signoff import withdraw_for_revision


def revision_undoes_sign_off(sender, *, article, revision: int, **kwargs) -> None:
    """A new revision of a signed-off article: the sign-off was of other content; withdraw it,
    with "Revision N undid the sign-off." in its audit (articles.models.signals.article_revised).
    """
    withdraw_for_revision(article_id=article.pk, revision=revision)
