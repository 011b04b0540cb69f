-- +goose Up
-- Subscriber imports started in the admin, with their progress and, once
-- done, their report (JSON), so that any web node can show them.
CREATE TABLE subscriber_imports (
    id         TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX subscriber_imports_age ON subscriber_imports (updated_at);

-- +goose Down
DROP TABLE subscriber_imports;
