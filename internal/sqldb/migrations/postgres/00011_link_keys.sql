-- +goose Up
-- A random key per subscriber that every link and return path mailed to
-- them carries (tokens and VERP addresses): erasing the reader destroys it,
-- so an old link names no one. Rows from before this migration keep an
-- empty key, which only the links mailed before it carry. (On SQLite the
-- same step is a Go migration that also adds AUTOINCREMENT; identity
-- columns here never reuse an id.)
ALTER TABLE subscribers ADD COLUMN link_key TEXT NOT NULL DEFAULT '';
ALTER TABLE subscribers ALTER COLUMN link_key SET DEFAULT substr(replace(gen_random_uuid()::text, '-', ''), 1, 10);

-- +goose Down
ALTER TABLE subscribers DROP COLUMN link_key;
