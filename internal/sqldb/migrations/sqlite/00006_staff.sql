-- +goose Up
-- Staff who sign in to the admin. Addresses are stored lower-cased.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('writer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    author_id     INTEGER REFERENCES authors (id) ON DELETE SET NULL,
    created_at    TIMESTAMP NOT NULL,
    disabled_at   TIMESTAMP
);

-- Signed-in browsers. token_hash is the SHA-256 of the cookie's secret.
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    last_seen   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed sign-ins, by IP ("ip:…") and by account ("account:…"), shared by
-- every web node so that limits hold across them.
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, created_at);

-- JSON API tokens. token_hash is the SHA-256 of the secret, shown once.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('writer', 'editor', 'admin')),
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- Answers to API POSTs that carried an Idempotency-Key, replayed when the
-- same key comes again from the same token with the same request.
CREATE TABLE idempotency_keys (
    token_id     INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE api_tokens;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
