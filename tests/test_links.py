from django.urls import reverse

from articles.links import url_templates


def test_article_urls_are_the_reversed_ones():
    templates = url_templates()
    assert templates["detail"].replace("{article}", "42") == reverse(
        "articles:detail", args=[42]
    )
    assert templates["label"].replace("{article}", "7").replace(
        "{position}", "3"
    ) == reverse("articles:label", args=[7, 3])
