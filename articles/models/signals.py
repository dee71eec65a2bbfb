"""Signals between feature packages, so that they never import each other."""

from django.dispatch import Signal

# Sent inside the revision import's transaction once an article's new revision is written:
# sender=Article, article=<Article>, revision=<int, the new revision number>.
article_revised = Signal()

# Sent inside the sign-off's transaction once a Lead signed an article off (articles.quality):
# sender=Article, article=<Article, status signed_off>, by=<the Lead>.
article_signed_off = Signal()
