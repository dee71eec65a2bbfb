"""Text search on the full-text indexes (articles.search): what it finds, on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from articles import triggers as triggers_sql
from articles.models import Article, Paragraph
from articles.search.queries import search_articles


@pytest.fixture
def three(make_article):
    return {
        "kherson": make_article(
            title="Kherson after the retreat",
            paragraphs=[
                "<b>Investigators documented war crimes in the region.</b>",
                "Jürgen Müller said the figures were provisional.",
            ],
        ),
        "court": make_article(
            title="Inside the court",
            paragraphs=["The court sits in The Hague.", "War is over, crimes remain."],
        ),
        "prices": make_article(
            title="Why prices keep rising", paragraphs=["Inflation peaked at 10.6%."]
        ),
    }


def found(q: str) -> set[str]:
    return {a.title for a in search_articles(Article.objects.all(), q)}


def test_finds_words_in_titles_and_paragraphs_whatever_the_case(three):
    assert found("kherson") == {"Kherson after the retreat"}
    assert found("HAGUE") == {"Inside the court"}
    assert found("jürgen müller") == {"Kherson after the retreat"}
    assert found("inflation") == {"Why prices keep rising"}


def test_words_must_follow_each_other_in_one_paragraph(three):
    assert found("war crimes") == {"Kherson after the retreat"}
    # "War" and "crimes" are both in the court article, but not next to each other.
    assert found("crimes war") == set()
    # Nor does a phrase run from one paragraph into the next ("… The Hague." "War is …").
    assert found("hague war") == set()
    assert found("retreat investigators") == set()  # nor from the title into the text


def test_the_last_word_may_be_the_start_of_a_word(three):
    assert found("war crim") == {"Kherson after the retreat"}
    assert found("provision") == {"Kherson after the retreat"}
    assert found("rov") == set()  # word starts only, not any substring


def test_punctuation_and_query_syntax_are_only_separators(three):
    assert found('war" * "crimes*') == {"Kherson after the retreat"}
    assert found("court: NEAR(the") == set()
    assert found("  Kherson,  ") == {"Kherson after the retreat"}


def test_a_query_without_letters_or_digits_is_a_substring_search(three):
    assert found("%.") == {"Why prices keep rising"}
    assert found("—") == set()


def test_the_index_follows_new_edited_and_deleted_rows(three, make_article):
    make_article(title="Later", paragraphs=["A flood in Gdańsk."])
    assert found("gdańsk") == {"Later"}

    court = three["court"]
    court.title = "Judges in Den Haag"
    court.save()
    assert found("haag") == {"Judges in Den Haag"}
    assert found("inside") == set()

    Paragraph.objects.filter(article=three["kherson"], position=2).update(
        text="Nothing to see."
    )
    assert found("müller") == set()
    assert found("nothing") == {"Kherson after the retreat"}

    three["prices"].delete()
    assert found("inflation") == set()
    Paragraph.objects.filter(article=court, position=1).delete()
    assert found("sits") == set()
    assert found("crimes remain") == {"Judges in Den Haag"}
    if connection.vendor == "sqlite":
        # FTS5 compares its index with the documents the view makes now: a trigger that
        # removed the wrong text would leave entries behind and fail here.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO articles_search_fts(articles_search_fts, rank)"
                " VALUES ('integrity-check', 1)"
            )


def test_search_is_one_query(three, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert found("court") == {"Inside the court"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")
def test_sqlite_keeps_fts5_triggers_and_reads_the_index(three):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_search_%'"
        )
        triggers = {name for (name,) in cursor.fetchall()}
        sql, params = search_articles(
            Article.objects.all(), "court"
        ).query.sql_with_params()
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert triggers == set(triggers_sql.SEARCH_SQLITE)
    assert "VIRTUAL TABLE INDEX" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full text")
def test_postgresql_reads_one_document_per_article_on_its_gin_index(three):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'articles_search_%'"
        )
        triggers = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM articles_search_document")
        (documents,) = cursor.fetchone()
        # Three rows: left to itself the planner would rather read them all.
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"
        )
        sql, params = search_articles(
            Article.objects.all(), "court"
        ).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    created = {
        statement.split()[2]
        for statement in triggers_sql.SEARCH_POSTGRESQL
        if statement.startswith("CREATE TRIGGER")
    }
    assert triggers == created
    assert len(created) == 7
    assert documents == 3
    assert "articles_search_document_gin" in plan, plan

    # Django's flush between transactional tests truncates the articles: the documents go too.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE articles_article CASCADE")
        cursor.execute("SELECT count(*) FROM articles_search_document")
        assert cursor.fetchone() == (0,)


def test_a_very_long_article_imports_and_is_found_by_its_words(make_article):
    # A tsvector holds at most 1 MB and positions up to 16,383: PostgreSQL indexes an
    # article's first DOCUMENT_CHARS characters, SQLite all of it. The import must not fail.
    words = [
        f"w{n}x" for n in range(60_000)
    ]  # 60,000 different words, 420,000 characters
    make_article(
        title="Long read",
        paragraphs=[" ".join(words[i : i + 600]) for i in range(0, 60_000, 600)],
    )
    assert found("w1x") == {"Long read"}
    assert found("w12000x w12001x") == {"Long read"}
    assert found("w12001x w12000x") == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")
def test_triggers_lost_in_a_table_rebuild_come_back_and_the_index_catches_up(
    three, make_article
):
    from articles.triggers import ensure_sqlite_triggers

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER articles_search_paragraph_insert")
    make_article(title="Later", paragraphs=["Written while the trigger was gone."])
    assert found("gone") == set()

    assert ensure_sqlite_triggers(using="default") == [
        "articles_search_paragraph_insert"
    ]
    assert found("gone") == {"Later"}
    make_article(title="After", paragraphs=["Indexed again."])
    assert found("indexed again") == {"After"}
    assert ensure_sqlite_triggers(using="default") == []


def test_imported_paragraphs_are_found_and_bulk_indexing_leaves_the_trigger_on(
    tmp_path, make_article
):
    from articles.imports.importers import import_paths

    (tmp_path / "bbc.co.uk").mkdir()
    (tmp_path / "bbc.co.uk" / "a1.txt").write_text(
        repr(["<b>Lead about Gdańsk.</b>", "Imported paragraph on flood defences."])
    )
    result = import_paths([tmp_path])

    assert result.created == 1
    assert found("flood defences") == {"Lead about Gdańsk."}
    # Rows written after the import, outside it, are still indexed by the trigger.
    make_article(title="By hand", paragraphs=["Flood barriers hold."])
    assert found("flood") == {"Lead about Gdańsk.", "By hand"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL GIN index")
def test_an_import_leaves_no_index_entries_pending(tmp_path, make_article):
    from articles.imports.importers import import_paths
    from articles.search.index import SETTLE

    for n in range(30):
        (tmp_path / f"a{n}.txt").write_text(
            repr([f"Story {n}", "Flood defences held."])
        )
    assert import_paths([tmp_path], source="example.com").created == 30

    with connection.cursor() as cursor:
        cursor.execute(SETTLE)  # pages it had to move: none left by the import
        assert cursor.fetchone() == (0,)
        make_article(title="By hand", paragraphs=["Written outside an import."])
        cursor.execute(SETTLE)  # a row written by hand waits in the pending list
        assert cursor.fetchone()[0] >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL GIN index")
def test_a_database_user_that_may_not_settle_the_index_still_imports(
    db, make_article, caplog
):
    from articles.search.index import settle_index

    make_article(title="Pending", paragraphs=["Waits for autovacuum."])
    with connection.cursor() as cursor:
        # Rolled back with the test: a role that does not own the index.
        cursor.execute("CREATE ROLE newsreview_not_owner")
        cursor.execute("SET LOCAL ROLE newsreview_not_owner")
        settle_index()  # does not raise
        cursor.execute("RESET ROLE")
    assert "Search index not settled" in caplog.text
    assert found("autovacuum") == {"Pending"}
