"""Broken and hostile files: each is refused with one clear line, imports nothing, and never
stops the batch. The same tests run on SQLite and PostgreSQL."""

import io
import json
import time
import tracemalloc
import zipfile

import pytest
from bs4 import BeautifulSoup

from articles.imports.importers import import_paths
from articles.models import Article, ImportRun, Paragraph

pytestmark = pytest.mark.django_db

GOOD = repr(["A good article that always imports."])


def import_one(tmp_path, name, content, *, member=""):
    """Import a bad file beside a good one; return the bad file's reason."""
    (tmp_path / "good.txt").write_text(GOOD)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = import_paths([tmp_path])
    assert result.created == 1, result.errors
    assert list(Article.objects.values_list("external_id", flat=True)) == ["good"]
    assert result.failed == 1
    [error] = ImportRun.objects.get().errors
    assert error["file"] == str(path) + member
    return error["reason"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "['truncated', 'lit",
            "invalid syntax at line 1 (unterminated string literal (detected at line 1))",
        ),
        ("['truncated',\n 'list'", "invalid syntax at line 1 ('[' was never closed)"),
        ("{'a': 'dict'}", "not a list of strings (it holds an object)"),
        ("'just a string'", "not a list of strings (it holds text)"),
        (
            "__import__('os').system('touch /tmp/pwned')",
            "not a list of strings (it holds code or values other than quoted text)",
        ),
        (
            "['a'] + ['b']",
            "not a list of strings (it holds code or values other than quoted text)",
        ),
        ("[['nested'], 'list']", "not a list of strings (item 1 is a list)"),
        ("['text', 42]", "not a list of strings (item 2 is a number)"),
        ("['text', b'bytes']", "not a list of strings (item 2 is a bytes)"),
        ("", "empty file"),
        ("  \n\t ", "empty file"),
        ("[]", "no paragraphs with text"),
        ("['<p> </p>', '<script>x</script>']", "no paragraphs with text"),
        ("[" * 100_000, "nested more than 50 levels deep"),
        ("[" * 40 + "]" * 40, "not a list of strings (item 1 is a list)"),
        (
            "[1" + "0" * 100_000 + "]",
            "not a list of strings (it holds a number too large to read)",
        ),
    ],
)
def test_bad_literal_files_are_refused(tmp_path, content, reason):
    assert import_one(tmp_path, "bad.txt", content) == reason


def test_code_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    import_one(tmp_path, "bad.txt", f"__import__('os').system('touch {marker}')")
    assert not marker.exists()


def test_binary_and_non_utf8_files_are_refused(tmp_path):
    assert import_one(tmp_path, "png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == (
        "binary file, not text (it contains NUL bytes)"
    )


def test_non_utf8_text_is_refused(tmp_path):
    assert import_one(tmp_path, "latin1.txt", "['café']".encode("latin-1")) == (
        "not UTF-8 text (byte 0xe9 at position 5)"
    )


def test_oversize_file_is_refused_before_reading(tmp_path, settings):
    settings.NEWSREVIEW_MAX_FILE_BYTES = 1000
    content = repr(["x" * 2000])
    assert (
        import_one(tmp_path, "big.txt", content)
        == "file is 2.0 KB, more than the limit of 1000 bytes"
    )


def test_too_many_paragraphs_are_refused(tmp_path, settings):
    settings.NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE = 10
    assert (
        import_one(tmp_path, "long.txt", repr(["p"] * 11))
        == "11 paragraphs, more than the limit of 10"
    )


def import_measured(tmp_path, name, content, *, member=""):
    """import_one(), with its peak traced memory (bytes) and its time (seconds)."""
    tracemalloc.start()
    try:
        started = time.perf_counter()
        reason = import_one(tmp_path, name, content, member=member)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return reason, peak, elapsed


def test_list_literal_bomb_is_refused_before_it_is_parsed(tmp_path):
    # 300,000 empty strings in 900 KB (3 KB zipped): ast.literal_eval built ~1 KB per item,
    # ~300 MB and seconds, before the paragraph limit was checked (issue 18, finding 1; the
    # 20 MB version took 6-13 GB).
    bomb = "[" + "''," * 300_000 + "]"
    reason, peak, elapsed = import_measured(
        tmp_path, "bomb.zip", zip_bytes({"bomb.txt": bomb}), member=":bomb.txt"
    )
    assert reason == "more than 5,000 paragraphs (the limit per article)"
    assert peak < 20_000_000, f"{peak:,} bytes"
    assert elapsed < 2


def test_literal_just_past_the_paragraph_limit_gets_the_exact_count(tmp_path, settings):
    settings.NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE = 10
    assert import_one(tmp_path, "long.txt", repr(["p"] * 15)) == (
        "15 paragraphs, more than the limit of 10"
    )


def test_literal_of_many_strings_gets_the_limit(tmp_path, settings):
    settings.NEWSREVIEW_MAX_PARAGRAPHS_PER_ARTICLE = 10
    assert import_one(tmp_path, "longer.txt", "[" + "'p', " * 22 + "]") == (
        "more than 10 paragraphs (the limit per article)"
    )


@pytest.mark.parametrize(
    "content",
    [
        "[" + "1+" * 100_000 + "1]",  # one item, 200,000 values
        "[" + "0," * 100_000 + "]",
        "# '''\n[" + "'',\n" * 100_000 + "]",  # a comment does not hide the rest
        "['''" + "'',\n" * 100_000,  # nor does an unterminated string
    ],
)
def test_literal_of_many_values_of_any_kind_is_refused_before_it_is_parsed(
    tmp_path, content
):
    reason, peak, _ = import_measured(tmp_path, "bomb.txt", content)
    assert reason == "more than 5,000 paragraphs (the limit per article)"
    assert peak < 20_000_000, f"{peak:,} bytes"


def test_json_of_many_tiny_values_is_refused_before_it_is_parsed(tmp_path, settings):
    # json.loads makes ~64 bytes of every 3-byte `{},` (~450 MB for a 20 MB file) and the
    # records each become a refusal; the scan counts them first.
    settings.NEWSREVIEW_MAX_JSON_VALUES = 10_000
    bomb = "[" + ",".join(["{}"] * 300_000) + "]"
    reason, peak, _ = import_measured(tmp_path, "bomb.json", bomb)
    assert reason == (
        "more than 10,000 values (texts, numbers, lists, objects), the limit per file"
    )
    assert peak < 10_000_000, f"{peak:,} bytes"


def test_jsonl_line_of_many_values_is_refused(tmp_path, settings):
    settings.NEWSREVIEW_MAX_JSON_VALUES = 10_000
    line = json.dumps({"paragraphs": [""] * 20_000})
    assert import_one(tmp_path, "lines.jsonl", line + "\n") == (
        "line 1: more than 10,000 values (texts, numbers, lists, objects), "
        "the limit per line"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '{"paragraphs": "not a list"}',
            "paragraphs must be a list of strings (it holds text)",
        ),
        ('{"title": "No paragraphs"}', "no paragraphs"),
        ('{"id": ["x"], "paragraphs": ["P"]}', "id must be text, not a list"),
        (
            '{"paragraphs": ["P"], "url": "javascript:alert(1)"}',
            "url must be an http or https address",
        ),
        (
            '{"paragraphs": ["P"], "url": "https://x.example/' + "a" * 2000 + '"}',
            "url is longer than 2,000 characters",
        ),
        (
            '{"id": "' + "i" * 256 + '", "paragraphs": ["P"]}',
            "id is longer than 255 characters",
        ),
        (
            "[1, 2]",
            "not a list of strings, an article object or a list of article objects",
        ),
        (
            '{"paragraphs": ["P"]',
            "invalid JSON at line 1 column 21 (Expecting ',' delimiter)",
        ),
        ("[" * 100_000, "nested more than 50 levels deep"),
        ("[1" + "0" * 100_000 + "]", "invalid JSON (a number too large to read)"),
    ],
)
def test_bad_json_files_are_refused(tmp_path, content, reason):
    assert import_one(tmp_path, "bad.json", content) == reason


def test_unsupported_file_given_by_name_is_refused(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<p>hi</p>")
    result = import_paths([path, tmp_path / "missing.txt"])
    assert [e["reason"] for e in result.errors] == [
        "unsupported file type '.html' (expected .txt, .json, .jsonl or .zip)",
        "no such file or directory",
    ]


def test_control_characters_surrogates_and_bom_are_cleaned(tmp_path):
    content = "\ufeff" + repr(
        ["Nul\x00 bell\x07 esc\x1b lone \ud800 pair \ud83d\ude00", "\x00\x01"]
    )
    path = tmp_path / "dirty.txt"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    result = import_paths([path])
    assert result.created == 1, result.errors
    assert result.empty_paragraphs_dropped == 1
    paragraph = Paragraph.objects.get()
    assert paragraph.text == "Nul bell esc lone \ufffd pair 😀"
    assert "\x00" not in paragraph.html


def test_template_syntax_is_stored_as_text(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(repr(["{{ 7*7 }} and {% debug %}"]))
    import_paths([path])
    assert Paragraph.objects.get().text == "{{ 7*7 }} and {% debug %}"


def test_xss_payloads_leave_only_allowed_tags_and_safe_links(tmp_path, corpus):
    payloads = (corpus / "payloads" / "xss-IntrudersXSS.txt").read_text().splitlines()
    path = tmp_path / "xss.json"
    path.write_text(json.dumps(payloads))
    result = import_paths([path])
    assert result.created == 1, result.errors
    html = "".join(Paragraph.objects.values_list("html", flat=True))
    soup = BeautifulSoup(html, "html.parser")
    assert {tag.name for tag in soup.find_all(True)} <= {
        "a",
        "b",
        "i",
        "em",
        "strong",
        "br",
    }
    for tag in soup.find_all(True):
        assert set(tag.attrs) <= ({"href", "rel"} if tag.name == "a" else set())
        href = tag.get("href", "https://")
        assert href.split(":", 1)[0] in {"http", "https", "mailto"}, href


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_with_too_many_members_is_refused(tmp_path, settings):
    settings.NEWSREVIEW_MAX_ZIP_MEMBERS = 3
    data = zip_bytes({f"{i}.txt": repr([str(i)]) for i in range(4)})
    assert (
        import_one(tmp_path, "many.zip", data)
        == "zip has 4 members, more than the limit of 3"
    )


def test_zip_bomb_is_refused_by_its_declared_size(tmp_path, settings):
    settings.NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES = 1024 * 1024
    data = zip_bytes({"bomb.txt": b"[" + b" " * (2 * 1024 * 1024) + b"]"})
    assert len(data) < 10_000
    assert import_one(tmp_path, "bomb.zip", data) == (
        "zip would unpack to 2.0 MB, more than the limit of 1.0 MB"
    )


def test_zip_that_lies_about_its_sizes_is_stopped_while_reading(tmp_path, settings):
    settings.NEWSREVIEW_MAX_ZIP_UNCOMPRESSED_BYTES = 100_000
    data = zip_bytes({"bomb.txt": repr(["x" * 500_000])})
    size = zipfile.ZipFile(io.BytesIO(data)).getinfo("bomb.txt").file_size
    real, fake = size.to_bytes(4, "little"), (10).to_bytes(4, "little")
    # Make both headers claim 10 bytes: the sum of declared sizes then passes the first check.
    assert data.count(real) == 2
    data = data.replace(real, fake)
    reason = import_one(tmp_path, "liar.zip", data, member=":bomb.txt")
    assert reason == "damaged zip member (Bad CRC-32 for file 'bomb.txt')"


def test_zip_members_with_unsafe_paths_are_refused(tmp_path):
    data = zip_bytes({"../escape.txt": GOOD, "/abs.txt": GOOD})
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "evil.zip").write_bytes(data)
    result = import_paths([tmp_path])
    assert result.created == 1
    assert (
        sorted(e["reason"] for e in result.errors)
        == ["unsafe path in zip (absolute or containing '..'); skipped"] * 2
    )
    assert not (tmp_path.parent / "escape.txt").exists()


def test_not_a_zip_and_zip_in_zip_are_refused(tmp_path):
    (tmp_path / "fake.zip").write_bytes(b"PK but not really")
    (tmp_path / "nested.zip").write_bytes(
        zip_bytes({"inner.zip": zip_bytes({"a.txt": GOOD})})
    )
    result = import_paths([tmp_path])
    assert [e["reason"] for e in result.errors] == [
        "not a valid zip archive",
        "zip inside a zip is not imported; unpack it first",
    ]
    assert Article.objects.count() == 0


def test_jsonl_line_over_the_limit_is_refused_and_the_rest_imports(tmp_path, settings):
    settings.NEWSREVIEW_MAX_FILE_BYTES = 200
    lines = [
        json.dumps({"id": "1", "paragraphs": ["One"]}),
        json.dumps({"id": "2", "paragraphs": ["x" * 500]}),
        json.dumps({"id": "3", "paragraphs": ["Three"]}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines))
    result = import_paths([path])
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["1", "3"]
    assert [e["reason"] for e in result.errors] == [
        "line 2: line is larger than the limit of 200 bytes"
    ]


def test_the_same_dirty_file_imports_identically_on_any_database(tmp_path):
    # Run on SQLite and on PostgreSQL (DATABASE_URL): PostgreSQL refuses NUL bytes and lone
    # surrogates outright, so this passing there proves they were cleaned.
    path = tmp_path / "dirty.json"
    path.write_text(
        json.dumps(
            {
                "id": "d\u0000i",
                "title": "T\u0000\ud800",
                "paragraphs": ["a\u0000b", "\ud83d\ude00 \udc00"],
            }
        )
    )
    result = import_paths([path])
    assert result.created == 1, result.errors
    article = Article.objects.get()
    assert (article.external_id, article.title) == ("di", "T\ufffd")
    assert list(article.paragraphs.values_list("text", flat=True)) == [
        "ab",
        "😀 \ufffd",
    ]
