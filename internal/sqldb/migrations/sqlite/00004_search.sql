-- +goose Up
-- Full-text search over stories: an FTS5 table whose rowid is the story's
-- id, holding its headline, body and authors' names. It keeps its own copy
-- of the text so that snippet() can quote it. Triggers keep it in step
-- with stories, story_authors and authors, whatever code writes them.
CREATE VIRTUAL TABLE story_search USING fts5(
    headline, body, authors,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER stories_search_insert AFTER INSERT ON stories BEGIN
    INSERT INTO story_search (rowid, headline, body, authors)
    VALUES (new.id, new.headline, new.body,
        (SELECT COALESCE(group_concat(a.name, ' '), '') FROM story_authors sa
            JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = new.id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stories_search_update AFTER UPDATE OF headline, body ON stories BEGIN
    UPDATE story_search SET headline = new.headline, body = new.body WHERE rowid = new.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stories_search_delete AFTER DELETE ON stories BEGIN
    DELETE FROM story_search WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER story_authors_search_insert AFTER INSERT ON story_authors BEGIN
    UPDATE story_search SET authors = (SELECT COALESCE(group_concat(a.name, ' '), '') FROM story_authors sa
        JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = new.story_id)
    WHERE rowid = new.story_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER story_authors_search_delete AFTER DELETE ON story_authors BEGIN
    UPDATE story_search SET authors = (SELECT COALESCE(group_concat(a.name, ' '), '') FROM story_authors sa
        JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = old.story_id)
    WHERE rowid = old.story_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER authors_search_rename AFTER UPDATE OF name ON authors BEGIN
    UPDATE story_search SET authors = (SELECT COALESCE(group_concat(a.name, ' '), '') FROM story_authors sa
        JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = story_search.rowid)
    WHERE rowid IN (SELECT story_id FROM story_authors WHERE author_id = new.id);
END;
-- +goose StatementEnd

INSERT INTO story_search (rowid, headline, body, authors)
SELECT s.id, s.headline, s.body,
    (SELECT COALESCE(group_concat(a.name, ' '), '') FROM story_authors sa
        JOIN authors a ON a.id = sa.author_id WHERE sa.story_id = s.id)
FROM stories s;

-- +goose Down
DROP TRIGGER authors_search_rename;
DROP TRIGGER story_authors_search_delete;
DROP TRIGGER story_authors_search_insert;
DROP TRIGGER stories_search_delete;
DROP TRIGGER stories_search_update;
DROP TRIGGER stories_search_insert;
DROP TABLE story_search;
