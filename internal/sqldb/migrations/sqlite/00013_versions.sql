-- +goose Up
-- Every save of a story, an edition, a newsletter, an author, a section,
-- a topic or a city raises its version;
-- a save made from an older version is refused (ESTALE), so no one
-- overwrites a colleague's work without seeing it. (The site's settings
-- keep their version in their JSON.)
ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE editions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE newsletters ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE authors ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sections ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE topics ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cities ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE cities DROP COLUMN version;
ALTER TABLE topics DROP COLUMN version;
ALTER TABLE sections DROP COLUMN version;
ALTER TABLE authors DROP COLUMN version;
ALTER TABLE newsletters DROP COLUMN version;
ALTER TABLE editions DROP COLUMN version;
ALTER TABLE stories DROP COLUMN version;
