"""The dashboard's panels in page order (a builder per chart: Figures in, Panel out).

A new panel adds a builder here; the page, the CSV route (/dashboard/<slug>.csv) and the tests
walk this list.
"""

from collections.abc import Callable

from articles.dashboard import desk, people, sources
from articles.dashboard.figures import Figures
from articles.dashboard.panel import Panel

BUILDERS: dict[str, Callable[[Figures], Panel]] = {
    "backlog": desk.backlog,
    "throughput": desk.throughput,
    "finished": desk.finished,
    "reviewers": people.reviewers,
    "pace": people.pace,
    "agreement": people.agreement,
    "label-mix": sources.label_mix,
    "boilerplate-share": sources.boilerplate_share,
}


def panels(f: Figures) -> list[Panel]:
    return [build(f) for build in BUILDERS.values()]
