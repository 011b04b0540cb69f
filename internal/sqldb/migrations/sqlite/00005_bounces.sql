-- +goose Up
-- Bounces and complaints as they came in: from the bounce receiver, a
-- file, or a provider's webhook. A provider's event is recorded once, so
-- a replayed or retried report changes nothing.
CREATE TABLE bounce_events (
    id            INTEGER PRIMARY KEY,
    provider      TEXT NOT NULL,            -- mail, ses, postmark, mailgun
    event_id      TEXT NOT NULL,            -- the provider's id of the event
    kind          TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'policy', 'complaint', 'unknown')),
    status        TEXT NOT NULL DEFAULT '', -- RFC 3463 code such as 5.1.1
    diagnostic    TEXT NOT NULL DEFAULT '', -- the remote server's words, the reader's address taken out
    action        TEXT NOT NULL DEFAULT '', -- what Herald did: suppressed, counted, alerted, unsubscribed, none
    send_id       INTEGER REFERENCES sends (id) ON DELETE SET NULL,
    edition_id    INTEGER REFERENCES editions (id) ON DELETE SET NULL,
    subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
    email_hash    TEXT NOT NULL DEFAULT '', -- as in suppressions: survives the reader's erasure
    occurred_at   TIMESTAMP NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (provider, event_id)
);
CREATE INDEX bounce_events_address ON bounce_events (email_hash, kind, created_at);
CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, created_at);
CREATE INDEX bounce_events_edition ON bounce_events (edition_id, kind);

-- Things an operator must look at: mail refused for our own
-- authentication or policy (5.7.x), which no reader is blamed for.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    message         TEXT NOT NULL,
    bounce_event_id INTEGER REFERENCES bounce_events (id) ON DELETE SET NULL,
    created_at      TIMESTAMP NOT NULL,
    resolved_at     TIMESTAMP
);
CREATE INDEX alerts_open ON alerts (resolved_at, id);

-- Where a suppression came from. No foreign key on source_event_id: the
-- list outlives the events, and SQLite cannot drop a column that has one.
ALTER TABLE suppressions ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE suppressions ADD COLUMN source_event_id INTEGER;

-- Every suppression an operator lifted, who did and why.
CREATE TABLE suppression_lifts (
    id            INTEGER PRIMARY KEY,
    email_hash    TEXT NOT NULL,
    reason        TEXT NOT NULL, -- why the address had been suppressed
    source        TEXT NOT NULL,
    suppressed_at TIMESTAMP NOT NULL,
    lifted_by     TEXT NOT NULL,
    lift_reason   TEXT NOT NULL,
    lifted_at     TIMESTAMP NOT NULL
);
CREATE INDEX suppression_lifts_address ON suppression_lifts (email_hash, lifted_at);

-- Signed webhook tokens already used (Mailgun signs only timestamp and
-- token, not the body): a token comes back only with the same body.
CREATE TABLE webhook_tokens (
    provider   TEXT NOT NULL,
    token      TEXT NOT NULL,
    digest     TEXT NOT NULL, -- SHA-256 of the body first signed with the token
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (provider, token)
);
CREATE INDEX webhook_tokens_age ON webhook_tokens (created_at);

-- +goose Down
DROP TABLE webhook_tokens;
DROP TABLE suppression_lifts;
ALTER TABLE suppressions DROP COLUMN source_event_id;
ALTER TABLE suppressions DROP COLUMN source;
DROP TABLE alerts;
DROP TABLE bounce_events;
