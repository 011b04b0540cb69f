-- +goose Up
-- Send modes (DESIGN.md invariant 9): a newsletter waits for an editor's
-- yes unless an editor set it to automatic. desk_seen_at is how far the
-- desk has looked at its slots: a slot that passed while nobody looked is
-- never sent on its own.
ALTER TABLE newsletters ADD COLUMN send_mode TEXT NOT NULL DEFAULT 'approve' CHECK (send_mode IN ('approve', 'automatic'));
ALTER TABLE newsletters ADD COLUMN desk_seen_at TIMESTAMP;
-- held: an automatic newsletter's edition an editor must send by hand.
-- missed_at: its slot passed with nobody's yes. blocked: why it could not
-- go out at its time, in words.
ALTER TABLE editions ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE editions ADD COLUMN missed_at TIMESTAMP;
ALTER TABLE editions ADD COLUMN blocked TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE editions DROP COLUMN blocked;
ALTER TABLE editions DROP COLUMN missed_at;
ALTER TABLE editions DROP COLUMN held;
ALTER TABLE newsletters DROP COLUMN desk_seen_at;
ALTER TABLE newsletters DROP COLUMN send_mode;
