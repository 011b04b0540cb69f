-- +goose Up
-- Full-text search over stories: one tsvector per story, the headline
-- weighted A, the authors' names B and the body C, in the english
-- configuration. It lives in its own table rather than a column of
-- stories so that stories keeps the same columns on both engines (the
-- SQLite-to-PostgreSQL copy compares them). Triggers keep it in step with
-- stories, story_authors and authors, whatever code writes them.
CREATE TABLE story_search (
    story_id BIGINT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
);
CREATE INDEX story_search_document ON story_search USING GIN (document);

-- +goose StatementBegin
CREATE FUNCTION story_search_refresh(story BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_search (story_id, document)
    SELECT s.id,
        setweight(to_tsvector('english', s.headline), 'A') ||
        setweight(to_tsvector('english', COALESCE((SELECT string_agg(a.name, ' ' ORDER BY sa.position)
            FROM story_authors sa JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = s.id), '')), 'B') ||
        setweight(to_tsvector('english', s.body), 'C')
    FROM stories s WHERE s.id = story
    ON CONFLICT (story_id) DO UPDATE SET document = excluded.document;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION stories_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM story_search_refresh(NEW.id);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION story_authors_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM story_search_refresh(OLD.story_id);
    ELSE
        PERFORM story_search_refresh(NEW.story_id);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION authors_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM story_search_refresh(sa.story_id) FROM story_authors sa WHERE sa.author_id = NEW.id;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER stories_search AFTER INSERT OR UPDATE OF headline, body ON stories
    FOR EACH ROW EXECUTE FUNCTION stories_search_trigger();
CREATE TRIGGER story_authors_search AFTER INSERT OR DELETE ON story_authors
    FOR EACH ROW EXECUTE FUNCTION story_authors_search_trigger();
CREATE TRIGGER authors_search AFTER UPDATE OF name ON authors
    FOR EACH ROW EXECUTE FUNCTION authors_search_trigger();

SELECT story_search_refresh(id) FROM stories;

-- +goose Down
DROP TRIGGER authors_search ON authors;
DROP TRIGGER story_authors_search ON story_authors;
DROP TRIGGER stories_search ON stories;
DROP FUNCTION authors_search_trigger();
DROP FUNCTION story_authors_search_trigger();
DROP FUNCTION stories_search_trigger();
DROP FUNCTION story_search_refresh(BIGINT);
DROP TABLE story_search;
