"""The agreement page's lines, one per pair or source, built with format_html() rather than by
the template engine: with 50 reviewers (1,225 pairs) the template loop was two thirds of the
page's time (cProfile). Every value is escaped by format_html(); names come from users and
imports."""

from urllib.parse import quote

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.quality.agreement import Agreement

_ROW = (
    '<tr><th scope="row"><a href="{url}?show={kind}:{key}#agreement-shown">{name}</a></th>'
    "<td>{compared}</td>{figures}</tr>\n"
)


def _figure(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def _figures(agreement: Agreement, *, pair: bool, minimum: int) -> SafeString:
    if not agreement.enough:
        return format_html(
            '<td colspan="{}" class="agreement-not-enough">Not enough data '
            "({} of the {} paragraphs needed)</td>",
            3 if pair else 2,
            agreement.compared,
            minimum,
        )
    cells = [f"{agreement.percent:.1f}%"]
    if pair:
        cells.append(_figure(agreement.kappa))
    cells.append(_figure(agreement.alpha))
    return format_html_join("", "<td>{}</td>", ((cell,) for cell in cells))


def agreement_rows(
    agreements: list[Agreement], *, kind: str, url: str, minimum: int
) -> SafeString:
    """The `<tr>`s of one agreement table (kind "pair" or "source")."""
    pair = kind == "pair"
    return SafeString(
        "".join(
            format_html(
                _ROW,
                url=url,
                kind=kind,
                key=quote(agreement.name, safe=""),
                name=agreement.name,
                compared=agreement.compared,
                figures=_figures(agreement, pair=pair, minimum=minimum),
            )
            for agreement in agreements
        )
    )
