"""One panel per chart: its title, a sentence that says what the chart shows (the screen
reader's summary), the SVG, and the table of its numbers. The table's rows are also the CSV's
(articles.dashboard.csv), so the download and the page never disagree.

Future panels (agreement per reviewer, with the quality-control issue) add a builder to
BUILDERS; the page, the CSV route and the tests walk that list.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from articles.dashboard import charts
from articles.dashboard.figures import Figures
from articles.models import Label

BAR_ROWS = 12  # rows drawn in the per-source mix chart (the table has every source)
LABELS = [
    (Label.VERIFIED, "lb-verified"),
    (Label.UNVERIFIED, "lb-unverified"),
    (Label.BOILERPLATE, "lb-boilerplate"),
]


@dataclass
class Row:
    """One line of a horizontal bar chart: its name, its bar, what the bar says in words."""

    name: str
    bar: SafeString
    text: str
    flag: str = ""


@dataclass
class Panel:
    slug: str
    title: str
    summary: str
    headers: list[str]
    rows: list[list]
    svg: SafeString | None = None
    # The table under the chart, when it shows less than the CSV (what the chart draws).
    table: list[list] | None = None
    bars: list[Row] | None = None
    legend: list[tuple[str, str]] | None = None
    note: str = ""

    @property
    def summary_id(self) -> str:
        return f"summary-{self.slug}"

    @property
    def table_rows(self) -> list[list]:
        return self.rows if self.table is None else self.table

    @property
    def columns(self) -> list[str]:
        """The CSV's column names as the table's headings."""
        return [name.replace("_", " ").capitalize() for name in self.headers]


def _n(value: int) -> str:
    return f"{value:,}"


def _articles(n: int) -> str:
    return f"{_n(n)} article{'' if n == 1 else 's'}"


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _day(day: datetime.date) -> str:
    return f"{day:%-d %b %Y}"


def backlog(f: Figures) -> Panel:
    classes = {value: f"st-{i}" for i, (value, _) in enumerate(f.statuses)}
    days = [day for day, _ in f.backlog]
    first, last = f.backlog[0][1], f.backlog[-1][1]
    now = ", ".join(f"{_n(last.get(v, 0))} {label.lower()}" for v, label in f.statuses)
    open_values = [v for v, _ in f.statuses[:2]]  # unreviewed and in progress

    def open_count(counts):
        return sum(counts.get(v, 0) for v in open_values)

    change = open_count(last) - open_count(first)
    trend = "no change" if not change else ("up" if change > 0 else "down")
    summary = (
        f"At the end of {_day(f.scope.end)}: {now}. Not yet fully reviewed: "
        f"{_n(open_count(last))}, {trend}"
        + (f" by {_n(abs(change))}" if change else "")
        + f" since the end of {_day(f.scope.start)}."
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
        f"{_n(labeled)} paragraphs labeled ({_n(sum(d.by_hand for d in f.daily))} by hand) "
        f"and {_articles(sum(d.finished for d in f.daily))} finished in "
        f"{len(f.daily)} days"
        + (
            f"; most on {_day(busiest.day)} ({_n(busiest.labeled)})."
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
        f"{_articles(done)} finished in {len(f.daily)} days, "
        f"{done / len(f.daily):.1f} a day on average"
        + (
            f"; most on {_day(max(active, key=lambda d: (d.finished, d.day)).day)}."
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


def reviewers(f: Figures) -> Panel:
    people = [p for p in f.reviewers if p.labeled or p.finished]
    top = max((p.labeled for p in people), default=0)
    if people:
        lead = people[0]
        summary = (
            f"{len(people)} reviewer{'s' if len(people) != 1 else ''} labeled paragraphs; "
            f"most: {lead.name} with {_n(lead.labeled)} paragraphs and "
            f"{_articles(lead.finished)} finished."
        )
    else:
        summary = "No paragraphs labeled in this period."
    return Panel(
        slug="reviewers",
        title="Throughput per reviewer",
        summary=summary,
        headers=["reviewer", "labeled", "by_hand", "articles_finished"],
        rows=[[p.name, p.labeled, p.by_hand, p.finished] for p in people],
        bars=[
            Row(
                p.name,
                charts.bar(
                    [("tp-hand", p.by_hand), ("tp-bulk", p.labeled - p.by_hand)],
                    scale=top,
                ),
                f"{_n(p.labeled)} ¶, {_articles(p.finished)}",
            )
            for p in people
        ],
        legend=[("By hand", "tp-hand"), ("In bulk", "tp-bulk")],
    )


def pace(f: Figures) -> Panel:
    timed = [p for p in f.reviewers if p.median]
    labels, seconds = f.fast_rule or (0, 0)
    rule = f"{labels} hand labels within {seconds} s"
    top = max((p.median.seconds + p.median.width for p in timed), default=0)
    flagged = [p for p in f.reviewers if p.fast]
    if timed:
        summary = "Median seconds per paragraph: " + ", ".join(
            f"{p.name} {p.median}" for p in timed
        )
        summary += "."
    else:
        summary = "No timed hand labels in this period."
    if flagged:
        summary += " Implausibly fast runs: " + ", ".join(
            f"{p.name} {_n(p.fast)} labels" for p in flagged
        )
        summary += f" (a run is {rule})."
    people = sorted(
        {p.reviewer_id: p for p in [*timed, *flagged]}.values(),
        key=lambda p: (p.median.seconds if p.median else -1, p.name.casefold()),
    )
    return Panel(
        slug="pace",
        title="Pace per reviewer",
        summary=summary,
        headers=["reviewer", "median_seconds", "timed_labels", "fast_labels"],
        rows=[
            [
                p.name,
                p.median.seconds if p.median else "",
                p.median.timed if p.median else 0,
                p.fast,
            ]
            for p in people
        ],
        bars=[
            Row(
                p.name,
                charts.bar(
                    [("pace", (p.median.seconds + p.median.width) if p.median else 0)],
                    scale=top,
                ),
                f"{p.median} per ¶ ({_n(p.median.timed)} timed)"
                if p.median
                else "not timed",
                flag=f"{_n(p.fast)} fast" if p.fast else "",
            )
            for p in people
        ],
        note=(
            f"Gaps between one reviewer's hand labels (any article), breaks of "
            f"{f.break_seconds} s or more left out; exact to the second below two "
            f"minutes. Flagged: labels that end a run of {rule}, too fast to read. "
            "A gap spans sources, so the median ignores the source filter; fast labels "
            "follow it."
        ),
    )


def label_mix(f: Figures) -> Panel:
    total = sum(m.labeled for m in f.mix)
    if total:
        given = ", ".join(
            f"{_pct(sum(getattr(m, label) for m in f.mix), total):.0f}% {label.label.lower()}"
            for label, _ in LABELS
        )
        most = max(f.mix, key=lambda m: (m.share("boilerplate"), m.labeled))
        summary = (
            f"Of {_n(total)} labels given in {len(f.mix)} source"
            f"{'s' if len(f.mix) != 1 else ''}: {given}. Most boilerplate: "
            f"{most.source or '(no source)'} ({most.share('boilerplate'):.0f}%)."
        )
    else:
        summary = "No labels given in this period."
    return Panel(
        slug="label-mix",
        title="Label mix per source",
        summary=summary,
        headers=[
            "source",
            "verified",
            "unverified",
            "boilerplate",
            "labeled",
            "verified_percent",
            "unverified_percent",
            "boilerplate_percent",
        ],
        rows=[
            [
                m.source,
                m.verified,
                m.unverified,
                m.boilerplate,
                m.labeled,
                *(_pct(getattr(m, label), m.labeled) for label, _ in LABELS),
            ]
            for m in f.mix
        ],
        bars=[
            Row(
                m.source or "(no source)",
                charts.bar(
                    [(css, getattr(m, label)) for label, css in LABELS],
                    scale=m.labeled,
                ),
                " · ".join(
                    f"{m.share(label):.0f}% {label.label[0]}" for label, _ in LABELS
                ),
            )
            for m in f.mix[:BAR_ROWS]
        ],
        legend=[(label.label, css) for label, css in LABELS],
        note="The labels given in the period (the latest label of a paragraph and every "
        "earlier one); the chart shows the "
        f"{BAR_ROWS} sources with most labels, the table all.",
    )


def boilerplate_share(f: Figures) -> Panel:
    lines = f.share_sources
    parts = []
    for source in lines:
        points = [p for p in f.shares[source] if p.share is not None]
        parts.append(
            f"{source or '(no source)'} from {points[0].share:.0f}% to "
            f"{points[-1].share:.0f}%"
        )
    summary = (
        "Boilerplate share of each day's labels: " + "; ".join(parts) + "."
        if parts
        else "No labels given in this period."
    )
    return Panel(
        slug="boilerplate-share",
        title="Boilerplate share per source over time",
        summary=summary,
        headers=["day", "source", "boilerplate", "labeled", "boilerplate_percent"],
        rows=[
            _share_row(source, p)
            for source in f.shares
            for p in f.shares[source]
            if p.labeled
        ],
        table=[
            _share_row(source, p)
            for source in lines
            for p in f.shares[source]
            if p.labeled
        ],
        svg=charts.day_lines(
            "summary-boilerplate-share",
            f.scope.days,
            [
                (
                    source or "(no source)",
                    f"ln-{i}",
                    [p.share for p in f.shares[source]],
                )
                for i, source in enumerate(lines)
            ],
        ),
        legend=[(source or "(no source)", f"ln-{i}") for i, source in enumerate(lines)],
        note=f"The {len(lines)} sources with most labels in the period; a gap is a day "
        "without labels. The table has the sources drawn, the CSV every source.",
    )


def _share_row(source: str, point) -> list:
    return [
        point.day.isoformat(),
        source,
        point.boilerplate,
        point.labeled,
        _pct(point.boilerplate, point.labeled),
    ]


BUILDERS: dict[str, Callable[[Figures], Panel]] = {
    "backlog": backlog,
    "throughput": throughput,
    "finished": finished,
    "reviewers": reviewers,
    "pace": pace,
    "label-mix": label_mix,
    "boilerplate-share": boilerplate_share,
}


def panels(f: Figures) -> list[Panel]:
    return [build(f) for build in BUILDERS.values()]
