import datetime

import pytest
from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from articles import markup

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
    ours = markup.format_html(
        "<p title='{0}'>{0}</p>{1}{named}", value, value, named=value
    )
    assert ours == django_html.format_html(
        "<p title='{0}'>{0}</p>{1}{named}", value, value, named=value
    )
    assert hasattr(ours, "__html__")


def test_format_html_join_escapes_every_value_and_the_separator_as_djangos_does():
    rows = [(value, "<i>") for value in VALUES]
    for separator in ("", " & ", mark_safe("<br>")):
        ours = markup.format_html_join(separator, "<td>{}</td><td>{}</td>", rows)
        assert ours == django_html.format_html_join(
            separator, "<td>{}</td><td>{}</td>", rows
        )
        assert hasattr(ours, "__html__")


def test_article_urls_are_the_reversed_ones():
    from django.urls import reverse

    templates = markup.url_templates()
    assert templates["detail"].replace("{article}", "42") == reverse(
        "articles:detail", args=[42]
    )
    assert templates["label"].replace("{article}", "7").replace(
        "{position}", "3"
    ) == reverse("articles:label", args=[7, 3])
