-- +goose Up
CREATE TABLE editions (
    id            INTEGER PRIMARY KEY,
    newsletter_id INTEGER NOT NULL REFERENCES newsletters (id),
    edition_date  TEXT NOT NULL, -- YYYY-MM-DD in the newsletter's zone
    subject       TEXT NOT NULL,
    preheader     TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL, -- JSON: the opening and the items
    status        TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
    scheduled_at  TIMESTAMP,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (newsletter_id, edition_date)
);
CREATE INDEX editions_status ON editions (status, scheduled_at);

-- The send ledger (DESIGN.md invariant 1): one row per recipient, written
-- in bulk before the first message goes out.
CREATE TABLE sends (
    id              INTEGER PRIMARY KEY,
    edition_id      INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'accepted', 'deferred', 'failed', 'suppressed', 'unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until     TIMESTAMP,
    leased_by       TEXT NOT NULL DEFAULT '',
    reply           TEXT NOT NULL DEFAULT '',
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (edition_id, subscriber_id)
);
CREATE INDEX sends_claim ON sends (edition_id, status, next_attempt_at);
CREATE INDEX sends_recent ON sends (edition_id, updated_at);

-- +goose Down
DROP TABLE sends;
DROP TABLE editions;
