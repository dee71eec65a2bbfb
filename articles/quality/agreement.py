"""Agreement between reviewers, from the stored opinions: per pair, per source, for the team.

Input is the agreement tally (AgreementTally, kept current when a second review is submitted):
a 3 by 3 table of (first label, second label) counts per source and pair of people. Every
figure below follows from such a table (FORMULAS, shown on the page, says the same):

- percent agreement p_o = sum_c n_cc / n;
- Cohen's kappa (a pair) = (p_o - p_e) / (1 - p_e), p_e = sum_c (row_c / n) * (col_c / n);
- Krippendorff's alpha (nominal; a source, the team)
  = 1 - (N - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c * n_k, with the coincidence matrix
  o = table + its transpose (two values per paragraph), n_c its row sums and N = 2n its total.

kappa or alpha is None ("undefined") when its denominator is 0: one and the same label only.
The tests check these against scikit-learn's cohen_kappa_score and the krippendorff package.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Sum

from articles.models import AgreementTally, Label

LABELS = tuple(Label.values)
FORMULAS = {
    "percent": "p_o = agreeing paragraphs / paragraphs compared",
    "kappa": "κ = (p_o − p_e) / (1 − p_e), p_e = Σ_c (row_c/n)·(col_c/n)",  # noqa: RUF001
    "alpha": "α = 1 − (N − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, o = table + tableᵀ, N = 2n",  # noqa: RUF001
}

Cells = dict[tuple[str, str], int]


def percent_agreement(cells: Cells) -> float | None:
    n = sum(cells.values())
    if not n:
        return None
    return 100 * sum(cells.get((c, c), 0) for c in LABELS) / n


def cohen_kappa(cells: Cells) -> float | None:
    """Cohen's κ of the two raters whose labels are the table's rows and columns."""
    n = sum(cells.values())
    if not n:
        return None
    observed = sum(cells.get((c, c), 0) for c in LABELS) / n
    expected = sum(
        sum(cells.get((c, k), 0) for k in LABELS)
        * sum(cells.get((k, c), 0) for k in LABELS)
        for c in LABELS
    ) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(cells: Cells) -> float | None:
    """Krippendorff's alpha (nominal) of paragraphs with two labels each, by whomever."""
    coincidences = {
        (c, k): cells.get((c, k), 0) + cells.get((k, c), 0)
        for c in LABELS
        for k in LABELS
    }
    totals = {c: sum(coincidences[(c, k)] for k in LABELS) for c in LABELS}
    values = sum(totals.values())
    disagreeing = sum(coincidences[(c, k)] for c in LABELS for k in LABELS if c != k)
    chance = sum(totals[c] * totals[k] for c in LABELS for k in LABELS if c != k)
    if values < 2 or not chance:
        return None
    return 1 - (values - 1) * disagreeing / chance


@dataclass
class Agreement:
    """One row of the agreement page: a pair, a source or the team, and its table."""

    kind: str  # "pair", "source" or "team"
    name: str
    rows: str  # whose labels the table's rows are
    columns: str
    cells: Cells = field(default_factory=dict)

    def add(self, first: str, second: str, n: int) -> None:
        """Count n more paragraphs; only while the report is built, before any figure is read
        (the figures are computed once, on first use)."""
        self.cells[(first, second)] = self.cells.get((first, second), 0) + n

    @cached_property
    def compared(self) -> int:
        return sum(self.cells.values())

    @cached_property
    def agreed(self) -> int:
        return sum(self.cells.get((c, c), 0) for c in LABELS)

    @cached_property
    def enough(self) -> bool:
        return self.compared >= settings.NEWSREVIEW_AGREEMENT_MIN_PARAGRAPHS

    @cached_property
    def percent(self) -> float | None:
        return percent_agreement(self.cells)

    @cached_property
    def kappa(self) -> float | None:
        return cohen_kappa(self.cells) if self.kind == "pair" else None

    @cached_property
    def alpha(self) -> float | None:
        return krippendorff_alpha(self.cells)

    @cached_property
    def table(self) -> list[tuple[str, list[int]]]:
        """The 3 by 3 table: (row label, [count per column label])."""
        return [
            (row, [self.cells.get((row, column), 0) for column in LABELS])
            for row in LABELS
        ]


@dataclass
class Report:
    team: Agreement
    pairs: list[Agreement]
    sources: list[Agreement]
    minimum: int

    def find(self, key: str) -> Agreement | None:
        """The pair or source named by `key` ("pair:NAME" or "source:NAME"), if any."""
        kind, _, name = key.partition(":")
        rows = {"pair": self.pairs, "source": self.sources}.get(kind, [])
        return next((row for row in rows if row.name == name), None)


def agreement_report() -> Report:
    """Every agreement figure, from the tally in TWO grouped queries: per pair of people and
    per source (the team is the sum of the sources). Grouped in the database, the rows read
    are pairs x 9 + sources x 9, whatever the number of sources each pair shares."""
    team = Agreement("team", "Team", "First opinion", "Second opinion")
    pairs: dict[tuple[str, str], Agreement] = {}
    sources: dict[str, Agreement] = {}
    tally = AgreementTally.objects.filter(paragraphs__gt=0).order_by()
    by_source = tally.values_list("source", "first_label", "second_label").annotate(
        n=Sum("paragraphs")
    )
    for source, first, second, n in by_source:
        team.add(first, second, n)
        if source not in sources:
            sources[source] = Agreement(
                "source", source or "(no source)", "First opinion", "Second opinion"
            )
        sources[source].add(first, second, n)
    by_pair = tally.values_list(
        "first_user__username", "second_user__username", "first_label", "second_label"
    ).annotate(n=Sum("paragraphs"))
    for first_user, second_user, first, second, n in by_pair:
        # A pair is the same two people whoever went first; rows are the one named first.
        a, b = sorted(
            (first_user, second_user), key=lambda name: (name.casefold(), name)
        )
        if (a, b) not in pairs:
            pairs[(a, b)] = Agreement("pair", f"{a} & {b}", a, b)
        if first_user == a:
            pairs[(a, b)].add(first, second, n)
        else:
            pairs[(a, b)].add(second, first, n)
    return Report(
        team=team,
        pairs=[pairs[key] for key in sorted(pairs)],
        sources=[sources[key] for key in sorted(sources)],
        minimum=settings.NEWSREVIEW_AGREEMENT_MIN_PARAGRAPHS,
    )


CSV_COLUMNS = (
    "kind",
    "name",
    "rows_are",
    "columns_are",
    "paragraphs_compared",
    "agreed",
    "percent_agreement",
    "cohens_kappa",
    "krippendorffs_alpha",
    "enough_data",
    *(f"{row}_{column}" for row in LABELS for column in LABELS),
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def csv_rows(report: Report) -> list[list[str]]:
    """The report as CSV rows (CSV_COLUMNS): team, then pairs, then sources. The figures are
    there below the minimum too, with enough_data "no", for whoever wants to see them."""
    rows = []
    for agreement in [report.team, *report.pairs, *report.sources]:
        rows.append(
            [
                agreement.kind,
                agreement.name,
                agreement.rows,
                agreement.columns,
                str(agreement.compared),
                str(agreement.agreed),
                _number(agreement.percent),
                _number(agreement.kappa),
                _number(agreement.alpha),
                "yes" if agreement.enough else "no",
                *(str(n) for _, counts in agreement.table for n in counts),
            ]
        )
    return rows
