"""Signals between feature packages, so that they never import each other."""

from django.dispatch import Signal

# Sent inside the revision import's transaction once an article's new revision is written:
# sender=Article, article=<Article>, revision=<int, the new revision number>.
article_revised = Signal()
