"""A panel's table as a CSV download: the same rows the page shows under the chart."""

from django.http import HttpResponse

from articles.dashboard.filters import Scope
from articles.dashboard.panel import Panel
from articles.exports.csv import text_cell


def _cell(value) -> str:
    if isinstance(value, str):
        return text_cell(value)  # sources and usernames come from outside: defused
    return str(value)


def panel_response(panel: Panel, scope: Scope) -> HttpResponse:
    """RFC 4180 with CRLF, UTF-8 with a BOM (spreadsheets read names right), named after the
    chart and the days it covers."""
    lines = [",".join(panel.headers)]
    lines += [",".join(_cell(value) for value in row) for row in panel.rows]
    response = HttpResponse(
        "\ufeff" + "\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    name = f"dashboard-{panel.slug}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
