import datetime

import pytest
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.rendering import _format_html

VALUES = [
    "plain",
    "<script>alert('x')</script> & \"quoted\"",
    "{braces} stay",
    mark_safe("<b>already safe</b>"),
    0,
    1234,
    None,
    3.5,
    datetime.date(2026, 1, 2),
    lazy(lambda: "<lazy> & 'text'", str)(),
    lazy(lambda: mark_safe("<i>lazy safe</i>"), str)(),
]


@pytest.mark.parametrize("value", VALUES)
def test_format_html_escapes_every_value_as_djangos_does(value):
    ours = _format_html("<p title='{0}'>{0}</p>{1}{named}", value, value, named=value)
    assert ours == format_html(
        "<p title='{0}'>{0}</p>{1}{named}", value, value, named=value
    )
    assert hasattr(ours, "__html__")
