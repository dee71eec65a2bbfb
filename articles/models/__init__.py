"""The review data, one module per concept; import models from here.

status.py (the status rule), article.py, paragraph.py (with the audit trail), import_run.py,
repetition.py (boilerplate counts and propagations), learned.py (the trained boilerplate
models and the suggestion settings).
"""

from articles.models.article import Article, ArticleQuerySet, ArticleTally
from articles.models.import_run import ImportRun
from articles.models.learned import LearnedModel, SuggestionSettings
from articles.models.paragraph import LabelEvent, Paragraph
from articles.models.repetition import Propagation, RepeatedText
from articles.models.status import COUNT_FIELD, Label, ReviewStatus, derive_status

__all__ = [
    "COUNT_FIELD",
    "Article",
    "ArticleQuerySet",
    "ArticleTally",
    "ImportRun",
    "Label",
    "LabelEvent",
    "LearnedModel",
    "Paragraph",
    "Propagation",
    "RepeatedText",
    "ReviewStatus",
    "SuggestionSettings",
    "derive_status",
]
