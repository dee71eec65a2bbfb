"""`{% link "articles:detail" article.pk %}`: `{% url %}` for the pages every reviewer loads,
with each reversed URL remembered per process (articles.links.url)."""

from django import template

from articles import links

register = template.Library()


@register.simple_tag
def link(name: str, *args) -> str:
    return links.url(name, *args)
