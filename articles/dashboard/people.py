"""The reviewers side by side: throughput and pace."""

from articles.dashboard import charts
from articles.dashboard.figures import Figures
from articles.dashboard.panel import (
    Panel,
    Row,
    articles_text,
    count_text,
)


def reviewers(f: Figures) -> Panel:
    people = [p for p in f.reviewers if p.labeled or p.finished]
    top = max((p.labeled for p in people), default=0)
    if people:
        lead = people[0]
        summary = (
            f"{len(people)} reviewer{'s' if len(people) != 1 else ''} labeled paragraphs; "
            f"most: {lead.name} with {count_text(lead.labeled)} paragraphs and "
            f"{articles_text(lead.finished)} finished."
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
                f"{count_text(p.labeled)} ¶, {articles_text(p.finished)}",
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
            f"{p.name} {count_text(p.fast)} labels" for p in flagged
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
                f"{p.median} per ¶ ({count_text(p.median.timed)} timed)"
                if p.median
                else "not timed",
                flag=f"{count_text(p.fast)} fast" if p.fast else "",
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


def agreement(f: Figures) -> Panel:
    """Per reviewer, how often a second opinion agreed with theirs (articles.quality)."""
    people = f.agreement
    if people:
        summary = (
            "Agreement with the other opinion in submitted second reviews: "
            + ", ".join(
                f"{p.name} {p.percent:.0f}% of {count_text(p.compared)} paragraphs"
                for p in people
            )
        )
        summary += "."
    else:
        summary = "No submitted second review compared paragraphs in these filters."
    return Panel(
        slug="agreement",
        title="Agreement per reviewer",
        summary=summary,
        headers=["reviewer", "paragraphs_compared", "agreed", "percent_agreement"],
        rows=[[p.name, p.compared, p.agreed, f"{p.percent:.1f}"] for p in people],
        bars=[
            Row(
                p.name,
                charts.bar(
                    [("agree", p.agreed), ("disagree", p.compared - p.agreed)],
                    scale=max(p.compared, 1),
                ),
                f"{p.percent:.0f}% of {count_text(p.compared)} ¶",
            )
            for p in people
        ],
        legend=[("Agreed", "agree"), ("Disagreed", "disagree")],
        note=(
            "From submitted second reviews, as first or second reviewer, whenever they were "
            "submitted (the date range does not apply); one source when one is chosen. "
            "Cohen's kappa per pair and Krippendorff's alpha are on the Agreement page."
        ),
    )
