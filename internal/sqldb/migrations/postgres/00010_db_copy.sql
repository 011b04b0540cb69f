-- +goose Up
-- The one row herald db copy keeps in the database it fills: a copy that
-- has started and not finished may continue; a finished one is only
-- verified again; a database without the row that holds data is refused.
CREATE TABLE db_copy (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE db_copy;
