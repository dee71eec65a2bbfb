"""The paragraphs as JSON Lines, for training data sets: one object a paragraph, streamed.

Read like the paragraphs CSV (articles.exports.csv.article_groups, queries.paragraph_rows:
keyset batches, flat memory, the first bytes at once). Each line:
{"external_id", "source", "position", "text", "label", "labeled_by", "labeled_at", "note"}
with `label` null for a paragraph nobody labeled, and times in ISO 8601 UTC. The text is the
paragraph's plain text (its HTML stays in the app); JSON escaping makes every line one line.
"""

import datetime
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse

from articles.exports import queries
from articles.exports.csv import BATCH_SIZE, article_groups

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _utc(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def paragraph_jsonl(articles, *, batch_size: int = BATCH_SIZE) -> Iterator[str]:
    """The JSON lines of the `articles` queryset's paragraphs, by article id then position."""
    for group in article_groups(articles, batch_size):
        after = (0, 0)
        while True:
            batch = queries.paragraph_rows(
                article_ids=list(group), after=after, limit=batch_size
            )
            yield "".join(
                _encode(
                    {
                        "external_id": group[article_id][0],
                        "source": group[article_id][1],
                        "position": position,
                        "text": text,
                        "label": label or None,
                        "labeled_by": labeled_by,
                        "labeled_at": _utc(labeled_at),
                        "note": note,
                    }
                )
                + "\n"
                for article_id, position, label, labeled_by, labeled_at, note, text, *_ in batch
            )
            if len(batch) < batch_size:
                break
            after = batch[-1][:2]


def paragraphs_response(articles) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        paragraph_jsonl(articles), content_type="application/jsonl; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="paragraphs.jsonl"'
    return response
