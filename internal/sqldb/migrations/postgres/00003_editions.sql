-- +goose Up
CREATE TABLE editions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    newsletter_id BIGINT NOT NULL REFERENCES newsletters (id),
    edition_date  TEXT NOT NULL, -- YYYY-MM-DD in the newsletter's zone
    subject       TEXT NOT NULL,
    preheader     TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL, -- JSON: the opening and the items
    status        TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
    scheduled_at  TIMESTAMPTZ,
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (newsletter_id, edition_date)
);
CREATE INDEX editions_status ON editions (status, scheduled_at);

-- The send ledger (DESIGN.md invariant 1): one row per recipient, written
-- in bulk before the first message goes out.
CREATE TABLE sends (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    edition_id      BIGINT NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id   BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'accepted', 'deferred', 'failed', 'suppressed', 'unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    leased_by       TEXT NOT NULL DEFAULT '',
    reply           TEXT NOT NULL DEFAULT '',
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (edition_id, subscriber_id)
);
CREATE INDEX sends_claim ON sends (edition_id, status, next_attempt_at);
CREATE INDEX sends_recent ON sends (edition_id, updated_at);

-- +goose Down
DROP TABLE sends;
DROP TABLE editions;
