-- +goose Up
-- Counters of requests per key (a client address) and hour, shared by
-- every node on one database: the signup limit holds however many web
-- nodes there are.
CREATE TABLE rate_hits (
    key          TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_hits_window ON rate_hits (window_start);

-- +goose Down
DROP TABLE rate_hits;
