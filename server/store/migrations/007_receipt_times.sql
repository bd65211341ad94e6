-- Schema version 7 (issue 19): when each group member's watermarks moved, so "Message info"
-- shows when a message was delivered to and read by each member. One row per member and minute
-- with activity (at_ms: the latest move in it, so a time is never before the move it reports;
-- the app shows minutes). Rows older than 30 days are dropped as new ones come (all but the
-- newest of them): older messages show "Read" without a time. A time is known only if a row shows the watermark still below the
-- message (the move that passed it is then the first row at or above it); the first row of a
-- member comes with a floor row (at_ms 0) holding where the watermarks stood before.
CREATE TABLE watermark_moves (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    minute BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    delivered_seq BIGINT NOT NULL,
    read_seq BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, user_id, minute)
);
CREATE INDEX watermark_moves_delivered ON watermark_moves(conversation_id, user_id, delivered_seq);
CREATE INDEX watermark_moves_read ON watermark_moves(conversation_id, user_id, read_seq);
