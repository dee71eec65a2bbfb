"""The review data, one module per concept; import models from here.

status.py (the status rule), article.py, paragraph.py (with the audit trail), import_run.py,
repetition.py (boilerplate counts and propagations), revision.py (earlier revisions of an
article), quality.py (sign-off, second review, agreement), rollups.py (the dashboard's daily
roll-ups), learned.py (the trained boilerplate models and the suggestion settings),
api_token.py (the API's personal tokens), webhook.py (webhooks and their deliveries),
signals.py (signals between feature packages).
"""

from articles.models.api_token import ApiToken
from articles.models.article import Article, ArticleQuerySet, ArticleTally
from articles.models.import_run import ImportRun
from articles.models.learned import LearnedModel, SuggestionSettings
from articles.models.paragraph import Change, LabelEvent, Paragraph
from articles.models.preferences import ReviewerPreferences
from articles.models.quality import (
    AgreementTally,
    SecondOpinion,
    SecondReview,
    SignOff,
)
from articles.models.repetition import Propagation, RepeatedText
from articles.models.revision import ArticleRevision, ParagraphSnapshot
from articles.models.rollups import DashboardSetting, LabelDay, PaceDay, StatusDay
from articles.models.status import COUNT_FIELD, Label, ReviewStatus, derive_status
from articles.models.webhook import Webhook, WebhookDelivery, WebhookEvent

__all__ = [
    "COUNT_FIELD",
    "AgreementTally",
    "ApiToken",
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleTally",
    "Change",
    "DashboardSetting",
    "ImportRun",
    "Label",
    "LabelDay",
    "LabelEvent",
    "LearnedModel",
    "PaceDay",
    "Paragraph",
    "ParagraphSnapshot",
    "Propagation",
    "RepeatedText",
    "ReviewStatus",
    "ReviewerPreferences",
    "SecondOpinion",
    "SecondReview",
    "SignOff",
    "StatusDay",
    "SuggestionSettings",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "derive_status",
]
