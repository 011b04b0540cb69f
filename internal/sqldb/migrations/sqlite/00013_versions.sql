-- +goose Up
-- Every save of a story or an edition raises its version; a save made
-- from an older version is refused (ESTALE), so no one overwrites a
-- colleague's work without seeing it.
ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE editions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE editions DROP COLUMN version;
ALTER TABLE stories DROP COLUMN version;
