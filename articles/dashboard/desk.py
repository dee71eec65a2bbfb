"""The desk over days: backlog, paragraphs labeled and articles finished per day."""

from articles.dashboard import charts
from articles.dashboard.figures import Figures
from articles.dashboard.panel import (
    Panel,
    articles_text,
    count_text,
    date_text,
)


def backlog(f: Figures) -> Panel:
    classes = {value: f"st-{i}" for i, (value, _) in enumerate(f.statuses)}
    days = [day for day, _ in f.backlog]
    first, last = f.backlog[0][1], f.backlog[-1][1]
    now = ", ".join(
        f"{count_text(last.get(v, 0))} {label.lower()}" for v, label in f.statuses
    )
    open_values = [v for v, _ in f.statuses[:2]]  # unreviewed and in progress

    def open_count(counts):
        return sum(counts.get(v, 0) for v in open_values)

    change = open_count(last) - open_count(first)
    trend = "no change" if not change else ("up" if change > 0 else "down")
    summary = (
        f"At the end of {date_text(f.scope.end)}: {now}. Not yet fully reviewed: "
        f"{count_text(open_count(last))}, {trend}"
        + (f" by {count_text(abs(change))}" if change else "")
        + f" since the end of {date_text(f.scope.start)}."
    )
    return Panel(
        slug="backlog",
        title="Backlog",
        summary=summary,
        headers=["day", *(value for value, _ in f.statuses)],
        rows=[
            [day.isoformat(), *(counts.get(v, 0) for v, _ in f.statuses)]
            for day, counts in f.backlog
        ],
        svg=charts.day_columns(
            "summary-backlog",
            days,
            [
                (label.lower(), classes[v], [c.get(v, 0) for _, c in f.backlog])
                for v, label in f.statuses
            ],
        ),
        legend=[(label, classes[v]) for v, label in f.statuses],
        note="Articles in each status at the end of each day: the whole desk's, whoever "
        "reviews them.",
    )


def throughput(f: Figures) -> Panel:
    labeled = sum(d.labeled for d in f.daily)
    busiest = max(f.daily, key=lambda d: (d.labeled, d.day))
    summary = (
        f"{count_text(labeled)} paragraphs labeled ({count_text(sum(d.by_hand for d in f.daily))} by hand) "
        f"and {articles_text(sum(d.finished for d in f.daily))} finished in "
        f"{len(f.daily)} days"
        + (
            f"; most on {date_text(busiest.day)} ({count_text(busiest.labeled)})."
            if busiest.labeled
            else "."
        )
    )
    return Panel(
        slug="throughput",
        title="Paragraphs labeled per day",
        summary=summary,
        headers=["day", "labeled", "by_hand", "cleared", "articles_finished"],
        rows=[
            [d.day.isoformat(), d.labeled, d.by_hand, d.cleared, d.finished]
            for d in f.daily
        ],
        svg=charts.day_columns(
            "summary-throughput",
            [d.day for d in f.daily],
            [
                ("labeled by hand", "tp-hand", [d.by_hand for d in f.daily]),
                (
                    "labeled in bulk",
                    "tp-bulk",
                    [d.labeled - d.by_hand for d in f.daily],
                ),
            ],
        ),
        legend=[("By hand (click or key)", "tp-hand"), ("In bulk", "tp-bulk")],
        note="Labels set (not cleared). In bulk: rest as boilerplate, accepted "
        "suggestions, applied across a source, undo.",
    )


def finished(f: Figures) -> Panel:
    done = sum(d.finished for d in f.daily)
    active = [d for d in f.daily if d.finished]
    summary = (
        f"{articles_text(done)} finished in {len(f.daily)} days, "
        f"{done / len(f.daily):.1f} a day on average"
        + (
            f"; most on {date_text(max(active, key=lambda d: (d.finished, d.day)).day)}."
            if active
            else "."
        )
    )
    return Panel(
        slug="finished",
        title="Articles finished per day",
        summary=summary,
        headers=["day", "articles_finished"],
        rows=[[d.day.isoformat(), d.finished] for d in f.daily],
        svg=charts.day_columns(
            "summary-finished",
            [d.day for d in f.daily],
            [("articles finished", "st-2", [d.finished for d in f.daily])],
        ),
        note="An article is finished when its last unlabeled paragraph is labeled (again, "
        "after a reset); the day's pace against the backlog above.",
    )
