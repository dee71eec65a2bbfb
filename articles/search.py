"""Text search over article titles and paragraph text, on an index rather than `LIKE '%…%'`.

A scan with LIKE reads every paragraph (millions of rows) for each search; these read an index:
- SQLite: FTS5 tables over articles_article.title and articles_paragraph.text ("external
  content": the index points at the rows, the text is not stored twice), kept in sync by
  triggers, so every way a row is written (importer, admin, fixtures) is indexed.
- PostgreSQL: GIN indexes on to_tsvector('simple', …) of the same two columns, which
  PostgreSQL maintains itself.
Both made by migration 0003_search. The 'simple' configuration and FTS5's unicode61 tokenizer
(diacritics kept) agree: words are split on anything that is not a letter or digit and compared
case-insensitively, with no stemming, because the corpus is in many languages.

What a search matches: the query's words, in that order and next to each other, where the last
word may be the start of a longer one ("war crim" finds "war crimes"); in the title or in any
one paragraph. A query without letters or digits falls back to a plain substring scan.
"""

import re

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

# What both tokenizers treat as one word: a run of letters and digits (not "_", which FTS5's
# unicode61 treats as a separator).
_WORD = re.compile(r"[^\W_]+")

_SQLITE = (
    "SELECT p.article_id FROM articles_paragraph p WHERE p.id IN ("
    " SELECT rowid FROM articles_paragraph_fts WHERE articles_paragraph_fts MATCH %s)"
    " UNION SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s"
)
# The expressions must be written exactly as in the migration's indexes, or PostgreSQL
# cannot use them.
_POSTGRESQL = (
    "SELECT article_id FROM articles_paragraph"
    " WHERE to_tsvector('simple'::regconfig, text) @@ to_tsquery('simple'::regconfig, %s)"
    " UNION SELECT id FROM articles_article"
    " WHERE to_tsvector('simple'::regconfig, title) @@ to_tsquery('simple'::regconfig, %s)"
)


def words(q: str) -> list[str]:
    """The words of a search, lower-cased as both indexes store them."""
    return _WORD.findall(q.lower())


def fts5_query(terms: list[str]) -> str:
    # A quoted phrase with a trailing * (prefix match on its last token). The terms hold only
    # letters and digits, so nothing a user types can change the query's syntax.
    return '"' + " ".join(terms) + '"*'


def tsquery(terms: list[str]) -> str:
    # `<->` is "followed by"; `:*` a prefix match. Letters and digits only, as above.
    return " <-> ".join([*terms[:-1], terms[-1] + ":*"])


def search_articles(articles: QuerySet, q: str) -> QuerySet:
    """`articles` whose title or any paragraph contains the words of `q` (module docstring)."""
    # Security: the SQL is a constant; what the user typed reaches it only as a bound parameter.
    terms = words(q)
    vendor = connections[articles.db].vendor
    if terms and vendor == "sqlite":
        query = fts5_query(terms)
        return articles.filter(pk__in=RawSQL(_SQLITE, [query, query]))  # noqa: S611
    if terms and vendor == "postgresql":
        query = tsquery(terms)
        return articles.filter(pk__in=RawSQL(_POSTGRESQL, [query, query]))  # noqa: S611
    from articles.models import Paragraph

    in_paragraphs = Paragraph.objects.filter(text__icontains=q).values("article_id")
    return articles.filter(Q(title__icontains=q) | Q(pk__in=in_paragraphs))
