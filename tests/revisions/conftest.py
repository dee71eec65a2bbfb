"""Helpers for the revision tests: import paragraphs as a file, label over HTTP."""

import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from articles.imports.importers import import_paths
from articles.models import Article


def write_article(folder: Path, name: str, paragraphs: list[str]) -> Path:
    """`paragraphs` as the seed's format (a Python list literal) in folder/name."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(repr(paragraphs), encoding="utf-8")
    return path


def zip_of(path: Path, zip_path: Path, *, member: str | None = None) -> Path:
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.write(path, member or path.name)
    return zip_path


@pytest.fixture
def reimport(db, tmp_path):
    """reimport(paragraphs, name="a.txt") -> the ImportResult of importing them as a file."""
    folder = tmp_path / "reimports"
    count = [0]

    def run(paragraphs: list[str], name: str = "a.txt"):
        count[0] += 1
        return import_paths([write_article(folder / str(count[0]), name, paragraphs)])

    return run


def label_over_http(client, article: Article, labels: dict[int, str]) -> None:
    """POST each {position: label} the way the review page does, with the version it shows."""
    for position, label in labels.items():
        paragraph = article.paragraphs.get(position=position)
        response = client.post(
            reverse("articles:label", args=[article.pk, position]),
            {"label": label, "version": paragraph.version, "method": "click"},
        )
        assert response.status_code == 302, response.content
