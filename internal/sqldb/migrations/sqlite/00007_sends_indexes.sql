-- +goose Up
-- Recording an outcome is the sender's commit per message, and every index
-- entry the UPDATE moves is a page written. sends_recent (edition_id,
-- updated_at) moved twice per message, at the claim and at the record,
-- for queries that only ever read accepted rows (the send rate, the
-- per-minute chart) or the few problem rows (the live view's list): two
-- partial indexes serve them, and a claim or a record touches at most one.
DROP INDEX sends_recent;
CREATE INDEX sends_accepted ON sends (edition_id, updated_at) WHERE status = 'accepted';
CREATE INDEX sends_problems ON sends (edition_id, updated_at) WHERE status IN ('failed', 'deferred', 'unknown');

-- +goose Down
DROP INDEX sends_problems;
DROP INDEX sends_accepted;
CREATE INDEX sends_recent ON sends (edition_id, updated_at);
