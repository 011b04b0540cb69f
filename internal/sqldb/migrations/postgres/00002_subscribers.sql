-- +goose Up
CREATE TABLE subscribers (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL UNIQUE, -- lower(email): one row per address whatever its case
    name            TEXT NOT NULL DEFAULT '',
    utf8_local      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    confirm_sent_at TIMESTAMPTZ
);

CREATE TABLE subscriptions (
    subscriber_id   BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    newsletter_id   BIGINT NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
    source          TEXT NOT NULL DEFAULT 'signup',
    created_at      TIMESTAMPTZ NOT NULL,
    confirmed_at    TIMESTAMPTZ,
    unsubscribed_at TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscriber_id, newsletter_id)
);
CREATE INDEX subscriptions_newsletter ON subscriptions (newsletter_id, status, subscriber_id);

CREATE TABLE consents (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscriber_id   BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    newsletter_id   BIGINT REFERENCES newsletters (id) ON DELETE SET NULL,
    action          TEXT NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    ip              TEXT NOT NULL DEFAULT '',
    user_agent      TEXT NOT NULL DEFAULT '',
    form            TEXT NOT NULL DEFAULT '',
    wording_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_subscriber ON consents (subscriber_id, at);

-- Addresses that must never be mailed, kept as a SHA-256 of the lower-case
-- address so an erased reader leaves no readable trace.
CREATE TABLE suppressions (
    email_hash TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE dev_inbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id TEXT NOT NULL,
    mail_from  TEXT NOT NULL,
    mail_to    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    sent_at    TIMESTAMPTZ NOT NULL,
    raw        BYTEA NOT NULL,
    text_body  TEXT NOT NULL,
    html_body  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE dev_inbox;
DROP TABLE suppressions;
DROP TABLE consents;
DROP TABLE subscriptions;
DROP TABLE subscribers;
