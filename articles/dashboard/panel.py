"""A dashboard panel: its title, a sentence that says what the chart shows (the screen
reader's summary), the SVG or bar rows, and the table of its numbers. The table's rows are also
the CSV's (articles.dashboard.csv), so the download and the page never disagree. The builders
are in desk.py, people.py and sources.py; articles.dashboard.panels lists them."""

import datetime
from dataclasses import dataclass

from django.utils.safestring import SafeString


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


def count_text(value: int) -> str:
    return f"{value:,}"


def articles_text(number: int) -> str:
    return f"{count_text(number)} article{'' if number == 1 else 's'}"


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def date_text(date: datetime.date) -> str:
    return f"{date:%-d %b %Y}"
