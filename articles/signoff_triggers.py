"""The sign-off withdrawal trigger (articles.quality), beside the others of articles/triggers.py
(which re-exports these names and puts the SQLite one back after every migrate).

When any writer clears an article's standing sign-off (articles_article.signed_off_id, which the
label writers' counts UPDATE clears on every label change), the sign-off's row records when, by
whom (the article's last reviewer, whom that UPDATE just set) and why, unless the writer recorded
a reason itself first (a revision, a return). Migration 0012 carries its own copy of this SQL.
"""

# The reason the triggers write (in their SQL as a literal: constant SQL only).
SIGN_OFF_WITHDRAWN_REASON = "A label changed after the sign-off."
SIGN_OFF_SQLITE = {
    "articles_article_sign_off_withdrawn": """AFTER UPDATE OF signed_off_id ON articles_article
    WHEN old.signed_off_id IS NOT NULL AND new.signed_off_id IS NULL BEGIN
        UPDATE articles_signoff SET
            withdrawn_at = coalesce(new.last_reviewed_at, strftime('%Y-%m-%d %H:%M:%f', 'now')),
            withdrawn_by_id = new.last_reviewed_by_id,
            withdrawn_reason = 'A label changed after the sign-off.'
        WHERE id = old.signed_off_id AND withdrawn_at IS NULL; END""",
}
SIGN_OFF_POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION articles_article_sign_off_withdrawn() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE articles_signoff SET
            withdrawn_at = coalesce(NEW.last_reviewed_at, now()),
            withdrawn_by_id = NEW.last_reviewed_by_id,
            withdrawn_reason = 'A label changed after the sign-off.'
        WHERE id = OLD.signed_off_id AND withdrawn_at IS NULL;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER articles_article_sign_off_withdrawn
    AFTER UPDATE OF signed_off_id ON articles_article FOR EACH ROW
    WHEN (OLD.signed_off_id IS NOT NULL AND NEW.signed_off_id IS NULL)
    EXECUTE FUNCTION articles_article_sign_off_withdrawn()""",
]
SIGN_OFF_POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS articles_article_sign_off_withdrawn ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_sign_off_withdrawn()",
]
