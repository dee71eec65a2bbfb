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


def test_link_is_reverse_remembered_per_script_prefix():
    from django.urls import set_script_prefix

    from articles import links

    assert links.url("articles:detail", 7) == reverse("articles:detail", args=[7])
    assert links.url("articles:queue") == "/"
    try:
        set_script_prefix("/desk/")
        # A deployment under a sub-path: the remembered URL is per prefix, not the first one.
        assert links.url("articles:detail", 7) == "/desk/articles/7/"
        assert links.url("articles:queue") == "/desk/"
    finally:
        set_script_prefix("/")
    assert links.url("articles:detail", 7) == "/articles/7/"
