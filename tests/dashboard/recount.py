"""The dashboard's figures counted again in plain Python from the audit trail and the articles,
independently of the roll-ups and their SQL: what the CSVs must equal."""

import csv
import datetime
import io
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings

from articles.models import Article, LabelEvent

HAND = {"click", "keyboard"}
UTC = datetime.UTC


def day_of(moment: datetime.datetime) -> str:
    """The desk's calendar day (settings.TIME_ZONE) of a moment."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()


def label_events():
    return list(
        LabelEvent.objects.filter(field="label")
        .select_related("article", "user")
        .order_by("created_at", "id")
    )


def throughput(days: list[str], *, reviewer=None, source=None) -> list[list]:
    rows = {day: [day, 0, 0, 0, 0] for day in days}
    for event in label_events():
        if reviewer is not None and event.user_id != reviewer:
            continue
        if source is not None and event.article.source != source:
            continue
        row = rows.get(day_of(event.created_at))
        if row is None:
            continue
        if event.new_value:
            row[1] += 1
            row[2] += event.method in HAND
        else:
            row[3] += 1
    for day, who, where in finished():
        if day in rows and reviewer in (None, who) and source in (None, where):
            rows[day][4] += 1
    return list(rows.values())


def _status(labeled: int, total: int) -> str:
    if labeled == 0:
        return "unreviewed"
    return "reviewed" if labeled >= total else "in_progress"


def _replay():
    """Per article: (imported day, source, [(day, reviewer id, status before, after)])."""
    events = defaultdict(list)
    for event in label_events():
        events[event.article_id].append(event)
    history = {}
    for article in Article.objects.all():
        mine = events.get(article.pk, [])
        net = sum(bool(e.new_value) - bool(e.old_value) for e in mine)
        labeled = article.labeled_count - net
        status = _status(labeled, article.paragraph_count)
        moves = []
        for event in mine:
            labeled += bool(event.new_value) - bool(event.old_value)
            after = _status(labeled, article.paragraph_count)
            if after != status:
                moves.append((day_of(event.created_at), event.user_id, status, after))
                status = after
        arrived = min([article.imported_at, *(e.created_at for e in mine)])
        history[article.pk] = (
            day_of(arrived),
            article.source,
            _status(article.labeled_count - net, article.paragraph_count),
            moves,
        )
    return history


def finished():
    for _, source, _, moves in _replay().values():
        for day, who, before, after in moves:
            if after == "reviewed" and before in ("unreviewed", "in_progress"):
                yield day, who, source


def backlog(days: list[str], statuses: list[str], *, source=None) -> list[list]:
    rows = []
    history = _replay()
    for day in days:
        counts = Counter()
        for imported, where, first, moves in history.values():
            if source is not None and where != source:
                continue
            if imported > day:
                continue
            status = first
            for moved, _, _, after in moves:
                if moved <= day:
                    status = after
            counts[status] += 1
        rows.append([day, *(counts[s] for s in statuses)])
    return rows


def label_mix(days: list[str], *, reviewer=None) -> dict[str, list[int]]:
    mix = defaultdict(lambda: [0, 0, 0])
    order = ["verified", "unverified", "boilerplate"]
    for event in label_events():
        if reviewer is not None and event.user_id != reviewer:
            continue
        if day_of(event.created_at) in days and event.new_value:
            mix[event.article.source][order.index(event.new_value)] += 1
    return dict(mix)


def bucket(ms: int) -> int:
    if ms < 120_000:
        return ms // 1000
    if ms < 600_000:
        return ms // 10_000 * 10
    return ms // 60_000 * 60


def pace(days: list[str]) -> dict[int, tuple[int | None, int, int]]:
    """Per reviewer: (lower median of bucketed gaps under the break, how many, fast labels)."""
    runs = settings.NEWSREVIEW_FAST_RUN_LABELS
    window = settings.NEWSREVIEW_FAST_RUN_SECONDS * 1000
    per_user = defaultdict(list)
    for event in label_events():
        if event.method in HAND and event.user_id:
            per_user[event.user_id].append(event.created_at)
    out = {}
    for user, times in per_user.items():
        gaps, fast = [], 0
        for i, moment in enumerate(times):
            if day_of(moment) not in days:
                continue
            if i:
                ms = round((moment - times[i - 1]).total_seconds() * 1000)
                if (
                    ms < 3_600_000
                    and bucket(ms) < settings.NEWSREVIEW_PACE_BREAK_SECONDS
                ):
                    gaps.append(bucket(ms))
            if i >= runs - 1:
                span = round((moment - times[i - runs + 1]).total_seconds() * 1000)
                fast += span <= window
        gaps.sort()
        median = gaps[(len(gaps) - 1) // 2] if gaps else None
        out[user] = (median, len(gaps), fast)
    return out


def read_csv(response) -> list[list[str]]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
