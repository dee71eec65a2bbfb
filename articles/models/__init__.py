"""The review data, one module per concept; import models from here.

status.py (the status rule), article.py, paragraph.py (with the audit trail), import_run.py,
repetition.py (boilerplate counts and propagations), api_token.py (the API's personal
tokens), webhook.py (webhooks and their deliveries).
"""

from articles.models.api_token import ApiToken
from articles.models.article import Article, ArticleQuerySet, ArticleTally
from articles.models.import_run import ImportRun
from articles.models.paragraph import LabelEvent, Paragraph
from articles.models.repetition import Propagation, RepeatedText
from articles.models.status import COUNT_FIELD, Label, ReviewStatus, derive_status
from articles.models.webhook import Webhook, WebhookDelivery, WebhookEvent

__all__ = [
    "COUNT_FIELD",
    "ApiToken",
    "Article",
    "ArticleQuerySet",
    "ArticleTally",
    "ImportRun",
    "Label",
    "LabelEvent",
    "Paragraph",
    "Propagation",
    "RepeatedText",
    "ReviewStatus",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "derive_status",
]
