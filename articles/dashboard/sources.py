"""The sources: the label mix, and the boilerplate share over time."""

from articles.dashboard import charts
from articles.dashboard.figures import Figures
from articles.dashboard.panel import (
    Panel,
    Row,
    count_text,
    percent,
)
from articles.models import Label

BAR_ROWS = 12  # rows drawn in the per-source mix chart (the table has every source)
LABELS = [
    (Label.VERIFIED, "lb-verified"),
    (Label.UNVERIFIED, "lb-unverified"),
    (Label.BOILERPLATE, "lb-boilerplate"),
]


def label_mix(f: Figures) -> Panel:
    total = sum(m.labeled for m in f.mix)
    if total:
        given = ", ".join(
            f"{percent(sum(getattr(m, label) for m in f.mix), total):.0f}% {label.label.lower()}"
            for label, _ in LABELS
        )
        most = max(f.mix, key=lambda m: (m.share("boilerplate"), m.labeled))
        summary = (
            f"Of {count_text(total)} labels given in {len(f.mix)} source"
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
                *(percent(getattr(m, label), m.labeled) for label, _ in LABELS),
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
        percent(point.boilerplate, point.labeled),
    ]
